"""Realistic generated posts for benchmarks: mixed lengths, emoji, negations, some long texts."""

from __future__ import annotations

import csv
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

OPENERS = [
    "honestly", "wow", "ugh", "so", "just saw this:", "PSA:", "not gonna lie,", "lol", "hmm",
]  # fmt: skip
CLAUSES = [
    "the flight was not great but the crew was really kind",
    "worst customer service I have ever had, never again",
    "I don't hate the new app, it's actually kind of good",
    "delayed AGAIN!!! three hours at the gate with no updates",
    "they fixed my booking in five minutes, impressed",
    "the food was cold and the seats were dirty",
    "not bad at all, would fly with them again",
    "this is hardly the service they promised in the ads",
    "great price, terrible communication, mixed feelings",
    "my bag arrived safe and early, thank you",
    "can't believe how rude the staff were today",
    "the lounge is nice but the wifi never works",
]
EMOJI = ["😊", "😡", "👍", "💔", "✈️", "😂", "🙄", "👏🏽", "🇺🇸", "❤️"]
PRESS = [
    "The company reported strong growth in the quarter and raised its outlook for the year.",
    "Management said demand remained robust across all regions despite higher fuel costs.",
    "The board approved a new share buyback programme and a higher dividend.",
    "We are committed to improving reliability and customer satisfaction.",
    "Operating margin improved as the network expansion continued on schedule.",
]


def post_text(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.08:  # a press-style paragraph of ~1 kB
        return " ".join(rng.choice(PRESS) for _ in range(rng.randint(5, 9)))
    parts = [rng.choice(OPENERS)] if rng.random() < 0.4 else []
    parts += [rng.choice(CLAUSES) for _ in range(rng.randint(1, 3))]
    text = ". ".join(parts)
    if rng.random() < 0.5:
        text += " " + "".join(rng.choice(EMOJI) for _ in range(rng.randint(1, 3)))
    if rng.random() < 0.3:
        text = "@northwindair " + text
    return text


def write_posts(path: Path, count: int, *, seed: int = 7) -> None:
    """Write ``count`` posts over three years, oldest first as exports and feeds deliver them,
    as CSV with the columns the importer maps by default."""
    rng = random.Random(seed)
    start = datetime(2023, 1, 1, tzinfo=UTC)
    step = 3 * 365 * 86_400 / count
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "created_at", "author", "text", "likes", "reposts", "replies"])
        for i in range(count):
            when = start + timedelta(seconds=int(i * step) + rng.randint(0, int(step)))
            writer.writerow(
                [
                    f"b{i}",
                    when.isoformat().replace("+00:00", "Z"),
                    f"user{rng.randint(1, 50_000)}",
                    post_text(rng),
                    rng.choice([0, 0, 1, 2, 5, 30]),
                    rng.choice([0, 0, 1, 3]),
                    rng.choice([0, 1, 2]),
                ]
            )
