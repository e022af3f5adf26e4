"""Problems found in a sources file, each one line: where (file:line and table), what, the fix."""

from __future__ import annotations

import difflib
import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from ravine.errors import ConfigError

SECRET_WORDS = frozenset({"token", "password", "secret", "api_key", "apikey", "access_token"})


@dataclass(frozen=True, slots=True)
class Problem:
    line: int | None
    where: str  # e.g. 'sources[2] "hn-acme"'
    message: str
    environment: bool = False  # about the environment the file names, not the file itself

    def render(self, path: Path) -> str:
        place = f"{path}:{self.line}" if self.line else str(path)
        return f"{place}: {self.where}: {self.message}"


class SourcesFileError(ConfigError):
    """A sources file with problems; ``problems`` holds them all, the message the first."""

    def __init__(self, path: Path, problems: Sequence[Problem]) -> None:
        self.path = path
        self.problems = list(problems)
        more = f" (and {len(problems) - 1} more; see `ravine ingest check`)" * (len(problems) > 1)
        super().__init__(problems[0].render(path) + more)

    def lines(self) -> list[str]:
        return [problem.render(self.path) for problem in self.problems]


def toml_value(value: Any) -> str:
    """A value as it would be written in TOML (for "write it like …" hints)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        inner = ", ".join(f"{key} = {toml_value(item)}" for key, item in value.items())
        return "{ " + inner + " }"
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    return json.dumps(value) if isinstance(value, str) else str(value)


def _example(model: type[BaseModel], key: str) -> str | None:
    field = model.model_fields.get(key)
    if field is None or not field.examples:
        return None
    return f"{key} = {toml_value(field.examples[0])}"


def unknown_key(key: str, allowed: Collection[str]) -> str:
    """Why a key is refused and what was probably meant."""
    if key.lower() in SECRET_WORDS or f"{key}_env" in allowed:
        named_by = sorted(k for k in allowed if k.endswith("_env"))
        variable = f"{key}_env" if f"{key}_env" in allowed else next(iter(named_by), None)
        if variable is None:
            return f"{key!r} looks like a secret; this kind of source takes none, remove it"
        return (
            f"{key!r} looks like a secret, and secrets never go in this file: put it in an "
            f'environment variable and name it here, e.g. {variable} = "MY_{key.upper()}"'
        )
    close = difflib.get_close_matches(key, allowed, n=1)
    hint = f'did you mean "{close[0]}"?' if close else f"allowed keys: {', '.join(sorted(allowed))}"
    return f"unknown key {key!r}; {hint}"


def explain(error: ErrorDetails, model: type[BaseModel], allowed: Collection[str]) -> str:
    """One pydantic error as "what is wrong; how to fix it"."""
    loc = [str(part) for part in error["loc"]]
    key = loc[0] if loc else None
    path = key + "".join(f"[{part}]" for part in loc[1:]) if key else "this table"
    example = _example(model, key) if key else None
    fix = f"write it like {example}" if example else None
    kind = error["type"]
    if kind == "extra_forbidden" and key:
        return unknown_key(key, allowed)
    if kind == "missing":
        return f"{path} is missing; add it" + (f", e.g. {example}" if example else "")
    message = str(error["msg"]).removeprefix("Value error, ")
    if kind.startswith("value_error"):  # our own validators say how to fix it themselves
        return f"{path}: {message}"
    given = f" (got {error['input']!r})" if loc else ""
    return f"{path}: {message}{given}" + (f"; {fix}" if fix else "")
