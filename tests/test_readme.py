"""The README and the docs keep their promises: the commands they give are the ones CI runs,
their links lead to files of the repository, and nothing points outside it."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
QUICK_START = "Quick start"
DEMO_COMMAND = "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/ravine demo"
OUTSIDE = ("../" + "shared", "/work/" + "shared")  # spelled apart: this file names them too
# The one outside data the project may name: tuning and evaluation data that must not ship
# (Financial PhraseBank), which CI points the tests at when the machine has it.
EVALUATION_DATA = "/data/phrasebank/"

_FENCE = re.compile(r"^(`{3,}|~{3,})")
_HEADING = re.compile(r"^#{1,6}(?:\s|$)")
# [text](target) and ![alt](target), the target up to whitespace or the closing parenthesis;
# also reference definitions: [name]: target
_INLINE_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_REFERENCE_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)
_EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)  # http:, https:, mailto:, …


def blocks(text: str) -> list[tuple[str, str, str]]:
    """The text as (heading, kind, content) pieces, in order: kind "code" for the contents of a
    fenced block (``` or ~~~, any info string), "prose" for a line outside them."""
    pieces: list[tuple[str, str, str]] = []
    heading, fence = "", ""
    code: list[str] | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if code is not None:
            if stripped.startswith(fence) and not stripped.strip(fence[0]):
                pieces.append((heading, "code", "\n".join(code).strip()))
                code = None
            else:
                code.append(line)
        elif match := _FENCE.match(stripped):
            fence, code = match.group(1), []
        else:
            if _HEADING.match(line):
                heading = line.lstrip("#").strip()
            pieces.append((heading, "prose", line))
    assert code is None, f"a code block under {heading!r} is never closed"
    return pieces


def sections(text: str) -> dict[str, list[str]]:
    """Each heading's fenced code blocks (their contents, stripped), by the heading's text."""
    found: dict[str, list[str]] = {}
    for heading, kind, content in blocks(text):
        if kind == "code":
            found.setdefault(heading, []).append(content)
    return found


def quick_start_commands() -> list[str]:
    found = sections(README.read_text(encoding="utf-8")).get(QUICK_START)
    assert found, f"the README has no code blocks under a heading {QUICK_START!r}"
    return found


def ci_test_command() -> str:
    """The last command line of .ci/run: what CI runs, after preparing the machine."""
    lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    commands = [line for line in lines if line.strip() and not line.lstrip().startswith("#")]
    return commands[-1]


def test_the_readme_test_command_is_exactly_what_ci_runs() -> None:
    commands = quick_start_commands()
    assert len(commands) == 2, f"{QUICK_START} gives two commands: demo, then tests; {commands}"
    assert commands[1] == ci_test_command()


def test_the_readme_demo_command_is_the_first_quick_start_command() -> None:
    assert quick_start_commands()[0] == DEMO_COMMAND


def test_code_blocks_are_found_whole_under_their_heading() -> None:
    """The parser sees a block whole, whatever fence it uses, and nothing outside blocks."""
    text = "# Quick start\n#tag\nRun `pytest` here.\n\n~~~sh\nmake demo\n~~~\n\n```\na && b\n```\n"
    assert sections(text) == {"Quick start": ["make demo", "a && b"]}


def markdown_files() -> list[Path]:
    files = [README, ROOT / "CHANGELOG.md", *sorted((ROOT / "docs").glob("*.md"))]
    return [path for path in files if path.is_file()]


def relative_links(text: str) -> list[str]:
    """Link targets that name a file of the repository: not URLs, not anchors alone, and not
    in code (a code block or span shows text, it links nothing)."""
    prose = [re.sub(r"`[^`]*`", "", line) for _, kind, line in blocks(text) if kind == "prose"]
    body = "\n".join(prose)
    targets = [*_INLINE_LINK.findall(body), *_REFERENCE_LINK.findall(body)]
    return [t for t in targets if not t.startswith("#") and not _EXTERNAL.match(t)]


def anchors(text: str) -> set[str]:
    """The fragments GitHub gives a document's headings: lower case, punctuation dropped,
    spaces as hyphens, and -1, -2, … after a repeated one."""
    seen: dict[str, int] = {}
    for heading, kind, line in blocks(text):
        if kind == "prose" and _HEADING.match(line):
            slug = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
            count = seen.get(slug, 0)
            seen[slug] = count + 1
            if count:
                seen[f"{slug}-{count}"] = 1
    return set(seen)


def leads_somewhere(page: Path, target: str) -> bool:
    """Whether a link of ``page`` names a file of the repository (and, in a Markdown file, one
    of its headings when it names one)."""
    name, _, fragment = target.partition("#")
    file = (page.parent / name).resolve()
    if not file.is_relative_to(ROOT) or not file.exists():
        return False
    return not fragment or file.suffix != ".md" or fragment in anchors(file.read_text("utf-8"))


@pytest.mark.parametrize("path", markdown_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_leads_to_a_file_of_the_repository(path: Path) -> None:
    links = relative_links(path.read_text(encoding="utf-8"))
    broken = [target for target in links if not leads_somewhere(path, target)]
    assert not broken, f"{path.relative_to(ROOT)} links to places that do not exist: {broken}"


@pytest.mark.parametrize("path", markdown_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_anchor_names_a_heading_of_its_own_document(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    targets = _INLINE_LINK.findall("\n".join(line for _, k, line in blocks(text) if k == "prose"))
    missing = [t for t in targets if t.startswith("#") and t[1:] not in anchors(text)]
    assert not missing, f"{path.relative_to(ROOT)} names headings it does not have: {missing}"


def test_anchors_follow_github() -> None:
    text = "# Roll-ups\n## 10,000,000 documents, PostgreSQL\n## How\n### How\n```\n# x\n```\n"
    assert anchors(text) == {"roll-ups", "10000000-documents-postgresql", "how", "how-1"}


def test_the_link_finder_sees_links_and_skips_the_rest() -> None:
    text = (
        "[a](docs/a.md) ![b](docs/b.png) [c](https://x.org/) [d](#top) [e](f.md#part)\n"
        "`[g](not-a-link.md)`\n```\n[h](code.md)\n```\n[i]: ref.md\n[j](mailto:a@b.c)\n"
    )
    assert relative_links(text) == ["docs/a.md", "docs/b.png", "f.md#part", "ref.md"]


def tracked_text_files() -> list[Path]:
    """The repository's tracked files that are text (no NUL in their first 8 kB)."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: no list of tracked files")
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    files = [ROOT / name.decode() for name in listed if name]
    return [path for path in files if path.is_file() and b"\0" not in path.read_bytes()[:8000]]


def lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8", errors="replace").splitlines()


def test_nothing_in_the_repository_points_outside_it() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in tracked_text_files()
        for number, line in enumerate(lines_of(path), start=1)
        if any(word in line for word in OUTSIDE) and EVALUATION_DATA not in line
    ]
    assert not found, "paths outside the repository:\n" + "\n".join(found)


def test_sections_of_the_design_cited_in_the_code_exist() -> None:
    """Code cites a part of the design by its heading, in quotes after the file's path: each
    such heading must be there."""
    design = (ROOT / "docs" / "design.md").read_text(encoding="utf-8")
    headings = {h for h, kind, line in blocks(design) if kind == "prose" and _HEADING.match(line)}
    cited = {
        (path.relative_to(ROOT).as_posix(), section)
        for path in tracked_text_files()
        if path.suffix == ".py"
        for section in re.findall(r'docs/design\.md,?\s+"([^"]+)"', path.read_text("utf-8"))
    }
    missing = sorted(pair for pair in cited if pair[1] not in headings)
    assert not missing, f"sections cited but not in docs/design.md: {missing}"
