"""Printing a page to PDF with headless Chromium, when one is installed: found by
``RAVINE_CHROMIUM`` or on the PATH, and run as a plain process, so no browser driver is
needed at run time."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ravine.errors import ConfigError, RavineError

NAMES = ("chromium", "chromium-browser", "google-chrome")
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync", "--no-pdf-header-footer",
    "--virtual-time-budget=10000",  # lets the chart's script finish before the page prints
)  # fmt: skip
TIMEOUT = 120  # seconds


def find_chromium() -> str:
    """The Chromium to print with; a ConfigError saying what to do when there is none."""
    named = os.environ.get("RAVINE_CHROMIUM")
    found = shutil.which(named) if named else next(filter(None, map(shutil.which, NAMES)), None)
    if found is None:
        where = f"RAVINE_CHROMIUM={named!r} is not" if named else "no Chromium is"
        raise ConfigError(
            f"{where} an executable Chromium: install Chromium (or set RAVINE_CHROMIUM to it) "
            "or use --format html"
        )
    return found


def print_pdf(html: str, chromium: str) -> bytes:
    """``html`` printed to PDF, as Chromium prints the page opened from a file."""
    with tempfile.TemporaryDirectory(prefix="ravine-pdf-") as folder:
        page = Path(folder) / "report.html"
        page.write_text(html, encoding="utf-8")
        printed = Path(folder) / "report.pdf"
        command = [
            chromium, *FLAGS, f"--user-data-dir={Path(folder) / 'profile'}",
            f"--print-to-pdf={printed}", page.as_uri(),
        ]  # fmt: skip
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=True)
        except (OSError, subprocess.SubprocessError) as error:
            raise RavineError(f"Chromium could not print the report: {error}") from None
        pdf = printed.read_bytes() if printed.is_file() else b""
    if not pdf.startswith(b"%PDF-"):
        raise RavineError("Chromium printed no PDF; use --format html")
    return pdf
