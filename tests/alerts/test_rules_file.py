"""Alert rules and channels in the sources file: read, checked with their lines, listed."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli.main import run
from ingest.alerts.config import EmailSpec, WebhookSpec
from ingest.live.config_reader import load_sources, read_sources
from ingest.live.problems import SourcesFileError

GOOD = """\
[[entities]]
name = "Northwind Air"
aliases = ["Northwind"]

[[channels]]
name = "analysts-slack"
kind = "webhook"
url_env = "SLACK_HOOK"

[[channels]]
name = "briefing"
kind = "email"
smtp_url_env = "SMTP_URL"
from = "ravine@example.com"
to = ["analysts@example.com"]

[[alerts]]
name = "northwind-band"
kind = "band"
entity = "Northwind"
k = 2.5
notify = ["analysts-slack", "briefing"]

[[alerts]]
name = "everyone-volume"
kind = "volume_spike"
entity = "*"
window_days = 14
tz = "Europe/Amsterdam"
enabled = false
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_rules_and_channels_are_read_with_their_settings(tmp_path: Path) -> None:
    config = load_sources(_write(tmp_path, GOOD), environ={}, need_env=False)
    band, volume = config.alerts.rules
    assert (band.name, band.kind, band.entity, band.k) == (
        "northwind-band",
        "band",
        "northwind-air",
        2.5,
    )
    assert band.channels == ("analysts-slack", "briefing") and band.line == 17
    assert (volume.entity, volume.window, volume.tz, volume.enabled) == (
        "*",
        14,
        "Europe/Amsterdam",
        False,
    )
    webhook, mail = config.alerts.channels
    assert isinstance(webhook, WebhookSpec) and webhook.url_env == "SLACK_HOOK"
    assert isinstance(mail, EmailSpec) and mail.sender == "ravine@example.com"


def test_a_channel_whose_secret_is_not_exported_is_an_environment_problem(tmp_path: Path) -> None:
    config, problems = read_sources(_write(tmp_path, GOOD), environ={"SMTP_URL": "smtp://x"})
    assert config is not None  # `ingest run` goes on; `ingest check` insists
    assert [(p.line, p.environment) for p in problems] == [(8, True)]
    assert "SLACK_HOOK (named by url_env) is not set" in problems[0].message


BROKEN = """\
[[channels]]
name = "hook"
kind = "webhook"
url = "https://hooks.example.com/x"
url_env = "HOOK"

[[channels]]
name = "pager"
kind = "pagerduty"

[[alerts]]
name = "band"
kind = "band"
entity = "acme"
treshold = 3

[[alerts]]
name = "spike"
kind = "spike"
entity = "acme"
tz = "Mars/Olympus"

[[alerts]]
name = "shift"
kind = "change_point"
entity = "acme"
notify = ["hook", "slack"]
"""


def test_every_problem_is_reported_with_its_line_and_fix(tmp_path: Path) -> None:
    path = _write(tmp_path, BROKEN)
    with pytest.raises(SourcesFileError) as caught:
        load_sources(path, environ={}, need_env=False)
    lines = caught.value.lines()
    assert any(f"{path}:1: channels[0]" in line and "not both" in line for line in lines), lines
    assert any(f"{path}:9: channels[1]" in line and "'pagerduty' is not a channel" in line
               for line in lines), lines  # fmt: skip
    assert any(f"{path}:15: alerts[0]" in line and "unknown key 'treshold'" in line
               and 'did you mean "threshold"' in line for line in lines), lines  # fmt: skip
    assert any(f"{path}:27: alerts[2]" in line and "unknown channel 'slack'" in line
               for line in lines), lines  # fmt: skip
    assert any(f"{path}:19: alerts[1]" in line and "kind" in line for line in lines), lines
    assert any(f"{path}:21: alerts[1]" in line and "Mars/Olympus" in line for line in lines)


def test_a_rule_naming_an_undeclared_entity_is_refused_when_the_file_declares_some(
    tmp_path: Path,
) -> None:
    text = GOOD.replace('entity = "Northwind"', 'entity = "Southwind"')
    with pytest.raises(SourcesFileError, match="unknown entity 'Southwind'"):
        load_sources(_write(tmp_path, text), environ={}, need_env=False)


def test_alerts_list_shows_the_rules_and_stops_on_an_unknown_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["alerts", "list", "--config", str(_write(tmp_path, GOOD)), "--csv"]) == 0
    listed = capsys.readouterr().out
    assert listed.splitlines()[0] == "name,kind,entity,settings,notify,enabled,line"
    shape = "k=2.5 baseline_days=90 cooldown_days=7 tz=UTC"
    assert f'northwind-band,band,northwind-air,{shape},"analysts-slack, briefing",True,17' in listed
    assert "everyone-volume,volume_spike,*," in listed and ",False," in listed
    assert run(["alerts", "list", "--config", str(_write(tmp_path, BROKEN))]) == 2
    assert f"{tmp_path / 'sources.toml'}:15: alerts[0]" in capsys.readouterr().err
