"""The installed package's version, the one name for it everywhere (API, CLI, cache keys)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version


def _installed() -> str:
    try:
        return version("ravine")
    except PackageNotFoundError:  # pragma: no cover - a source tree that was never installed
        return "unknown"


RELEASE = _installed()
