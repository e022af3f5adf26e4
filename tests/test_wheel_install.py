"""The built wheel works outside the checkout: a stranger's ``pip install`` then ``ravine demo``.

The wheel is built from the tree and installed, without dependencies, into a fresh virtual
environment; the dependencies are borrowed from the test environment through a path file
(whose own editable install of Ravine is not active there). Every command runs from an empty
folder, so nothing can be found in the checkout by accident.
"""

from __future__ import annotations

import os
import site
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from ravine.release import RELEASE

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def _run(args: list[str | Path], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, f"{args}: exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", out, ROOT], cwd=out)
    (built,) = out.glob("ravine-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment holding the wheel; returns its ``bin`` folder."""
    venv = tmp_path_factory.mktemp("venv")
    _run([sys.executable, "-m", "venv", venv], cwd=venv)
    bin_dir = venv / "bin"
    _run([bin_dir / "python", "-m", "pip", "install", "-q", "--no-deps", wheel], cwd=venv)
    purelib = Path(
        subprocess.check_output(
            [bin_dir / "python", "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            text=True,
        ).strip()
    )
    borrowed = [sysconfig.get_path("purelib"), *site.getsitepackages()]
    (purelib / "borrowed_dependencies.pth").write_text("\n".join(dict.fromkeys(borrowed)) + "\n")
    return bin_dir


def test_the_wheel_carries_the_sample_the_dashboard_and_the_migrations(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "cli/sample/entities.csv",
        "cli/sample/statements.jsonl",
        "cli/sample/posts.csv",
        "migrations/script.py.mako",
        "dashboard/static/index.html",
        "dashboard/static/plotly-basic-LICENSE.txt",
        "dashboard/templates/report.html",
    ):
        assert expected in names
    assert any(
        n.startswith("dashboard/static/plotly-basic-") and n.endswith(".min.js") for n in names
    )
    assert any(n.startswith("migrations/versions/") and n.endswith(".py") for n in names)
    assert not any(n.startswith("tests/") for n in names)


def test_the_installed_wheel_runs_the_demo_from_any_folder(installed: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RAVINE_", "PYTHONPATH"))}
    ravine = [installed / "ravine", "--database-url", f"sqlite:///{tmp_path / 'demo.db'}"]
    where = _run(
        [installed / "python", "-c", "import cli, ravine; print(cli.__file__, ravine.__file__)"],
        cwd=tmp_path,
        env=env,
    )
    assert str(ROOT) not in where and str(installed.parent) in where  # the wheel, not the tree
    assert f"ravine {RELEASE}" in _run([installed / "ravine", "--version"], cwd=tmp_path, env=env)
    assert "Example:" in _run([installed / "ravine", "demo", "--help"], cwd=tmp_path, env=env)
    _run([*ravine, "db", "upgrade"], cwd=tmp_path, env=env)
    loaded = _run([*ravine, "demo", "--load-only"], cwd=tmp_path, env=env)
    assert "sample posts.csv:" in loaded and " new" in loaded
    stats = _run([*ravine, "stats", "--json"], cwd=tmp_path, env=env)
    assert "northwind" in stats.lower()
