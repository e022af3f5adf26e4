"""E-mail delivery against a real SMTP server (aiosmtpd), and the SMTP URL's forms."""

from __future__ import annotations

import pytest

from ingest.alerts.delivery import DeliveryFailed, Message, Retry
from ingest.alerts.email import SmtpTarget, parse_smtp_url, send_email
from ravine.errors import ConfigError
from tests.alerts.receivers import SmtpServer, closed_port

MESSAGE = Message(
    key="ravine-alert-42",
    subject="Northwind Air: the ravine left its band",
    text="The gap reached -0.42 on 2025-06-03 (band -0.20 to 0.15).\nR&D <team> was named.",
    link="https://ravine.example.com/entities/northwind-air?day=2025-06-03",
    event={"rule": "northwind-band", "day": "2025-06-03"},
)
SENDER = "ravine@acme.example"
TO = ["analysts@acme.example", "ops@acme.example"]
PASSWORD = "pa:ss/w@rd?#"  # every character a URL would misread
PASSWORD_IN_URL = "pa%3Ass%2Fw%40rd%3F%23"


def test_a_message_arrives_with_its_headers_and_link(smtp_server: SmtpServer) -> None:
    send_email(smtp_server.url(), MESSAGE, sender=SENDER, recipients=TO)

    [received] = smtp_server.received
    mail = received.message
    assert received.mail_from == SENDER and received.rcpt_tos == TO
    assert mail["Subject"] == MESSAGE.subject
    assert mail["From"] == SENDER
    assert mail["To"] == "analysts@acme.example, ops@acme.example"
    assert mail["Message-ID"] == "<ravine-alert-42@ravine.local>"
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail["Date"].datetime is not None
    body = mail.get_content()
    assert body.startswith("The gap reached -0.42")
    assert "R&D <team> was named." in body  # plain text: nothing escaped
    assert body.rstrip().endswith(MESSAGE.link)
    assert received.login is None


def test_auth_uses_the_user_and_password_from_the_url(smtp_server: SmtpServer) -> None:
    smtp_server.require_auth("alerts@acme.example", PASSWORD)
    url = smtp_server.url(userinfo=f"alerts%40acme.example:{PASSWORD_IN_URL}")

    send_email(url, MESSAGE, sender=SENDER, recipients=TO[:1])

    [received] = smtp_server.received
    assert received.login == "alerts@acme.example"
    assert smtp_server.logins == [("alerts@acme.example", True)]


def test_a_server_requiring_auth_refuses_a_url_without_it(
    smtp_server: SmtpServer, sleeps: list[float]
) -> None:
    smtp_server.require_auth("alerts", "secret")

    with pytest.raises(DeliveryFailed, match="530") as failed:
        send_email(smtp_server.url(), MESSAGE, sender=SENDER, recipients=TO, sleep=sleeps.append)

    assert not failed.value.retriable and sleeps == []


def test_a_wrong_password_fails_at_once_and_is_never_shown(
    smtp_server: SmtpServer, sleeps: list[float]
) -> None:
    smtp_server.require_auth("alerts", "the-right-one")
    url = smtp_server.url(userinfo=f"alerts:{PASSWORD_IN_URL}")

    with pytest.raises(DeliveryFailed) as failed:
        send_email(url, MESSAGE, sender=SENDER, recipients=TO, sleep=sleeps.append)

    message = str(failed.value)
    assert not failed.value.retriable
    assert message.startswith(f"SMTP 127.0.0.1:{smtp_server.port}: 535")
    assert "check the user and password" in message and "not retried" in message
    for secret in (PASSWORD, PASSWORD_IN_URL, "pa:ss", "w@rd"):
        assert secret not in message
    assert sleeps == [] and smtp_server.received == []


def test_a_451_is_retried_and_the_message_stored_once(
    smtp_server: SmtpServer, sleeps: list[float]
) -> None:
    smtp_server.fail_next(1, "451 4.3.0 Try again later")

    send_email(smtp_server.url(), MESSAGE, sender=SENDER, recipients=TO, sleep=sleeps.append)

    assert smtp_server.data_attempts == 2
    assert len(smtp_server.received) == 1
    assert sleeps == [1.0]


def test_a_retry_goes_only_to_the_recipients_deferred(
    smtp_server: SmtpServer, sleeps: list[float]
) -> None:
    smtp_server.defer_once("ops@acme.example")

    send_email(smtp_server.url(), MESSAGE, sender=SENDER, recipients=TO, sleep=sleeps.append)

    assert [received.rcpt_tos for received in smtp_server.received] == [
        ["analysts@acme.example"],
        ["ops@acme.example"],
    ]
    assert sleeps == [1.0]
    ids = {received.message["Message-ID"] for received in smtp_server.received}
    assert ids == {"<ravine-alert-42@ravine.local>"}


def test_a_refused_recipient_fails_at_once(smtp_server: SmtpServer, sleeps: list[float]) -> None:
    smtp_server.refuse("nobody@acme.example")
    recipients = ["analysts@acme.example", "nobody@acme.example"]

    with pytest.raises(DeliveryFailed) as failed:
        send_email(
            smtp_server.url(), MESSAGE, sender=SENDER, recipients=recipients, sleep=sleeps.append
        )

    assert not failed.value.retriable and sleeps == []
    assert "1 recipient(s) refused, e.g. nobody@acme.example: 550 5.1.1" in str(failed.value)
    assert [received.rcpt_tos for received in smtp_server.received] == [recipients[:1]]


def test_4xx_on_every_try_fails_retriable(smtp_server: SmtpServer, sleeps: list[float]) -> None:
    smtp_server.fail_next(3, "452 4.3.1 Insufficient system storage")

    with pytest.raises(DeliveryFailed) as failed:
        send_email(
            smtp_server.url(),
            MESSAGE,
            sender=SENDER,
            recipients=TO,
            retry=Retry(attempts=3),
            sleep=sleeps.append,
        )

    assert failed.value.retriable
    assert str(failed.value) == (
        f"SMTP 127.0.0.1:{smtp_server.port}: 452 4.3.1 Insufficient system storage "
        "after 3 attempts; the next check retries it"
    )
    assert sleeps == [1.0, 2.0] and smtp_server.received == []


def test_a_5xx_reply_fails_at_once(smtp_server: SmtpServer, sleeps: list[float]) -> None:
    smtp_server.fail_next(1, "554 5.6.0 Message rejected")

    with pytest.raises(DeliveryFailed, match=r"554 5\.6\.0 Message rejected") as failed:
        send_email(smtp_server.url(), MESSAGE, sender=SENDER, recipients=TO, sleep=sleeps.append)

    assert not failed.value.retriable and smtp_server.data_attempts == 1 and sleeps == []


def test_no_server_on_the_port_fails_after_the_attempts(sleeps: list[float]) -> None:
    port = closed_port()
    url = f"smtp://alerts:{PASSWORD_IN_URL}@127.0.0.1:{port}"

    with pytest.raises(DeliveryFailed) as failed:
        send_email(url, MESSAGE, sender=SENDER, recipients=TO, sleep=sleeps.append)

    message = str(failed.value)
    assert failed.value.retriable
    assert message.startswith(f"SMTP 127.0.0.1:{port}: ConnectionRefusedError")
    assert message.endswith("after 4 attempts; the next check retries it")
    assert PASSWORD_IN_URL not in message and "w@rd" not in message
    assert sleeps == [1.0, 2.0, 4.0]


def test_starttls_from_a_server_that_has_none_fails_at_once(
    smtp_server: SmtpServer, sleeps: list[float]
) -> None:
    with pytest.raises(DeliveryFailed, match="STARTTLS") as failed:
        send_email(
            smtp_server.url(query="starttls=true"),
            MESSAGE,
            sender=SENDER,
            recipients=TO,
            sleep=sleeps.append,
        )

    assert not failed.value.retriable and sleeps == []


def test_implicit_tls_to_a_plain_server_fails_at_once(
    smtp_server: SmtpServer, sleeps: list[float]
) -> None:
    with pytest.raises(DeliveryFailed, match="TLS failed") as failed:
        send_email(
            smtp_server.url("smtps"), MESSAGE, sender=SENDER, recipients=TO, sleep=sleeps.append
        )

    assert not failed.value.retriable and sleeps == []


def test_the_message_id_is_a_valid_one_for_any_key(smtp_server: SmtpServer) -> None:
    message = Message(key="alert 7 <x>@y", subject="multi\nline  subject", text="t")

    send_email(smtp_server.url(), message, sender=SENDER, recipients=TO)

    mail = smtp_server.received[0].message
    assert mail["Message-ID"] == "<alert-7--x--y@ravine.local>"
    assert mail["Subject"] == "multi line subject"
    assert mail.get_content().splitlines() == ["t"]


def test_no_recipients_is_a_config_error(smtp_server: SmtpServer) -> None:
    with pytest.raises(ConfigError, match="at least one recipient"):
        send_email(smtp_server.url(), MESSAGE, sender=SENDER, recipients=[])


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("smtp://mail.example.com", SmtpTarget("mail.example.com", 25)),
        ("smtp://mail.example.com:2525/", SmtpTarget("mail.example.com", 2525)),
        (
            "smtp://mail.example.com?starttls=true",
            SmtpTarget("mail.example.com", 25, "starttls"),
        ),
        ("smtp://mail.example.com?starttls=false", SmtpTarget("mail.example.com", 25)),
        ("smtp+starttls://mail.example.com", SmtpTarget("mail.example.com", 587, "starttls")),
        ("SMTPS://Mail.Example.com", SmtpTarget("mail.example.com", 465, "tls")),
        ("smtps://mail.example.com:2465", SmtpTarget("mail.example.com", 2465, "tls")),
        (
            f"smtp://alerts%40acme.com:{PASSWORD_IN_URL}@mail.example.com:587?starttls=1",
            SmtpTarget("mail.example.com", 587, "starttls", "alerts@acme.com", PASSWORD),
        ),
        ("smtp://u:p@[::1]:25", SmtpTarget("::1", 25, "none", "u", "p")),
        ("  smtp://mail.example.com\n", SmtpTarget("mail.example.com", 25)),
    ],
)
def test_smtp_urls(url: str, target: SmtpTarget) -> None:
    assert parse_smtp_url(url) == target


def test_the_target_names_host_and_port_and_hides_the_password() -> None:
    target = parse_smtp_url(f"smtp://u:{PASSWORD_IN_URL}@[::1]:2525")

    assert target.where == "[::1]:2525"
    assert PASSWORD not in repr(target) and PASSWORD_IN_URL not in repr(target)


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("mail.example.com", "must start with smtp://"),
        ("http://mail.example.com", "(got http://)"),
        ("smtp+tls://mail.example.com", "(got smtp+tls://)"),
        ("smtp://", "names no host"),
        ("smtp://:25", "names no host"),
        ("smtp://mail.example.com:99999", "port must be a number"),
        ("smtp://mail.example.com:abc", "port must be a number"),
        ("smtp://mail.example.com/inbox", "nothing may follow host:port"),
        ("smtp://mail.example.com?tls=true", "the only query parameter is starttls"),
        ("smtp://mail.example.com?starttls=maybe", "starttls must be true or false"),
        ("smtps://mail.example.com?starttls=true", "TLS from the start"),
        ("smtp+starttls://mail.example.com?starttls=false", "always upgrades"),
        ("smtp://alerts@mail.example.com", "both a user and a password"),
        ("smtp://:secret@mail.example.com", "both a user and a password"),
    ],
)
def test_bad_smtp_urls_say_what_is_wrong(url: str, problem: str) -> None:
    with pytest.raises(ConfigError) as failed:
        parse_smtp_url(url)

    message = str(failed.value)
    assert problem in message
    assert "e.g. smtp://" in message and "\n" not in message


@pytest.mark.parametrize(
    "url",
    [
        "smtp://alerts:s3cr3t/pw@mail.example.com",  # an unencoded "/" ends the host
        "smtp://alerts:12?s3cr3tpw@mail.example.com",  # an unencoded "?" starts a query
        "smtp://alerts:s3cr3t#pw@mail.example.com",  # an unencoded "#" starts a fragment
        "smtp://alerts:s3cr3tpw@mail.example.com:port",
        "smtp://alerts:s3cr3tpw@mail.example.com?starttls=s3cr3tpw",
        "smtps://alerts:s3cr3tpw@mail.example.com?starttls=true",
    ],
)
def test_a_bad_url_never_shows_the_password(url: str) -> None:
    with pytest.raises(ConfigError) as failed:
        parse_smtp_url(url)

    assert "s3cr3t" not in str(failed.value)
