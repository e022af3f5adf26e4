"""A page's items → records to store: matched to the entity, fitted to the columns, scored.

Matching uses the masking rules themselves (:func:`ravine.masking.mask`): a post mentions the
entity exactly when masking would change it, so the word-boundary, case-insensitive rules for
names, @handles, #hashtags and $cashtags are the same for deciding what is about the entity and
for hiding its names from VADER.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from ingest.connectors.base import Item
from ingest.entity_directory import EntityInfo
from ingest.storable import text_problem
from ravine.masking import mask
from ravine.records import DocumentRecord, score_columns, set_scores
from ravine.scoring import ScorerConfig, get_scorer

# Column widths of ``documents`` (ravine.models): longer values would fail the whole page.
_MAX_ID, _MAX_AUTHOR, _MAX_URL, _MAX_TITLE, _MAX_LANG = 512, 500, 2000, 1000, 16


def mentions(text: str, terms: Sequence[str]) -> bool:
    """Whether ``text`` names the entity (any of ``terms``) by the masking rules."""
    return bool(terms) and mask(text, terms) != text


def _fit_id(external_id: str) -> str:
    if len(external_id) <= _MAX_ID:
        return external_id
    return "sha256:" + hashlib.sha256(external_id.encode("utf-8", "surrogatepass")).hexdigest()


def _unstorable(item: Item) -> str | None:
    """Why one of an item's texts cannot be stored (:mod:`ingest.storable`), or None."""
    fields = {"external_id": item.external_id, "text": item.text, "title": item.title,
              "author": item.author, "url": item.url, "lang": item.lang}  # fmt: skip
    for name, value in fields.items():
        if value and (problem := text_problem(value, name)):
            return problem
    return None


def _cut(value: str | None, limit: int) -> str | None:
    return value[:limit] if value else None


@dataclass(slots=True)
class Batch:
    records: list[DocumentRecord] = field(default_factory=list)
    unmatched: int = 0  # public items that do not mention the entity
    rejected: list[str] = field(default_factory=list)


class PageScorer:
    """Turns the items of one source into scored records for its entity and voice: matched by
    the entity's own terms, masked with ``mask_terms``, every tracked entity's."""

    def __init__(
        self,
        *,
        entity: EntityInfo,
        mask_terms: tuple[str, ...],
        voice: str,
        match: bool,
        config: ScorerConfig,
        max_text_chars: int,
        keep_raw: bool = False,
    ) -> None:
        self.entity, self.voice, self.match = entity, voice, match
        self.max_text_chars, self.keep_raw = max_text_chars, keep_raw
        self.mask_terms = mask_terms
        self._scorer = get_scorer(config)
        self._version = self._scorer.version(mask_terms)

    def batch(self, items: Sequence[Item]) -> Batch:
        batch = Batch()
        terms = self.entity.mask_terms
        for item in items:
            if self.match and not mentions(f"{item.title or ''}\n{item.text}", terms):
                batch.unmatched += 1
                continue
            if len(item.text) > self.max_text_chars:
                batch.rejected.append(
                    f"{item.external_id}: text of {len(item.text):,} characters is over the "
                    f"{self.max_text_chars:,} limit (RAVINE_MAX_TEXT_CHARS)"
                )
                continue
            if problem := _unstorable(item):
                batch.rejected.append(f"{ascii(item.external_id)[1:-1]}: {problem}")
                continue
            batch.records.append(self._record(item))
        return batch

    def _record(self, item: Item) -> DocumentRecord:
        raw = dict(item.raw) if self.keep_raw and item.raw is not None else None
        if raw is not None and text_problem(json.dumps(raw, ensure_ascii=False), "raw"):
            raw = None  # the audit copy goes; the document, checked above, is stored
        lang = item.lang if item.lang and len(item.lang) <= _MAX_LANG else None
        record = DocumentRecord(
            external_id=_fit_id(item.external_id),
            entity_id=self.entity.id,
            voice=self.voice,
            text=item.text,
            published_at=item.published_at,
            author=_cut(item.author, _MAX_AUTHOR),
            url=item.url if item.url and len(item.url) <= _MAX_URL else None,
            title=_cut(item.title, _MAX_TITLE),
            likes=item.likes,
            reposts=item.reposts,
            replies=item.replies,
            raw=raw,
        )
        outcome = self._scorer.score(item.text, lang=lang, mask_terms=self.mask_terms)
        set_scores(record, score_columns(outcome), version=self._version)
        if record.lang is not None and len(record.lang) > _MAX_LANG:
            record.lang = None
        return record
