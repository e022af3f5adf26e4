"""The sources file: every problem with its line, secrets only by variable name, defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.connectors.hackernews import HackerNewsSettings
from ingest.live.config_reader import load_sources, read_sources
from ingest.live.problems import SourcesFileError

ROOT = Path(__file__).resolve().parents[2]

BROKEN = """\
max_pages = 3
[defaults]
every = "soon"

[[entities]]
name = "Northwind Air"
aliases = ["Northwind", "@northwindair"]

[[entities]]
name = "Northwind Air"

[[sources]]
name = "hn"
kind = "hackernews"
entity = "Northwind"
voice = "public"
qeury = "Northwind"

[[sources]]
name = "hn"
kind = "rs"
entity = "acme"
voice = "people"

[[sources]]
name = "masto"
kind = "mastodon"
entity = "northwind-air"
voice = "public"
instance = "not a url"
hashtag = "northwind"
token = "abc123"
token_env = "UNSET_TOKEN"

[extras]
every = "1h"
"""


def problems_of(tmp_path: Path, text: str, environ: dict[str, str] | None = None) -> list[str]:
    path = tmp_path / "sources.toml"
    path.write_text(text)
    _, problems = read_sources(path, environ=environ or {})
    return [problem.render(Path("sources.toml")) for problem in problems]


def test_every_problem_is_reported_with_its_line(tmp_path: Path) -> None:
    assert problems_of(tmp_path, BROKEN) == [
        "sources.toml:1: max_pages: unknown key 'max_pages'; allowed keys: alerts, channels, "
        "defaults, entities, "
        "sources",
        'sources.toml:3: [defaults]: every: \'soon\' is not a duration; write e.g. "90s", "15m", '
        '"2h" or "1d"',
        "sources.toml:9: entities[1]: entity 'northwind-air' is declared twice; keep one "
        "[[entities]] table for it",
        'sources.toml:12: sources[0] "hn": query is missing; add it, e.g. query = "Northwind"',
        'sources.toml:17: sources[0] "hn": unknown key \'qeury\'; did you mean "query"?',
        "sources.toml:20: sources[1] \"hn\": source name 'hn' is used twice; rename one",
        "sources.toml:21: sources[1] \"hn\": unknown kind 'rs'; known kinds: app_store, bluesky, "
        "files, hackernews, mastodon, reddit, rss, sec_edgar",
        "sources.toml:22: sources[1] \"hn\": unknown entity 'acme'; declare it in an "
        "[[entities]] table (declared: northwind-air)",
        "sources.toml:23: sources[1] \"hn\": voice: Input should be 'corporate' or 'public' "
        "(got 'people'); write it like voice = \"public\"",
        'sources.toml:30: sources[2] "masto": instance: Input should be a valid URL, relative '
        "URL without a base (got 'not a url'); write it like instance = "
        '"https://mastodon.social"',
        "sources.toml:32: sources[2] \"masto\": 'token' looks like a secret, and secrets never "
        "go in this file: put it in an environment variable and name it here, e.g. "
        'token_env = "MY_TOKEN"',
        'sources.toml:33: sources[2] "masto": environment variable UNSET_TOKEN (named by '
        "token_env) is not set; export it where `ravine ingest run` runs",
        "sources.toml:35: extras: unknown key 'extras'; allowed keys: alerts, channels, "
        "defaults, entities, sources",
    ]


def test_a_syntax_error_names_its_line(tmp_path: Path) -> None:
    assert problems_of(tmp_path, '[[sources]]\nname = "x"\nkind = rss\n') == [
        "sources.toml:3: syntax: Invalid value; fix the TOML syntax on this line"
    ]


def test_an_unreadable_file_is_one_problem(tmp_path: Path) -> None:
    with pytest.raises(SourcesFileError, match="cannot read it"):
        load_sources(tmp_path / "missing.toml", environ={}, need_env=False)


def test_unset_variables_block_only_when_they_are_needed(tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(
        '[[entities]]\nname = "Acme"\n\n[[sources]]\nname = "m"\nkind = "mastodon"\n'
        'entity = "acme"\nvoice = "public"\ninstance = "https://m.example"\nhashtag = "acme"\n'
        'token_env = "ACME_TOKEN"\n'
    )
    config = load_sources(path, environ={}, need_env=False)  # `run`: only that source fails
    (source,) = config.sources
    assert source.stored_settings()["token_env"] == "ACME_TOKEN"
    with pytest.raises(SourcesFileError, match="ACME_TOKEN"):
        load_sources(path, environ={}, need_env=True)  # `check`
    assert load_sources(path, environ={"ACME_TOKEN": "x"}, need_env=True).sources


def test_defaults_and_the_alias_matching_rule(tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(
        '[defaults]\nevery = "1h30m"\nmax_pages = 7\ntimeout = 9\n\n'
        '[[entities]]\nname = "Acme Corp"\naliases = ["ACME"]\n\n'
        '[[sources]]\nname = "news"\nkind = "rss"\nentity = "acme"\nvoice = "corporate"\n'
        'url = "https://acme.example/feed"\nevery = 60\n\n'
        '[[sources]]\nname = "hn"\nkind = "hackernews"\nentity = "ACME"\nvoice = "public"\n'
        'query = "Acme"\nretries = 0\n\n'
        '[[sources]]\nname = "drop"\nkind = "files"\nentity = "Acme Corp"\nvoice = "public"\n'
        'path = "exports"\n'
    )
    news, hn, drop = load_sources(path, environ={}, need_env=True).sources
    assert (news.every, news.max_pages, news.policy.timeout, news.match_aliases) == (
        60,
        7,
        9,
        False,
    )
    assert (hn.every, hn.policy.retries, hn.match_aliases, hn.entity) == (
        5400,
        0,
        True,
        "acme-corp",
    )
    assert isinstance(hn.settings, HackerNewsSettings) and hn.settings.query == "Acme"
    assert drop.match_aliases is False  # a person chose those files
    assert drop.stored_settings()["path"] == str(tmp_path / "exports")
    assert news.line == 10 and hn.stored_settings()["every_seconds"] == 5400


EXAMPLE_SECRETS = {"RAVINE_SLACK_WEBHOOK": "https://hooks.slack.com/services/T/B/x",
                   "RAVINE_SMTP_URL": "smtp://localhost"}  # fmt: skip


def test_the_shipped_example_is_valid() -> None:
    example = ROOT / "examples" / "sources.toml"
    config = load_sources(example, environ=EXAMPLE_SECRETS, need_env=True)
    assert {source.kind for source in config.sources} == {
        "rss", "hackernews", "mastodon", "files", "sec_edgar", "bluesky", "app_store", "reddit",
    }  # fmt: skip
    assert [rule.kind for rule in config.alerts.rules] == ["band", "change_point", "volume_spike"]
    assert [channel.kind for channel in config.alerts.channels] == ["webhook", "email"]
    with pytest.raises(SourcesFileError, match="RAVINE_SLACK_WEBHOOK"):
        load_sources(example, environ={}, need_env=True)


def test_the_limits_of_a_source_reach_its_http_policy(tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(
        '[defaults]\ndeadline = "45s"\nmax_bytes = 5000000\nbudget = "5m"\n\n'
        '[[entities]]\nname = "Acme Corp"\n\n'
        '[[sources]]\nname = "news"\nkind = "rss"\nentity = "acme-corp"\nvoice = "corporate"\n'
        'url = "https://acme.example/feed"\nmax_bytes = 50000000\n'
        'redirect_hosts = ["Feeds.Example.net"]\n\n'
        '[[sources]]\nname = "wire"\nkind = "rss"\nentity = "acme-corp"\nvoice = "corporate"\n'
        'url = "https://wire.example/feed"\nbudget = "30s"\ndeadline = 10\n'
    )
    news, wire = load_sources(path, environ={}, need_env=True).sources
    assert (news.policy.deadline, news.policy.max_bytes, news.budget) == (45, 50_000_000, 300)
    assert news.policy.redirect_hosts == ("feeds.example.net",)
    assert (wire.policy.deadline, wire.policy.max_bytes, wire.budget) == (10, 5_000_000, 30)
    assert wire.policy.redirect_hosts == ()
