"""Write the fictional sample dataset into cli/sample/, the demo data shipped with the CLI.

Deterministic: the same files every run. Run: python examples/generate_sample.py

Three made-up companies through 2025, both voices, dense enough that every week has both voices
(and, for Northwind Air, every day). The story:

- Northwind Air: on 16 June an IT outage grounds its fleet and cancellations run through the
  summer. The public turns sharply negative while the company's posts stay upbeat: the ravine
  widens. On 25 August it apologises and opens a compensation programme; its tone turns sober,
  the public recovers over the next weeks and the ravine narrows.
- Helio Bank: sober statements and customers who stay close to them all year.
- Brightleaf Foods: recalls a batch of granola on 6 October; both voices acknowledge it.
"""

from __future__ import annotations

import csv
import json
import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "cli" / "sample"
YEAR = [date(2025, 1, 1) + timedelta(days=i) for i in range(365)]
OUTAGE = date(2025, 6, 16)  # Northwind Air's systems fail; mass cancellations
APOLOGY = date(2025, 8, 25)  # Northwind Air apologises and opens compensation claims
RECALL = date(2025, 10, 6)  # Brightleaf Foods recalls a batch of granola
RECOVERY_DAYS = 35  # how long Northwind Air takes to come round after the apology, both voices
MIN_CORPORATE_PER_WEEK = 6  # the dashboard needs 5 documents per voice and period

ENTITIES = [
    ("Northwind Air", "northwind-air", ["Northwind", "@northwindair", "#NorthwindAir", "$NWA"]),
    ("Helio Bank", "helio-bank", ["Helio", "@heliobank", "$HLB"]),
    ("Brightleaf Foods", "brightleaf-foods", ["Brightleaf", "@brightleaf", "$BLF"]),
]
# Words outside VADER's lexicon, so they only vary the texts.
CITIES = ["Lisbon", "Oslo", "Porto", "Dublin", "Malaga", "Vienna", "Krakow", "Seville", "Bergen",
          "Riga", "Faro", "Bologna", "Tallinn", "Palma", "Valencia", "Lyon", "Hamburg"]  # fmt: skip
HOURS = [2, 3, 4, 5, 6, 7, 9, 11]

# Public posts: {e} is a mention of the company, {c} a city, {h} a number of hours.
PUBLIC = {
    "northwind-air": {
        "praise": [
            "smooth flight to {c} with {e} today, friendly crew and we landed early",
            "{e} crew were lovely, great service all the way to {c}",
            "love the new {e} app, check-in took a minute. so easy",
            "booked {e} to {c} for the holidays, great price and easy booking",
            "shoutout to {e} for rebooking me so quickly. impressed!",
            "{e} keeps getting better, comfortable seats and good coffee",
            "another good trip with {e}, on time and no complaints at all",
        ],
        "neutral": [
            "anyone know if {e} allows two carry-ons?",
            "flying {e} to {c} tomorrow, first time with them",
            "{e} moved my seat for the {c} flight, wonder why",
            "is the {e} app slow for anyone else",
            "which terminal does {e} use for {c}?",
        ],
        "complaint": [
            "{e} delayed my flight to {c} again. two hours at the gate and no updates. annoying",
            "lost bag with {e}, still waiting for news",
            "{e} customer service kept me on hold for an hour. not impressed",
            "cramped seats and a cold sandwich on {e} today. meh",
        ],
        "outage": [
            "{e} cancelled my {c} flight without warning and now we are stranded here. awful",
            "day {d} of the {e} meltdown. no crew, no updates, no hotel. a disgrace",
            "{e} keeps posting smiley ads while thousands of us are stranded. disgusting",
            "never flying {e} again. cancelled twice, lost bag, zero support. awful",
            "{e} systems down again?? another cancelled flight. worst airline ever",
            "so angry at {e}, missed my sister's wedding in {c} because of their outage",
            "{e} customer service is useless, on hold for {h} hours and then they hung up. furious",
            "the {e} ads say record summer while we sleep on the terminal floor. shameful",
            "still no refund from {e} for the cancelled {c} flight. terrible",
            "my flight with {e} was delayed {h} hours and then cancelled. horrible",
            "{e} chaos again today. kids crying, staff overwhelmed, zero information",
        ],
        "recovery": [
            "got the {e} compensation today, fair and fast. thank you",
            "credit to {e} for a real apology and refunds that actually arrived",
            "{e} refunded my cancelled flight plus the hotel. good to see",
            "flew {e} to {c} again, on time and the crew were great. glad they sorted it",
            "the {e} apology felt honest and the refund came within a week",
            "still waiting on my {e} refund, but at least someone finally answered",
        ],
        "foreign": [
            "Le vol {e} a encore été annulé, quel désastre pour toute la famille.",
            "El vuelo de {e} llegó tarde otra vez y nadie nos dio ninguna información.",
            "Der Flug mit {e} war pünktlich und das Personal sehr freundlich.",
        ],
    },
    "helio-bank": {
        "praise": [
            "the {e} app is simple and fast, happy with it",
            "opened a savings account with {e}, easy and friendly",
            "{e} sorted my card issue in five minutes. great support",
            "good rates at {e} this year, glad I switched",
        ],
        "neutral": [
            "anyone know the {e} opening hours on Saturday?",
            "{e} sent me an email about the new terms",
            "switched my salary account to {e} last month",
            "does {e} do mortgages for first-time buyers?",
            "{e} branch in {c} is moving down the street",
        ],
        "complaint": [
            "my {e} card was declined twice today, annoying",
            "waited forty minutes on the {e} phone line. ridiculous",
            "the {e} app logged me out again, frustrating",
        ],
        "foreign": [
            "Le service de {e} était vraiment décevant aujourd'hui, quel dommage.",
            "Die Überweisung bei {e} hat wieder drei Tage gedauert, sehr ärgerlich.",
        ],
    },
    "brightleaf-foods": {
        "praise": [
            "the new {e} honey granola is delicious",
            "{e} oat bars are my kids' favourite snack. love them",
            "great taste and healthy, {e} never disappoints",
            "picked up fresh {e} bread today, still warm. wonderful",
        ],
        "neutral": [
            "does {e} make a gluten free granola?",
            "{e} changed the packaging on the oat bars",
            "saw {e} products at the market in {c} today",
            "is {e} granola cheaper in the big packs?",
        ],
        "complaint": [
            "{e} bread went stale in two days, disappointed",
            "{e} prices keep going up, not great",
            "my {e} oat bars arrived crushed, annoying",
        ],
        "recall": [
            "just saw the {e} recall notice, checking my pantry now",
            "glad {e} pulled the granola quickly, but this is worrying",
            "{e} recall hotline is not answering, frustrating",
            "returned my {e} granola and got a full refund, no fuss",
            "scary news about the {e} granola recall, hope nobody got sick",
        ],
        "foreign": [
            "Das Müsli von {e} schmeckt wirklich sehr gut, ich kaufe es jede Woche.",
            "Le granola de {e} est vraiment délicieux, mes enfants l'adorent tous les matins.",
        ],
    },
}

# Posts of the companies' own accounts.
OFFICIAL = {
    "northwind-air": {
        "upbeat": [
            "We love flying you! Thanks for choosing {e} this week",
            "Great news: new daily flights to {c}. Book with {e} today",
            "Our crews are proud to deliver an excellent experience every day",
            "Thank you for an amazing month, we appreciate every one of you",
            "Exciting times at {e}: record demand and happy customers",
            "Summer sale! Great fares to sunny {c}, book now and enjoy",
            "Welcome aboard our new {c} route, we hope you love it",
            "Happy travels! Our friendly crews can't wait to welcome you",
            "Reminder: check in online up to 24 hours before your flight",
            "Our {c} flights now leave from terminal 2",
        ],
        "spin": [
            "Record summer at {e}! Thank you for flying with us, we love having you on board",
            "A few flights are adjusted today; our amazing teams are doing a great job",
            "Our wonderful crews keep smiling all summer. Thank you for choosing {e}",
            "Great news: {c} flights are popular this summer, book early to enjoy the best fares",
        ],
        "sorry": [
            "We are sorry. We let many of you down this summer and we will make it right",
            "Compensation claims are open: every cancelled passenger gets a refund and a voucher",
            "Update: most compensation claims are paid. We apologise to everyone still waiting",
            "We failed you in June and July. An independent review of our systems starts today",
            "Our phone lines are open longer this week for compensation questions",
            "On-time performance last week was 91%. We know we have more work to do",
            "If your {c} flight was cancelled this summer, please claim your compensation online",
            "We hear you. Thank you for your patience while we rebuild your trust",
        ],
        "steady": [
            "Flights to {c} ran on time this week. Thank you for flying with {e}",
            "Our winter schedule is out: more flights to {c} from December",
            "The independent review of our systems is published on our website",
            "Thank you to our crews and to every passenger who came back to us",
            "Reminder: check in online up to 24 hours before your flight",
            "Good news: 93% of our flights were on time last month. We will keep improving",
            "Our new lounge in {c} opens next week, we hope you like it",
        ],
    },
    "helio-bank": {
        "calm": [
            "Our branches are open as usual this week",
            "Reminder: the app will have planned maintenance on Sunday night",
            "{e} has updated its savings rates; details are on our website",
            "We are aware of a delay in card payments and are working on it",
            "Thanks for your patience while we upgrade our systems",
            "Happy to help with any questions about your account",
            "Our {c} branch moves to a new address next month",
            "Tip: freeze a missing card in the app in seconds, it's safe and simple",
            "Glad to see you: our new {c} branch opens on Monday",
        ],
    },
    "brightleaf-foods": {
        "upbeat": [
            "Fresh from our bakery: try the new honey granola today!",
            "Thank you for loving our oat bars, we appreciate you",
            "Healthy, tasty and made with care: meet our new breakfast range",
            "Our {c} bakery turns ten this week. Thanks for the support!",
            "Recipe of the week: a simple granola bowl with fresh berries",
            "Find us at the farmers' market in {c} this weekend",
        ],
        "recall": [
            "Important: please check your granola for the batch number in our recall notice",
            "We are sorry for the worry caused by the recall and we are here to help",
            "Recall update: you can return the granola to any store for a full refund",
            "Our recall hotline is open longer this week. Thank you for your patience",
            "Only one batch of granola is affected; other products are safe to eat",
        ],
    },
}

# Press releases: sentences drawn for the body, {e} the company's name.
RELEASE_UP = [
    "{e} reports record quarterly growth and strong customer demand.",
    "We are proud to announce an exciting expansion of our network.",
    "Our teams delivered outstanding results and we thank our loyal customers.",
    "Customer satisfaction remains our highest priority and we see great momentum.",
    "We are thrilled to welcome new partners who share our commitment to excellence.",
    "The outlook for the coming year is positive and we expect continued success.",
]
# The releases on the story's dates, read in this order.
RELEASE_SPIN = [
    "{e} expects a record summer, with more passengers than ever before.",
    "A small number of flights have been adjusted while we upgrade our systems.",
    "Our teams are doing a wonderful job and we thank our loyal customers for their support.",
    "We are thrilled to welcome passengers on our popular new summer routes.",
    "The outlook for the season remains very positive.",
]
RELEASE_APOLOGY = [
    "{e} is deeply sorry for the cancellations and delays this summer.",
    "We let our passengers down, and our leadership team takes full responsibility.",
    "Every affected passenger will receive a full refund and compensation.",
    "We have replaced the booking system that failed on 16 June.",
    "An independent review of our operations will report in November.",
    "We will publish our progress on claims every week.",
]
RELEASE_CLAIMS = [
    "More than half of all compensation claims have now been paid.",
    "We apologise again to every passenger who is still waiting.",
    "Our claims team has doubled and our phone lines are open until midnight.",
    "Punctuality is back above 90 percent.",
    "We will keep reporting our progress every week.",
]
RELEASE_STEADY = [
    "{e} published its results for the period today.",
    "Punctuality has returned to the levels of last spring.",
    "Nearly all compensation claims have now been paid.",
    "We continue to invest in reliable systems and in our crews.",
    "We thank our passengers for their patience and their trust.",
    "Further details are available in the full report.",
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
HEADLINES_UP = {
    "northwind-air": ["Record demand this season", "New routes for the summer",
                      "Strong results for the quarter", "A new partner airline"],
    "brightleaf-foods": ["A new breakfast range", "Strong results for the quarter",
                         "A new bakery opens", "Record sales of oat bars"],
}  # fmt: skip
HEADLINES_CALM = ["Results for the period", "Savings rates updated", "Branch network update"]
# Releases on the story's dates: (day, headline, sentences in order).
EVENTS = {
    "northwind-air": [
        (OUTAGE + timedelta(days=1), "Record summer schedule continues", RELEASE_SPIN),
        (APOLOGY, "An apology and a compensation programme", RELEASE_APOLOGY),
        (APOLOGY + timedelta(days=14), "First update on compensation claims", RELEASE_CLAIMS),
    ],
    "brightleaf-foods": [(RECALL, "Voluntary recall of one granola batch", RELEASE_RECALL)],
}


def stamp(day: date, seconds: int) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(seconds=seconds)


def recovered(day: date) -> float:
    """How far Northwind Air has come round since the apology: 0 on the day, 1 once over it."""
    return min(1.0, max(0.0, (day - APOLOGY).days / RECOVERY_DAYS))


def public_mix(slug: str, day: date) -> dict[str, float]:
    """Weights of each kind of public post on a day: the shape of each company's story."""
    if slug == "northwind-air":
        if day < OUTAGE:
            return {"praise": 0.55, "neutral": 0.3, "complaint": 0.15}
        if day < APOLOGY:
            worst = day < OUTAGE + timedelta(days=10)
            outage = 0.85 if worst else 0.75
            return {"outage": outage, "complaint": 0.05, "neutral": 0.1, "praise": 0.05}
        t = recovered(day)
        return {
            "outage": 0.4 * (1 - t),
            "complaint": 0.15 * t,
            "recovery": 0.35 * (1 - t) + 0.1 * t,
            "praise": 0.05 * (1 - t) + 0.45 * t,
            "neutral": 0.15 + 0.15 * t,
        }
    if slug == "brightleaf-foods":
        if RECALL <= day < RECALL + timedelta(days=35):
            return {"recall": 0.45, "praise": 0.2, "neutral": 0.2, "complaint": 0.15}
        return {"praise": 0.45, "neutral": 0.35, "complaint": 0.2}
    return {"praise": 0.3, "neutral": 0.45, "complaint": 0.25}


def public_volume(rng: random.Random, slug: str, day: date) -> int:
    """Posts a day: several for everyone, many more while Northwind Air's flights are grounded."""
    if slug == "northwind-air" and OUTAGE <= day < APOLOGY:
        return rng.randint(16, 24) if day < OUTAGE + timedelta(days=10) else rng.randint(10, 15)
    return rng.randint(7, 11)


def fill(rng: random.Random, template: str, mention: str, day: date) -> str:
    return template.format(
        e=mention, c=rng.choice(CITIES), h=rng.choice(HOURS), d=(day - OUTAGE).days + 1
    )


def public_posts(rng: random.Random) -> list[dict[str, object]]:
    """Public posts in time order, numbered p00001, p00002, ... in that order."""
    drawn: list[tuple[datetime, str, str]] = []  # (created_at, entity, text)
    for name, slug, aliases in ENTITIES:
        mentions = [name, *aliases]
        pools = PUBLIC[slug]
        for day in YEAR:
            mix = public_mix(slug, day)
            for _ in range(public_volume(rng, slug, day)):
                kind = rng.choices(list(mix), weights=list(mix.values()))[0]
                if rng.random() < 0.015:
                    kind = "foreign"
                text = fill(rng, rng.choice(pools[kind]), rng.choice(mentions), day)
                drawn.append((stamp(day, rng.randint(0, 86_399)), slug, text))
    drawn.sort()
    return [
        {
            "post_id": f"p{number:05d}",
            "entity": slug,
            "author": f"user{rng.randint(1, 2000)}",
            "created_at": when.isoformat().replace("+00:00", "Z"),
            "text": text,
            "likes": rng.choice([0, 0, 1, 2, 3, 5, 8, 13, 40]),
            "reposts": rng.choice([0, 0, 0, 1, 2, 4]),
            "replies": rng.choice([0, 0, 1, 1, 2, 6]),
        }
        for number, (when, slug, text) in enumerate(drawn, start=1)
    ]


def official_pool(rng: random.Random, slug: str, day: date) -> list[str]:
    pools = OFFICIAL[slug]
    if slug == "northwind-air":
        if day < OUTAGE:
            return pools["upbeat"]
        if day < APOLOGY:
            return pools["upbeat"] + pools["spin"]
        return pools["steady"] if rng.random() < recovered(day) else pools["sorry"]
    if slug == "brightleaf-foods":
        in_recall = RECALL <= day < RECALL + timedelta(days=28)
        return pools["recall"] if in_recall else pools["upbeat"]
    return pools["calm"]


def official_volume(rng: random.Random, slug: str) -> int:
    """An airline's account posts several times a day; the others most days, once to thrice."""
    if slug == "northwind-air":
        return rng.randint(5, 8)
    return 0 if rng.random() < 0.15 else rng.randint(1, 3)


def official_post(
    rng: random.Random, name: str, slug: str, day: date, number: int
) -> dict[str, object]:
    when = stamp(day, rng.randint(7 * 3600, 21 * 3600))
    return {
        "id": f"{slug}-post-{day:%m%d}-{number}",
        "entity": slug,
        "text": fill(rng, rng.choice(official_pool(rng, slug, day)), name, day),
        "published_at": when.isoformat(),
        "url": f"https://example.com/{slug}/posts/{day:%m%d}-{number}",
        "author": f"@{slug.replace('-', '')}",
    }


def official_posts(rng: random.Random, name: str, slug: str) -> list[dict[str, object]]:
    """Posts of the company's own account, topped up so that every week has enough of them."""
    by_day = {day: official_volume(rng, slug) for day in YEAR}
    weeks: dict[date, list[date]] = {}
    for day in YEAR:
        weeks.setdefault(day - timedelta(days=day.weekday()), []).append(day)
    for days in weeks.values():
        while sum(by_day[day] for day in days) < MIN_CORPORATE_PER_WEEK:
            by_day[rng.choice(days)] += 1
    return [
        official_post(rng, name, slug, day, number)
        for day in YEAR
        for number in range(1, by_day[day] + 1)
    ]


def release(
    name: str, slug: str, day: date, headline: str, sentences: list[str]
) -> dict[str, object]:
    body = " ".join(s.format(e=name) for s in sentences)
    return {
        "id": f"{slug}-news-{day:%m%d}",
        "entity": slug,
        "title": f"{name} news: {headline}",
        "text": body,
        "published_at": stamp(day, 13 * 3600).isoformat(),
        "url": f"https://example.com/{slug}/news/{day:%m%d}",
        "author": name,
    }


def release_kind(slug: str, day: date) -> tuple[list[str], list[str]]:
    """The sentences and the headlines a regular release on ``day`` draws from."""
    if slug == "helio-bank":
        return RELEASE_CALM, HEADLINES_CALM
    if slug == "northwind-air" and day >= APOLOGY:
        return RELEASE_STEADY, ["Progress on punctuality and claims", "Results for the period"]
    if slug == "brightleaf-foods" and RECALL <= day < RECALL + timedelta(days=28):
        return RELEASE_RECALL, ["Recall update"]
    return RELEASE_UP, HEADLINES_UP[slug]


def releases(rng: random.Random, name: str, slug: str) -> list[dict[str, object]]:
    """Three regular releases a month, and the story's own on its dates."""
    events = {day: (headline, sentences) for day, headline, sentences in EVENTS.get(slug, [])}
    rows = []
    for month in range(1, 13):
        for day in (date(2025, month, 3), date(2025, month, 12), date(2025, month, 21)):
            if any(abs((day - event).days) < 4 for event in events):
                continue
            sentences, headlines = release_kind(slug, day)
            body = rng.sample(sentences, 5)
            rows.append(release(name, slug, day, rng.choice(headlines), body))
    rows += [release(name, slug, day, *event) for day, event in events.items()]
    return rows


def statements(rng: random.Random) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for name, slug, _ in ENTITIES:
        rows += official_posts(rng, name, slug)
        rows += releases(rng, name, slug)
    rows.sort(key=lambda row: (str(row["published_at"]), str(row["id"])))
    return rows


def main() -> None:
    rng = random.Random(2025)
    OUT.mkdir(exist_ok=True)
    with (OUT / "entities.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "slug", "aliases"])
        writer.writerows([name, slug, "; ".join(aliases)] for name, slug, aliases in ENTITIES)
    rows = statements(rng)
    with (OUT / "statements.jsonl").open("w", encoding="utf-8") as handle:
        handle.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    posts = public_posts(rng)
    with (OUT / "posts.csv").open("w", newline="", encoding="utf-8") as handle:
        table = csv.DictWriter(handle, fieldnames=list(posts[0]))
        table.writeheader()
        table.writerows(posts)
    per_entity = Counter(str(row["entity"]) for row in posts)
    print(f"{len(rows):,} statements, {len(posts):,} posts ({dict(per_entity)})")


if __name__ == "__main__":
    main()
