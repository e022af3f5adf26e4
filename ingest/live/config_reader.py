"""Read and check a sources file, collecting every problem (not only the first) with its line.

Whether the environment variables that ``*_env`` keys name are set is a problem of the
environment rather than of the file: ``ravine ingest check`` reports it, ``ravine ingest run``
fails only the source that needs the variable.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ingest.alerts.config import CHANNEL_MODELS, AlertsConfig, AlertSpec, ChannelSpec
from ingest.connectors.http import HttpPolicy
from ingest.connectors.registry import CONNECTORS
from ingest.live.config import CommonSpec, Defaults, EntitySpec, SourceConfig, SourcesConfig
from ingest.live.problems import Problem, SourcesFileError, explain, unknown_key
from ingest.live.toml_lines import KeyLines, locate
from ravine.alerting import AlertRule

TABLES = ("defaults", "entities", "sources", "channels", "alerts")
ModelT = TypeVar("ModelT", bound=BaseModel)


def load_sources(path: Path, *, environ: Mapping[str, str], need_env: bool) -> SourcesConfig:
    """The checked file; :class:`SourcesFileError` lists every problem that stands in the way."""
    config, problems = read_sources(path, environ=environ)
    blocking = [problem for problem in problems if need_env or not problem.environment]
    if blocking or config is None:
        raise SourcesFileError(path, blocking)
    return config


def read_sources(
    path: Path, *, environ: Mapping[str, str]
) -> tuple[SourcesConfig | None, list[Problem]]:
    """The file's configuration (None when it has problems) and all of its problems."""
    try:
        text = path.read_text(encoding="utf-8-sig")
        data = tomllib.loads(text)
    except OSError as exc:
        return None, [Problem(None, "file", f"cannot read it ({exc.strerror}); check the path")]
    except UnicodeDecodeError:
        return None, [Problem(None, "file", "is not UTF-8 text; save it as UTF-8")]
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+)", str(exc))
        what = str(exc).split(" (at line")[0]
        line = int(found.group(1)) if found else None
        return None, [Problem(line, "syntax", f"{what}; fix the TOML syntax on this line")]
    return _Reader(path, data, locate(text), environ).read()


def _entity_lookup(entities: Mapping[str, EntitySpec]) -> dict[str, str]:
    """slug, name and aliases (case-insensitive) -> slug."""
    lookup: dict[str, str] = {}
    for slug, spec in entities.items():
        for ref in (*spec.aliases, spec.name, slug):
            lookup[ref.casefold()] = slug
    return lookup


def _undeclared(what: str, ref: str, table: str, declared: Iterable[str]) -> str:
    names = ", ".join(sorted(declared)) or "none yet"
    return f"unknown {what} {ref!r}; declare it in {table} table (declared: {names})"


class _Reader:
    def __init__(
        self, path: Path, data: dict[str, Any], lines: KeyLines, environ: Mapping[str, str]
    ) -> None:
        self.path, self.data, self.lines, self.environ = path, data, lines, environ
        self.problems: list[Problem] = []
        self.environment: list[Problem] = []  # unset variables: the environment's problem
        self.names: set[str] = set()

    def note(self, at: tuple[str, int | None, str | None], where: str, message: str) -> None:
        self.problems.append(Problem(self.lines.line(*at), where, message))

    def read(self) -> tuple[SourcesConfig | None, list[Problem]]:
        for name in sorted(self.data.keys() - set(TABLES)):
            line = self.lines.line("", None, name) or self.lines.line(name)  # a key or a table
            self.problems.append(Problem(line, name, unknown_key(name, TABLES)))
        defaults = self.validate(
            Defaults, self.data.get("defaults", {}), at=("defaults", None), where="[defaults]"
        )
        entities = self._entities()
        sources = [
            source
            for index, values in enumerate(self._array("sources"))
            if (source := self._source(index, values, defaults or Defaults(), entities))
        ]
        alerts = self._alerts(entities)
        if self.problems:
            return None, sorted(self.problems + self.environment, key=lambda p: p.line or 0)
        config = SourcesConfig(self.path, tuple(entities.values()), tuple(sources), alerts)
        return config, self.environment

    def validate(
        self,
        model: type[ModelT],
        values: Any,
        *,
        at: tuple[str, int | None],
        where: str,
        allowed: frozenset[str] | None = None,
    ) -> ModelT | None:
        """``values`` as ``model``; None, with its problems noted, when invalid."""
        if not isinstance(values, dict):
            header = f"[{at[0]}]" if at[1] is None else f"[[{at[0]}]]"
            self.note((*at, None), where, f"must be a table: write it under {header}")
            return None
        try:
            return model.model_validate(values, context={"base_dir": self.path.parent})
        except ValidationError as exc:
            keys = allowed or frozenset(model.model_fields)
            for error in exc.errors():
                key = str(error["loc"][0]) if error["loc"] else None
                self.note((*at, key), where, explain(error, model, keys))
            return None

    def _array(self, table: str) -> list[Any]:
        values = self.data.get(table, [])
        if isinstance(values, list):
            return values
        self.note((table, None, None), table, f"must be a list of tables: write [[{table}]]")
        return []

    def _entities(self) -> dict[str, EntitySpec]:
        found: dict[str, EntitySpec] = {}
        for index, values in enumerate(self._array("entities")):
            where = f"entities[{index}]"
            spec = self.validate(EntitySpec, values, at=("entities", index), where=where)
            if spec is None:
                continue
            if not spec.key:
                self.note(("entities", index, "name"), where, 'add a slug, e.g. slug = "acme"')
            elif spec.key in found:
                self.note(
                    ("entities", index, "slug"), where,
                    f"entity {spec.key!r} is declared twice; keep one [[entities]] table for it",
                )  # fmt: skip
            else:
                found[spec.key] = spec
        return found

    def _alerts(self, entities: Mapping[str, EntitySpec]) -> AlertsConfig:
        channels = self._channels()
        lookup = _entity_lookup(entities)
        rules: list[AlertRule] = []
        for index, values in enumerate(self._array("alerts")):
            at = ("alerts", index)
            name = values.get("name") if isinstance(values, dict) else None
            where = f"alerts[{index}]" + (f' "{name}"' if isinstance(name, str) else "")
            spec = self.validate(AlertSpec, values, at=at, where=where)
            if spec is None:
                continue
            if any(rule.name == spec.name for rule in rules):
                self.note(
                    (*at, "name"), where, f"alert name {spec.name!r} is used twice; rename one"
                )
            for channel in spec.notify:
                if channel not in channels:
                    message = _undeclared("channel", channel, "a [[channels]]", channels)
                    self.note((*at, "notify"), where, message)
            # Without [[entities]] here, the rule names an entity of the database (checked then).
            slug = "*" if spec.entity == "*" else lookup.get(spec.entity.casefold())
            if slug is None and entities:
                self._entity(spec.entity, entities, at=at, where=where)
                continue
            rules.append(spec.rule(slug or spec.entity, self.lines.line(*at)))
        return AlertsConfig(tuple(rules), tuple(channels.values()))

    def _channels(self) -> dict[str, ChannelSpec]:
        found: dict[str, ChannelSpec] = {}
        for index, values in enumerate(self._array("channels")):
            at = ("channels", index)
            name = values.get("name") if isinstance(values, dict) else None
            where = f"channels[{index}]" + (f' "{name}"' if isinstance(name, str) else "")
            kind = values.get("kind") if isinstance(values, dict) else None
            model = CHANNEL_MODELS.get(kind) if isinstance(kind, str) else None
            if model is None:
                known = ", ".join(CHANNEL_MODELS)
                self.note(
                    (*at, "kind"), where, f"kind {kind!r} is not a channel; write one of: {known}"
                )
                continue
            allowed = frozenset(field.alias or key for key, field in model.model_fields.items())
            self._check_environment(values, allowed, at=at, where=where)
            spec = self.validate(model, values, at=at, where=where, allowed=allowed)
            if spec is None:
                continue
            if spec.name in found:
                self.note(
                    (*at, "name"), where, f"channel name {spec.name!r} is used twice; rename one"
                )
            found[spec.name] = spec
        return found

    def _source(
        self, index: int, values: Any, defaults: Defaults, entities: Mapping[str, EntitySpec]
    ) -> SourceConfig | None:
        name = values.get("name") if isinstance(values, dict) else None
        where = f"sources[{index}]" + (f' "{name}"' if isinstance(name, str) else "")
        at = ("sources", index)
        values = values if isinstance(values, dict) else {}
        kind = values.get("kind")
        connector = CONNECTORS.get(kind) if isinstance(kind, str) else None
        own = frozenset(CommonSpec.model_fields)
        allowed = own | frozenset(connector.settings_model.model_fields if connector else ())
        common_values = {key: value for key, value in values.items() if key in own}
        common = self.validate(CommonSpec, common_values, at=at, where=where, allowed=allowed)
        if isinstance(kind, str) and connector is None:
            known = ", ".join(sorted(CONNECTORS))
            self.note((*at, "kind"), where, f"unknown kind {kind!r}; known kinds: {known}")
        settings = None
        if connector is not None:
            kind_values = {key: value for key, value in values.items() if key not in own}
            model = connector.settings_model
            settings = self.validate(model, kind_values, at=at, where=where, allowed=allowed)
        self._check_environment(values, allowed, at=at, where=where)
        slug = self._entity(values.get("entity"), entities, at=at, where=where)
        if isinstance(name, str) and name in self.names:
            self.note((*at, "name"), where, f"source name {name!r} is used twice; rename one")
        self.names.add(str(name))
        if common is None or slug is None or connector is None or settings is None:
            return None
        public_default = common.voice == "public" and connector.matches_public_by_default
        return SourceConfig(
            name=common.name,
            kind=connector.kind,
            entity=slug,
            voice=common.voice,
            enabled=common.enabled,
            every=defaults.every if common.every is None else common.every,
            max_pages=common.max_pages or defaults.max_pages,
            budget=defaults.budget if common.budget is None else common.budget,
            user_agent=common.user_agent or defaults.user_agent,
            match_aliases=public_default if common.match_aliases is None else common.match_aliases,
            keep_raw=defaults.keep_raw if common.keep_raw is None else common.keep_raw,
            policy=HttpPolicy(
                timeout=common.timeout or defaults.timeout,
                retries=defaults.retries if common.retries is None else common.retries,
                max_wait=defaults.max_wait,
                deadline=common.deadline or defaults.deadline,
                max_bytes=common.max_bytes or defaults.max_bytes,
                redirect_hosts=tuple(host.lower() for host in common.redirect_hosts),
            ),
            settings=settings,
            line=self.lines.line(*at),
        )

    def _entity(
        self, ref: object, entities: Mapping[str, EntitySpec], *, at: tuple[str, int], where: str
    ) -> str | None:
        """The slug of the entity a source names (by slug, name or alias)."""
        if not isinstance(ref, str):
            return None  # CommonSpec reports it
        slug = _entity_lookup(entities).get(ref.casefold())
        if slug is None:
            message = _undeclared("entity", ref, "an [[entities]]", entities)
            self.note((*at, "entity"), where, message)
        return slug

    def _check_environment(
        self, values: Mapping[str, Any], allowed: frozenset[str], *, at: tuple[str, int], where: str
    ) -> None:
        """Each ``*_env`` key must name a variable that is set (only its name is in the file)."""
        for key, variable in values.items():
            if key not in allowed or not key.endswith("_env") or not isinstance(variable, str):
                continue
            if not self.environ.get(variable):
                message = (
                    f"environment variable {variable} (named by {key}) is not set; "
                    "export it where `ravine ingest run` runs"
                )
                line = self.lines.line(*at, key)
                self.environment.append(Problem(line, where, message, environment=True))
