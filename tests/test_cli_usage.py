"""The CLI's help and usage errors say what the code does: plain usage lines, defaults taken
from the code, examples without stray spaces, and bad choices named on one line."""

from __future__ import annotations

import re

import pytest

from cli.main import run
from ravine.config import Settings
from tests.test_cli_help import PATHS

_SETTING_DEFAULT = re.compile(r"\(default: RAVINE_(\w+), else ([^)]+)\)")


def help_of(path: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> str:
    assert run([*path, "--help"]) == 0
    return " ".join(capsys.readouterr().out.split())  # unwrapped, as one line


@pytest.mark.parametrize("path", PATHS, ids=[" ".join(p) for p in PATHS])
def test_usage_lines_name_arguments_in_capitals(
    path: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run([*path, "--help"]) == 0
    usage = capsys.readouterr().out.splitlines()[0]
    arguments = usage.split("[OPTIONS]", 1)[1].split()
    assert all(a.isupper() or a.startswith("[") for a in arguments), usage
    assert "{" not in usage


@pytest.mark.parametrize("path", PATHS, ids=[" ".join(p) for p in PATHS])
def test_defaults_named_in_help_are_the_code_defaults(
    path: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    for setting, shown in _SETTING_DEFAULT.findall(help_of(path, capsys)):
        assert shown == str(Settings.model_fields[setting.lower()].default)


def test_the_batch_size_help_shows_the_settings_default(
    capsys: pytest.CaptureFixture[str],
) -> None:
    shown = help_of(("ingest", "file"), capsys)
    assert f"else {Settings.model_fields['batch_size'].default})" in shown


@pytest.mark.parametrize("path", PATHS, ids=[" ".join(p) for p in PATHS])
def test_examples_have_no_stray_spaces(
    path: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run([*path, "--help"]) == 0
    example = capsys.readouterr().out.split("Example:", 1)[1].split("\n\n")[1]
    for line in example.splitlines():
        assert "  " not in line.strip(), f"stray spaces in {line.strip()!r}"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--voice", "publik"], "error: --voice: 'publik' is not one of corporate, public"),
        (
            ["--voice", "public", "--format", "xml"],
            "error: --format: 'xml' is not one of csv, jsonl",
        ),
    ],
)
def test_a_bad_choice_is_named_with_its_flag_on_one_line(
    args: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["ingest", "file", "posts.csv", *args]) == 2
    err = capsys.readouterr().err
    assert expected in err.splitlines()
    assert "Value error" not in err


def test_a_missing_argument_is_named_as_the_usage_line_names_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(["ingest", "file", "--voice", "public"]) == 2
    err = capsys.readouterr().err
    assert "Usage: ravine ingest file [OPTIONS] PATH" in err
    assert "Missing argument 'PATH'" in err
