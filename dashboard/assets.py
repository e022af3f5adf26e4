"""The dashboard's files, compressed once and served with cache headers: the page works
offline, with no CDN and no JS build step.

Plotly.js is its official "basic" bundle (scatter, bar and pie traces: all the page draws),
kept unmodified in static/ from the npm package plotly.js-basic-dist-min (MIT, its licence
beside it). A quarter the size of the full bundle that the plotly Python package ships, it
parses and runs in about 0.3 s rather than 1 s, which is most of the time to a drawn chart.
To update: ``npm pack plotly.js-basic-dist-min@VERSION``, copy its plotly-basic.min.js to
static/plotly-basic-VERSION.min.js and point :data:`PLOTLY_JS` at it.
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

STATIC = Path(str(files("dashboard"))) / "static"
PLOTLY_JS = STATIC / "plotly-basic-4.1.1.min.js"
TYPES = {
    ".js": "text/javascript",
    ".css": "text/css",
    ".html": "text/html",
    ".svg": "image/svg+xml",
}


@dataclass(frozen=True, slots=True)
class Asset:
    body: bytes
    gzipped: bytes
    media_type: str
    etag: str


def _asset(body: bytes, suffix: str) -> Asset:
    return Asset(
        body=body,
        gzipped=gzip.compress(body, compresslevel=9, mtime=0),
        media_type=TYPES.get(suffix, "application/octet-stream") + "; charset=utf-8",
        etag='"' + hashlib.sha256(body).hexdigest()[:20] + '"',
    )


@cache
def load(path: Path) -> Asset:
    """Read and gzip a file once per process."""
    return _asset(path.read_bytes(), path.suffix)


@cache
def page() -> Asset:
    """index.html, pointing at this installation's Plotly.js."""
    html = (STATIC / "index.html").read_bytes()
    return _asset(html.replace(b"{{PLOTLY_URL}}", plotly_url().encode()), ".html")


def plotly_url() -> str:
    """Versioned by its name, so browsers may cache it for a year."""
    return f"/assets/{PLOTLY_JS.name}"


def static_file(name: str) -> Path | None:
    """A file of dashboard/static by name; None for anything else (no path tricks)."""
    path = (STATIC / name).resolve()
    if path.parent != STATIC.resolve() or not path.is_file():
        return None
    return path
