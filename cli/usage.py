"""How the CLI speaks about its own usage: plain usage lines, choices, one-line usage errors.

Typer wraps required arguments in braces (``{PATH}``) and reports a bad choice as a
validation error (``Value error, 'publik' is not one of …``). Ravine's usage lines read as
sqlite-utils' do (``ravine ingest file [OPTIONS] PATH``) and its usage errors name the flag
first: ``error: --voice: 'publik' is not one of corporate, public``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, get_args

import typer
from typer.core import TyperCommand
from typer.models import TyperInfo


class PlainUsageCommand(TyperCommand):
    """A command whose usage line names required arguments bare: ``PATH``, not ``{PATH}``."""

    def collect_usage_pieces(self, ctx: typer.Context) -> list[str]:  # type: ignore[override]
        pieces: list[str] = super().collect_usage_pieces(ctx)
        return [p[1:-1] if p.startswith("{") and p.endswith("}") else p for p in pieces]


def use_plain_usage(app: typer.Typer) -> None:
    """Give every command of ``app`` (and of its groups) the plain usage line."""
    for command in app.registered_commands:
        command.cls = PlainUsageCommand
    for group in app.registered_groups:
        if isinstance(group, TyperInfo) and group.typer_instance is not None:
            use_plain_usage(group.typer_instance)


def choice_of(literal: Any) -> dict[str, Any]:
    """``typer.Option`` arguments for a ``Literal`` of strings: its values in the help, and a
    usage error naming them for anything else."""
    choices = get_args(literal)
    return {"parser": one_of(*choices), "metavar": "|".join(choices)}


def one_of(*choices: str) -> Callable[[str], str]:
    """A parser accepting exactly ``choices``; anything else is a usage error naming them."""

    def parse(value: str) -> str:
        if value in choices:
            return value
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(choices)}")

    return parse


def report_usage_error(error: typer.TyperException) -> None:
    """A bad value names its flag on one line; other usage errors print as Typer shows them
    (usage, how to get help, the problem), on stderr."""
    param = getattr(error, "param", None)
    if type(error) is not typer.BadParameter or param is None:
        getattr(error, "show", lambda: print(f"error: {error.format_message()}"))()
        return
    ctx = getattr(error, "ctx", None)
    if ctx is not None:
        print(f"{ctx.get_usage()}\nTry '{ctx.command_path} -h' for help.\n", file=sys.stderr)
    name = "/".join(param.opts) if param.opts else param.name
    message = error.message.removeprefix("Value error, ")
    print(f"error: {name}: {message}", file=sys.stderr)
