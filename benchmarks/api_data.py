"""The read benchmark's database: 20 entities over three years, loaded through the write path.

Volumes are skewed (Zipf, the largest entity holding about 9% of the documents), about 5% of
the documents are corporate statements (weekday office hours, a third of them titled press
releases) and public posts follow a day-and-night cycle. Documents arrive month by month, as
live ingest would deliver them, and are stored by :func:`ravine.repository.documents.
upsert_documents` in batches of 5,000: roll-ups, totals and the text index follow as in any
import. Scores are drawn rather than computed (scoring 10 million texts would take most of an
hour and is measured by ``ingest_bench``); the texts come from :mod:`benchmarks.corpus`.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from benchmarks.corpus import PRESS, post_text
from ravine import migrate
from ravine.db import make_engine, make_session_factory, session_scope
from ravine.models import Document
from ravine.records import DocumentRecord
from ravine.repository.documents import upsert_documents
from ravine.repository.entities import upsert_entity
from ravine.repository.sources import get_or_create_source
from ravine.repository.statistics import refresh_statistics

START = date(2023, 1, 1)
DAYS = 3 * 365 + 1  # 2023-01-01 .. 2025-12-31
END = START + timedelta(days=DAYS - 1)
BATCH = 5000
CORPORATE_SHARE = 0.05
ZIPF = 0.3  # the largest of 20 entities then holds about 9% of the documents
NAMES = [
    "Northwind Air", "Contoso Bank", "Fabrikam Motors", "Tailspin Toys", "Litware Health",
    "Proseware Telecom", "Adventure Works", "Wingtip Energy", "Fourth Coffee", "Margie Travel",
    "Alpine Ski House", "Blue Yonder Rail", "Coho Winery", "Lucerne Publishing", "Trey Research",
    "Wide World Importers", "Woodgrove Insurance", "Graphic Design Institute", "Humongous Foods",
    "School of Fine Art",
]  # fmt: skip
TAIL_WORDS = 200_000
TAIL_KINDS = ("#", "@", "", "")
DATA_VERSION = 2  # the database's name changes with what this module generates
# Share of public posts per UTC hour: quiet nights, a long afternoon and evening peak.
PUBLIC_HOURS = [2, 1, 1, 1, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10, 10, 9, 9, 8, 7, 6, 4, 3]


@dataclass(frozen=True, slots=True)
class Plan:
    """How many documents each entity gets, largest first."""

    counts: list[int]

    @classmethod
    def for_total(cls, documents: int, entities: int = len(NAMES)) -> Plan:
        weights = [1 / (rank**ZIPF) for rank in range(1, entities + 1)]
        total = sum(weights)
        counts = [int(documents * w / total) for w in weights]
        counts[0] += documents - sum(counts)
        return cls(counts)


def slug_of(rank: int) -> str:
    """The slug of the ``rank``-th largest entity (0 is the largest)."""
    return NAMES[rank].lower().replace(" ", "-")


def build(url: str, documents: int, *, seed: int = 12, progress: bool = True) -> None:
    """Create the schema and load ``documents`` documents into the database at ``url``."""
    engine = make_engine(url)
    migrate.upgrade(engine)
    factory = make_session_factory(engine)
    plan = Plan.for_total(documents)
    with session_scope(factory, write=True) as session:
        sources = _sources(session)
    rng = random.Random(seed)
    loaded = 0
    for month_start, month_end in _months():
        before, after = (month_start - START).days, (month_end - START).days
        for rank, count in enumerate(plan.counts):
            corporate = round(count * CORPORATE_SHARE)
            for voice, total in (("corporate", corporate), ("public", count - corporate)):
                # Each month's share of the voice's total, so the totals are exact.
                n = total * after // DAYS - total * before // DAYS
                records = _records(rng, rank, voice, n, month_start, after - before, sources)
                loaded += _store(factory, sources[rank, voice], list(records))
        if progress and month_end.month == 1:
            print(f"  loaded {loaded:,} documents (to {month_end})", flush=True)
    with session_scope(factory) as session:
        refresh_statistics(session)  # as a large file import does
    engine.dispose()


def stored_documents(url: str) -> int | None:
    """Documents in a finished benchmark database, None where there is no usable one."""
    engine = make_engine(url)
    try:
        if migrate.current_revision(engine) != migrate.HEAD_REVISION:
            return None
        with engine.connect() as connection:
            return int(connection.scalar(select(func.count()).select_from(Document)) or 0)
    except Exception:
        return None
    finally:
        engine.dispose()


def _sources(session: Session) -> dict[tuple[int, str], tuple[int, int]]:
    """(rank, voice) → (entity id, source id)."""
    found = {}
    for rank, name in enumerate(NAMES):
        entity = upsert_entity(session, name=name, aliases=[name.split()[0]])[0]
        for voice in ("corporate", "public"):
            source = get_or_create_source(
                session, name=f"bench:{slug_of(rank)}:{voice}", kind="file", voice=voice
            )
            found[rank, voice] = (entity.id, source.id)
    return found


def _months() -> Iterator[tuple[date, date]]:
    first = START
    while first <= END:
        following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        yield first, min(following, END + timedelta(days=1))
        first = following


def _records(
    rng: random.Random,
    rank: int,
    voice: str,
    count: int,
    first: date,
    days: int,
    sources: dict[tuple[int, str], tuple[int, int]],
) -> Iterator[DocumentRecord]:
    entity_id = sources[rank, voice][0]
    # Each entity has its own mood, which drifts over the three years.
    drift = math.sin((first - START).days / 180 + rank)
    mood = 0.45 + 0.1 * drift if voice == "corporate" else -0.05 * rank / 10 + 0.15 * drift
    for i in range(count):
        when = _moment(rng, voice, first, days)
        compound = max(-1.0, min(1.0, round(rng.gauss(mood, 0.45), 4)))
        positive = max(compound, 0.0)
        negative = max(-compound, 0.0)
        titled = voice == "corporate" and rng.random() < 1 / 3
        text = " ".join(rng.sample(PRESS, rng.randint(2, 4))) if voice == "corporate" else ""
        yield DocumentRecord(
            external_id=f"{voice[0]}{rank}-{first.isoformat()}-{i}",
            entity_id=entity_id,
            voice=voice,
            text=text or _with_tail(rng, post_text(rng)),
            title=f"{NAMES[rank]} announces update {i}" if titled else None,
            published_at=when,
            author=NAMES[rank] if voice == "corporate" else f"user{int(rng.paretovariate(1.2))}",
            likes=int(rng.paretovariate(1.5)) - 1,
            reposts=int(rng.paretovariate(2.0)) - 1,
            replies=rng.choice((0, 0, 1, 2)),
            neg=round(negative / 2, 3),
            neu=round(1 - (positive + negative) / 2, 3),
            pos=round(positive / 2, 3),
            compound=compound,
            sentences=1,
            lang="en",
            scorer_version="bench",
        )


def _with_tail(rng: random.Random, text: str) -> str:
    """A post with the long tail of real posts' words: handles, hashtags, names, typos drawn
    from a vocabulary of 200,000 (Zipf-like), so that text search meets rare words as it would
    in production, not only the generator's hundred common ones."""
    extra = [f"{rng.choice(TAIL_KINDS)}{_tail_word(rng)}" for _ in range(rng.choice((0, 1, 1, 2)))]
    return " ".join([text, *extra])


def _tail_word(rng: random.Random) -> str:
    rank = int(TAIL_WORDS ** rng.random())  # log-uniform: P(rank) falls as 1 / rank (Zipf)
    return f"w{rank:x}"


def _moment(rng: random.Random, voice: str, first: date, days: int) -> datetime:
    day = first + timedelta(days=rng.randrange(days))
    if voice == "corporate":  # weekday office hours, US Eastern (13:00-22:00 UTC)
        while day.weekday() >= 5:
            day = first + timedelta(days=rng.randrange(days))
        hour = rng.randrange(13, 22)
    else:
        hour = rng.choices(range(24), weights=PUBLIC_HOURS)[0]
    seconds = hour * 3600 + rng.randrange(3600)
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(seconds=seconds)


def _store(
    factory: sessionmaker[Session], ids: tuple[int, int], records: list[DocumentRecord]
) -> int:
    for start in range(0, len(records), BATCH):
        with session_scope(factory, write=True) as session:
            upsert_documents(
                session, source_id=ids[1], records=records[start : start + BATCH], expect_new=True
            )
    return len(records)
