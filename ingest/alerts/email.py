"""Alerts by e-mail: a plain-text message through an SMTP server named by one URL.

The URL holds the whole setting, so it can come from one environment variable:

- ``smtp://[user[:password]@]host[:port]`` — plain SMTP, port 25 by default; with
  ``?starttls=true`` the connection is upgraded by STARTTLS before AUTH and sending.
- ``smtp+starttls://…`` — the same as ``smtp://…?starttls=true``, but port 587 (submission)
  by default, the port where providers offer STARTTLS.
- ``smtps://…`` — TLS from the first byte (implicit TLS), port 465 by default.

User and password are percent-decoded (write ``/ ? # @ :`` in them as ``%2F %3F %23 %40 %3A``);
a URL with a user needs a password, and AUTH follows. Certificates are checked against the
system's CAs. Over plain ``smtp://`` the password travels unencrypted: give credentials only
with STARTTLS or smtps unless the server is on the same host.

Refused connections, timeouts, a dropped connection and 4xx replies (greylisting, a full
queue) are retried; 5xx replies (bad credentials, a refused sender or recipient) and TLS
failures fail at once. Every try carries the same ``Message-ID`` (from the message's key), so
a mail system can drop a copy whose acknowledgement was lost. Messages name host:port, never
the password.
"""

from __future__ import annotations

import re
import smtplib
import ssl
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Literal
from urllib.parse import parse_qs, unquote, urlsplit

from ingest.alerts.delivery import DeliveryFailed, Message, Retry, Transient, with_retries
from ravine.errors import ConfigError

EXAMPLE = "e.g. smtp://alerts%40acme.com:PASSWORD@mail.acme.com:587?starttls=true"
DEFAULT_PORTS = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}
_TRUE, _FALSE = ("true", "1", "yes", "on"), ("false", "0", "no", "off")
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]{0,19}")
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]")  # outside RFC 5322 dot-atom text

Security = Literal["none", "starttls", "tls"]
SECURITY: dict[str, Security] = {"smtp": "none", "smtp+starttls": "starttls", "smtps": "tls"}


@dataclass(frozen=True, slots=True)
class SmtpTarget:
    """Where and how to send, parsed from an SMTP URL; the password is left out of its repr."""

    host: str
    port: int
    security: Security = "none"
    user: str | None = None
    password: str | None = field(default=None, repr=False)

    @property
    def where(self) -> str:
        """``host:port`` for messages (an IPv6 address in brackets)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


def _bad(problem: str) -> ConfigError:
    return ConfigError(f"SMTP URL: {problem}; {EXAMPLE}")


def parse_smtp_url(url: str) -> SmtpTarget:
    """The target an SMTP URL names (forms in the module docstring). Raises :class:`ConfigError`
    saying what is wrong, with an example, and never quoting the password."""
    scheme, found, _ = url.strip().partition("://")
    scheme = scheme.lower()
    if not found or scheme not in DEFAULT_PORTS:
        got = f" (got {scheme}://)" if found and _SCHEME.fullmatch(scheme) else ""
        raise _bad(f"it must start with smtp://, smtp+starttls:// or smtps://{got}")
    parts = urlsplit(url.strip())
    if parts.path not in ("", "/") or parts.fragment:
        raise _bad(
            "nothing may follow host:port but ?starttls=…; write / ? # @ : in the user or "
            "password percent-encoded (%2F %3F %23 %40 %3A)"
        )
    try:
        port = parts.port or DEFAULT_PORTS[scheme]
    except ValueError:
        raise _bad(
            "the port must be a number from 1 to 65535 (a ':' in the password must be written %3A)"
        ) from None
    host = parts.hostname
    if not host:
        raise _bad("it names no host")
    user = unquote(parts.username) if parts.username is not None else None
    password = unquote(parts.password) if parts.password is not None else None
    if (user is None) != (password is None) or user == "":
        raise _bad("give both a user and a password (user:password@host) or neither")
    return SmtpTarget(host, port, _starttls(parts.query, SECURITY[scheme]), user, password)


def _starttls(query: str, security: Security) -> Security:
    """The security the query's ``starttls`` asks for, the only query parameter there is. Its
    text is never quoted back: an unencoded '?' in a password puts the rest of it here."""
    try:
        params = parse_qs(query, strict_parsing=True) if query else {}
    except ValueError:
        params = {"": []}
    if set(params) - {"starttls"} or len(params.get("starttls", ())) > 1:
        raise _bad(
            "the only query parameter is starttls=true|false (write / ? # @ : in the user or "
            "password percent-encoded: %2F %3F %23 %40 %3A)"
        )
    if "starttls" not in params:
        return security
    value = params["starttls"][0].strip().lower()
    if value not in _TRUE + _FALSE:
        raise _bad("starttls must be true or false")
    wanted = value in _TRUE
    if security == "tls" and wanted:
        raise _bad("smtps:// is TLS from the start; drop ?starttls=true or use smtp://")
    if security == "starttls" and not wanted:
        raise _bad("smtp+starttls:// always upgrades; use smtp:// for a plain connection")
    return "starttls" if wanted else security


def email_message(message: Message, *, sender: str, recipients: Sequence[str]) -> EmailMessage:
    """The mail: plain text (the message's text, then its link), with a deterministic
    Message-ID and ``Auto-Submitted`` so vacation replies do not answer an alert (RFC 3834)."""
    mail = EmailMessage()
    mail["Subject"] = " ".join(message.subject.split())  # one line, whatever it was given
    mail["From"] = sender
    mail["To"] = ", ".join(recipients)
    mail["Date"] = format_datetime(datetime.now(UTC))
    mail["Message-ID"] = f"<{_ID_UNSAFE.sub('-', message.key)}@ravine.local>"
    mail["Auto-Submitted"] = "auto-generated"
    text = message.text.rstrip("\n")
    mail.set_content(f"{text}\n\n{message.link}\n" if message.link else f"{text}\n")
    return mail


def send_email(
    url: str,
    message: Message,
    *,
    sender: str,
    recipients: Sequence[str],
    retry: Retry = Retry(),
    timeout: float = 20.0,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Send ``message`` through the SMTP server ``url`` names, retrying what may pass.

    Raises :class:`ConfigError` for a bad URL or no recipients (before any try), and
    :class:`DeliveryFailed`: retriable after the last try of a transient failure, not
    retriable at once for a 5xx reply or a TLS failure. A retry after some recipients were
    accepted and others got a 4xx goes to the others only.
    """
    target = parse_smtp_url(url)
    if not recipients:
        raise ConfigError("an e-mail channel needs at least one recipient (to = [...])")
    mail = email_message(message, sender=sender, recipients=recipients)
    where = f"SMTP {target.where}"
    pending = list(recipients)

    def send() -> None:
        nonlocal pending
        refused = _send_once(target, mail, sender, pending, timeout, where)
        if refused:
            pending = list(refused)
            first = next(iter(refused.values()))
            raise Transient(f"{len(refused)} of the recipients deferred ({_reply(*first, target)})")

    with_retries(send, where=where, retry=retry, sleep=sleep)


def _send_once(
    target: SmtpTarget,
    mail: EmailMessage,
    sender: str,
    recipients: list[str],
    timeout: float,
    where: str,
) -> dict[str, tuple[int, bytes]]:
    """One connection and one send; the recipients refused with a 4xx (to retry), if any."""
    context = ssl.create_default_context()
    try:
        smtp = (
            smtplib.SMTP_SSL(target.host, target.port, timeout=timeout, context=context)
            if target.security == "tls"
            else smtplib.SMTP(target.host, target.port, timeout=timeout)
        )
        with smtp:
            if target.security == "starttls":
                smtp.starttls(context=context)
            if target.user is not None and target.password is not None:
                smtp.login(target.user, target.password)
            refused = smtp.send_message(mail, from_addr=sender, to_addrs=recipients)
    except smtplib.SMTPRecipientsRefused as exc:  # every recipient refused
        refused = exc.recipients
    except smtplib.SMTPResponseException as exc:  # a reply code: 4xx may pass, 5xx will not
        reply = _reply(exc.smtp_code, exc.smtp_error, target)
        if 400 <= exc.smtp_code < 500:
            raise Transient(reply) from None
        raise DeliveryFailed(
            f"{where}: {reply}; {_advice(exc)} (not retried)", retriable=False
        ) from None
    except smtplib.SMTPServerDisconnected:
        raise Transient("the server closed the connection") from None
    except smtplib.SMTPNotSupportedError as exc:
        raise DeliveryFailed(
            f"{where}: {exc}; check the URL's scheme (smtps://, ?starttls=true) and "
            "credentials against what the server offers (not retried)",
            retriable=False,
        ) from None
    except ssl.SSLError as exc:  # before OSError, its base: a TLS problem is no network blip
        detail = getattr(exc, "verify_message", None) or exc.reason or exc
        raise DeliveryFailed(
            f"{where}: TLS failed ({detail}); check smtps:// (implicit TLS) against "
            "?starttls=true and the port, and the server's certificate (not retried)",
            retriable=False,
        ) from None
    except TimeoutError:
        raise Transient(f"no answer within {timeout:g} s") from None
    except smtplib.SMTPException as exc:  # before OSError, its base: e.g. no AUTH in common
        raise DeliveryFailed(f"{where}: {exc} (not retried)", retriable=False) from None
    except OSError as exc:  # refused, unreachable, a name that does not resolve (yet)
        raise Transient(f"{type(exc).__name__} ({exc.strerror or exc})") from None
    permanent = {rcpt: answer for rcpt, answer in refused.items() if answer[0] >= 500}
    if permanent:
        rcpt, (code, text) = next(iter(permanent.items()))
        raise DeliveryFailed(
            f"{where}: {len(permanent)} recipient(s) refused, e.g. {rcpt}: "
            f"{_reply(code, text, target)}; check the channel's to = [...] (not retried)",
            retriable=False,
        )
    return refused


def _reply(code: int, text: bytes | str, target: SmtpTarget) -> str:
    """A server's reply for a message: one line, the password scrubbed in case it was echoed."""
    line = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    line = " ".join(line.split())
    if target.password:
        line = line.replace(target.password, "***")
    return f"{code} {line}".strip()


def _advice(exc: smtplib.SMTPResponseException) -> str:
    if exc.smtp_code == 530:  # "authentication required", whatever the command was
        return "the server wants AUTH: put user:password in the SMTP URL"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return "check the user and password in the SMTP URL"
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return "check the channel's from address and that the server relays for it"
    return "the server refused the message"
