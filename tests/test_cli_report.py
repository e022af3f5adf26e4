"""`ravine report`: one self-contained HTML file of an entity's ravine (chart, summary,
drivers, annotations, alerts, method) with no reference to anything online, every text of the data
escaped; mistakes are one line and a non-zero exit."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.api.conftest import load_sample_into
from tests.cli import ravine
from tests.databases import DatabaseFactory

SUMMER = ("--entity", "northwind-air", "--since", "2025-06-01", "--until", "2025-09-30")
MARKUP = "<script>alert('label')</script> Baggage outage"
SECTIONS_SAY = (
    "Mean ravine", "Trend per 30 days", "Mean effect size", "Newey–West",
    "Widest periods (descriptive)", "Raised the mean most",
    "More frequent than in the previous range", "Read changes rather than",
)  # fmt: skip
# A tag that loads or runs something from elsewhere: a script, a style sheet, a frame, an image.
FETCHING = re.compile(r"<(script|link|img|iframe|object|embed)\b[^>]*\b(src|href)\s*=", re.I)


@pytest.fixture(scope="module")
def sample_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The sample dataset, read by every test here (one adds an annotation in July)."""
    url = DatabaseFactory("sqlite", tmp_path_factory.mktemp("report")).migrated()
    load_sample_into(url)
    return url


def _report(capsys: pytest.CaptureFixture[str], url: str, out: Path, *extra: str) -> str:
    made = ravine(capsys, url, "report", *SUMMER, "--out", str(out), *extra)
    assert made.code == 0, made.err
    assert f"wrote {out}" in made.err
    return out.read_text(encoding="utf-8")


def test_the_report_is_one_file_that_needs_no_network(
    capsys: pytest.CaptureFixture[str], sample_url: str, tmp_path: Path
) -> None:
    page = _report(capsys, sample_url, tmp_path / "report.html", "--freq", "week")
    assert not FETCHING.search(page)
    assert not re.search(r"@import|url\(\s*['\"]?https?:", page)
    assert re.search(r"content=\"default-src 'none'; script-src 'sha256-[^\"]+\"", page)
    assert page.count("<script>") == 2  # Plotly.js and the drawing, both inlined
    assert "<title>Ravine report: Northwind Air</title>" in page
    assert "2025-06-01 to 2025-09-30, by week" in page
    for words in SECTIONS_SAY:
        assert words in page, words
    assert re.findall(r"<h2>(.*?)</h2>", page) == [
        "Summary", "Drivers", "Annotations", "Alerts", "Method"
    ]  # fmt: skip


def test_text_from_the_data_is_shown_as_text(
    capsys: pytest.CaptureFixture[str], sample_url: str, tmp_path: Path
) -> None:
    added = ravine(capsys, sample_url, "annotations", "add", "northwind-air", "2025-07-14",
                   MARKUP, "--url", "https://example.com/?a=1&b=\"2\"")  # fmt: skip
    assert added.code == 0, added.err
    page = _report(capsys, sample_url, tmp_path / "report.html")
    assert MARKUP not in page
    assert "&lt;script&gt;alert(&#x27;label&#x27;)&lt;/script&gt; Baggage outage" in page
    assert 'href="https://example.com/?a=1&amp;b=&quot;2&quot;"' in page
    # In the chart's data, a tag cannot close the script element that holds it.
    (figure,) = re.findall(r'<script type="application/json" id="figure">(.*?)</script>', page)
    assert "<" not in figure and "Baggage outage" in figure


def test_a_range_without_documents_still_reports_why(
    capsys: pytest.CaptureFixture[str], sample_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "empty.html"
    made = ravine(capsys, sample_url, "report", "--entity", "northwind-air", "--since",
                  "2030-01-01", "--until", "2030-01-31", "--out", str(out))  # fmt: skip
    assert made.code == 0, made.err
    page = out.read_text(encoding="utf-8")
    assert "no value: no period has a ravine" in page
    assert "No alert rule caught an event in this range." in page
    assert "No events are marked in this range." in page


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--entity", "nobody"), "no entity 'nobody'"),
        (("--entity", "northwind-air", "--since", "2025-09-30", "--until", "2025-06-01"),
         "since (2025-09-30) must not be after until (2025-06-01)"),
        (("--entity", "northwind-air", "--tz", "Mars/Olympus"), "not an IANA time zone"),
        (("--entity", "northwind-air", "--format", "docx"), "'docx' is not one of html, pdf"),
    ],
)  # fmt: skip
def test_mistakes_are_one_line(
    capsys: pytest.CaptureFixture[str],
    sample_url: str,
    tmp_path: Path,
    args: tuple[str, ...],
    words: str,
) -> None:
    failed = ravine(capsys, sample_url, "report", *args, "--out", str(tmp_path / "r.html"))
    assert failed.code != 0
    assert words in failed.err
    assert len(failed.err.strip().splitlines()) == 1 or "Usage" in failed.err
    assert not (tmp_path / "r.html").exists()


@pytest.mark.parametrize("where", ["missing/r.html", "."], ids=["no folder", "a folder"])
def test_an_unwritable_out_is_one_line(
    capsys: pytest.CaptureFixture[str], sample_url: str, tmp_path: Path, where: str
) -> None:
    failed = ravine(capsys, sample_url, "report", *SUMMER, "--out", str(tmp_path / where))
    assert failed.code != 0
    assert failed.err.strip().splitlines() == [
        f"error: --out: cannot write {tmp_path / where}; name a file in a writable folder"
    ]


def test_pdf_without_chromium_says_what_to_do(
    capsys: pytest.CaptureFixture[str],
    sample_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("RAVINE_CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # no browser on it
    out = tmp_path / "r.pdf"
    failed = ravine(capsys, sample_url, "report", *SUMMER, "--out", str(out), "--format", "pdf")
    assert failed.code != 0
    (line,) = failed.err.strip().splitlines()
    assert "install Chromium" in line and "--format html" in line
    assert not out.exists()
