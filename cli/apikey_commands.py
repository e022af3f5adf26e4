"""``ravine apikey``: keys for the REST API (writes always need one)."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.entity_commands import AsCsv, AsJson
from cli.output import choose_format, render
from cli.state import state_of
from ravine.repository.apikeys import create_key, list_keys, revoke_key

Name = Annotated[
    str, typer.Argument(metavar="NAME", help="A name for the key, e.g. the script that uses it.")
]


def register(app: typer.Typer) -> None:
    apikey = typer.Typer(help="Create, list and revoke API keys.", no_args_is_help=True)
    app.add_typer(apikey, name="apikey")

    @apikey.command("create")
    def create(ctx: typer.Context, name: Name) -> None:
        """Create a key and print it once; only its hash is stored, so keep it safe.

        Example:

            ravine apikey create nightly-push
        """
        state = state_of(ctx)
        with state.writing() as s:
            _, key = create_key(s, name=name)
        state.out.print(key)
        state.say(f"created API key {name!r}; it is shown only now")

    @apikey.command("list")
    def list_(ctx: typer.Context, as_json: AsJson = False, as_csv: AsCsv = False) -> None:
        """List keys by name and prefix (never the keys themselves).

        Example:

            ravine apikey list --json
        """
        state = state_of(ctx)
        fmt = choose_format(as_json=as_json, as_csv=as_csv)
        with state.reading() as session:
            rows = [
                {
                    "name": key.name,
                    "prefix": key.prefix,
                    "created_at": key.created_at.isoformat(timespec="seconds"),
                    "last_used_at": key.last_used_at
                    and key.last_used_at.isoformat(timespec="seconds"),
                    "revoked": key.revoked_at is not None,
                }
                for key in list_keys(session)
            ]
        columns = ("name", "prefix", "created_at", "last_used_at", "revoked")
        render(rows, columns=columns, fmt=fmt, console=state.out)

    @apikey.command("revoke")
    def revoke(ctx: typer.Context, name: Name) -> None:
        """Revoke a key: requests that send it are refused from now on.

        Example:

            ravine apikey revoke nightly-push
        """
        state = state_of(ctx)
        with state.writing() as s:
            revoke_key(s, name=name)
        state.say(f"revoked API key {name!r}")
