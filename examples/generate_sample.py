"""Write the fictional sample dataset into cli/sample/, the demo data shipped with the CLI.

Deterministic: the same files every run.

Three made-up companies over 2025, both voices. Northwind Air keeps issuing upbeat releases
through a summer of delays while the public turns against it; Helio Bank's statements and its
customers stay close; Brightleaf Foods has a product recall in the autumn that both voices
acknowledge. Run: python examples/generate_sample.py
"""

from __future__ import annotations

import csv
import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "cli" / "sample"
YEAR_START = datetime(2025, 1, 1, tzinfo=UTC)

ENTITIES = [
    ("Northwind Air", "northwind-air", ["Northwind", "@northwindair", "#NorthwindAir", "$NWA"]),
    ("Helio Bank", "helio-bank", ["Helio", "@heliobank", "$HLB"]),
    ("Brightleaf Foods", "brightleaf-foods", ["Brightleaf", "@brightleaf", "$BLF"]),
]

PRAISE = [
    "{e} crew were lovely today, smooth trip and friendly service",
    "honestly {e} made this so easy, great app and quick support",
    "really happy with {e} this week, everything just worked",
    "shoutout to {e} for fixing my problem in five minutes. impressed!",
    "{e} keeps getting better, love the new features",
    "good experience with {e} again, no complaints at all",
]
NEUTRAL = [
    "anyone know if {e} changed their opening hours?",
    "using {e} for the first time tomorrow, we will see",
    "{e} sent me an email about the new terms",
    "is the {e} app down for anyone else or just me",
    "switched my account to {e} last month",
]
COMPLAINT = [
    "{e} delayed my flight again. three hours at the gate and no updates. awful",
    "never flying {e} again, lost bag and nobody cares",
    "{e} customer service is a joke, on hold for 2 hours",
    "so tired of {e} cancelling at the last minute. worst experience",
    "{e} keeps saying things are great while we sit here stranded. unbelievable",
    "not happy with {e} at all, terrible communication and rude staff",
]
RECALL = [
    "just saw the {e} recall notice, checking my pantry now",
    "glad {e} pulled the product quickly, but this is worrying",
    "{e} recall is a mess, the hotline is not answering",
]
RELEASE_UP = [
    "{e} reports record quarterly growth and strong customer demand.",
    "We are proud to announce an exciting expansion of our network.",
    "Our teams delivered outstanding results and we thank our loyal customers.",
    "Customer satisfaction remains our highest priority and we see great momentum.",
    "We are thrilled to welcome new partners who share our commitment to excellence.",
    "The outlook for the coming year is positive and we expect continued success.",
]
RELEASE_CALM = [
    "{e} published its results for the period today.",
    "Revenue was broadly in line with the previous quarter.",
    "We acknowledge that some customers faced difficulties and we are working to fix them.",
    "We will keep customers informed as the work progresses.",
    "The company continues to invest in service and reliability.",
    "Further details are available in the full report.",
]
RELEASE_RECALL = [
    "{e} is voluntarily recalling one batch of its granola as a precaution.",
    "We are sorry for the concern this causes and are contacting affected customers.",
    "No other products are affected.",
    "Customers can return the product for a full refund at any store.",
    "We are reviewing our supplier checks to prevent this from happening again.",
]
OFFICIAL_UP = [
    "We love flying you! Thanks for choosing {e} this week",
    "Great news: more routes, more smiles. Book with {e} today",
    "Our crews are proud to deliver an excellent experience every day",
    "Thank you for an amazing month, we appreciate every one of you",
    "Exciting times at {e}: record demand and happy customers",
]
OFFICIAL_CALM = [
    "Our branches are open as usual this week",
    "Reminder: the app will have planned maintenance on Sunday night",
    "{e} has updated its savings rates; details are on our website",
    "We are aware of a delay in card payments and are working on it",
    "Thanks for your patience while we upgrade our systems",
    "Happy to help with any questions about your account",
]
OFFICIAL_RECALL = [
    "Important: please check your granola for the batch number in our recall notice",
    "We are sorry for the worry caused by the recall and we are here to help",
]
FOREIGN = [
    "Le service de {e} était vraiment décevant aujourd'hui, quel dommage.",
    "El vuelo de {e} llegó tarde otra vez, qué desastre.",
]


def mood(slug: str, month: int) -> tuple[float, float]:
    """Share of (praise, complaint) posts in a month: the shape of each company's story."""
    if slug == "northwind-air":
        return (0.1, 0.75) if 6 <= month <= 9 else (0.45, 0.2)
    if slug == "brightleaf-foods" and month in (10, 11):
        return (0.2, 0.3)
    if slug == "helio-bank":
        return (0.3, 0.2)
    return (0.45, 0.2)


def public_posts(rng: random.Random) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for name, slug, aliases in ENTITIES:
        mentions = [name, *aliases]
        for month in range(1, 13):
            praise, complaint = mood(slug, month)
            for _ in range(rng.randint(55, 75)):
                day = YEAR_START.replace(month=month) + timedelta(
                    days=rng.randint(0, 27), seconds=rng.randint(0, 86_399)
                )
                roll = rng.random()
                pool = (
                    PRAISE if roll < praise else COMPLAINT if roll < praise + complaint else NEUTRAL
                )
                if slug == "brightleaf-foods" and month in (10, 11) and rng.random() < 0.4:
                    pool = RECALL
                if rng.random() < 0.02:
                    pool = FOREIGN
                text = rng.choice(pool).format(e=rng.choice(mentions))
                rows.append(
                    {
                        "post_id": f"p{len(rows) + 1:05d}",
                        "entity": slug,
                        "author": f"user{rng.randint(1, 400)}",
                        "created_at": day.isoformat().replace("+00:00", "Z"),
                        "text": text,
                        "likes": rng.choice([0, 0, 1, 2, 3, 5, 8, 13, 40]),
                        "reposts": rng.choice([0, 0, 0, 1, 2, 4]),
                        "replies": rng.choice([0, 0, 1, 1, 2, 6]),
                    }
                )
    rows.sort(key=lambda row: str(row["created_at"]))
    return rows


def official_posts(rng: random.Random, name: str, slug: str, month: int) -> list[dict[str, object]]:
    """Posts of the company's own account: about five a week, in the company's voice."""
    pool = OFFICIAL_CALM if slug == "helio-bank" else OFFICIAL_UP
    rows: list[dict[str, object]] = []
    for day in range(1, 29):
        if rng.random() > 0.75:
            continue
        chosen = OFFICIAL_RECALL if slug == "brightleaf-foods" and month == 10 else pool
        when = YEAR_START.replace(month=month, day=day, hour=rng.randint(8, 20))
        rows.append(
            {
                "id": f"{slug}-post-{month:02d}-{day:02d}",
                "entity": slug,
                "text": rng.choice(chosen).format(e=name),
                "published_at": when.isoformat(),
                "url": f"https://example.com/{slug}/posts/{month:02d}{day:02d}",
                "author": f"@{slug.replace('-', '')}",
            }
        )
    return rows


def statements(rng: random.Random) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for name, slug, _ in ENTITIES:
        for month in range(1, 13):
            rows += official_posts(rng, name, slug, month)
            for index in range(3):
                when = YEAR_START.replace(month=month, day=3 + 9 * index, hour=13)
                sentences = RELEASE_CALM if slug == "helio-bank" else RELEASE_UP
                if slug == "brightleaf-foods" and month == 10 and index == 0:
                    sentences = RELEASE_RECALL
                body = " ".join(s.format(e=name) for s in rng.sample(sentences, 5))
                rows.append(
                    {
                        "id": f"{slug}-{month:02d}-{index + 1}",
                        "entity": slug,
                        "title": f"{name} news, {when:%B %Y} ({index + 1})",
                        "text": body,
                        "published_at": when.isoformat(),
                        "url": f"https://example.com/{slug}/news/{month:02d}-{index + 1}",
                        "author": name,
                    }
                )
    rows.sort(key=lambda row: str(row["published_at"]))
    return rows


def main() -> None:
    rng = random.Random(2025)
    OUT.mkdir(exist_ok=True)
    with (OUT / "entities.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "slug", "aliases"])
        writer.writerows([name, slug, "; ".join(aliases)] for name, slug, aliases in ENTITIES)
    with (OUT / "statements.jsonl").open("w", encoding="utf-8") as handle:
        handle.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in statements(rng))
    posts = public_posts(rng)
    with (OUT / "posts.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(posts[0]))
        writer.writeheader()
        writer.writerows(posts)


if __name__ == "__main__":
    main()
