"""Response and request models shared by the routers (the OpenAPI schema at /docs)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class VoiceCounts(BaseModel):
    documents: int = Field(description="Undeleted documents of this voice.")
    scored: int = Field(description="Of those, how many have VADER scores (English ones).")
    first: datetime | None = Field(description="Earliest publication time (UTC).")
    last: datetime | None = Field(description="Latest publication time (UTC).")


class EntityOut(BaseModel):
    slug: str
    name: str
    aliases: list[str] = Field(description="Other names, handles, hashtags and cashtags.")
    corporate: VoiceCounts
    public: VoiceCounts


class EntityList(BaseModel):
    items: list[EntityOut]


class ScoresOut(BaseModel):
    neg: float
    neu: float
    pos: float
    compound: float = Field(description="VADER compound, −1 (most negative) to +1.")


class DocumentOut(BaseModel):
    id: int
    entity: str
    voice: str
    source: str
    external_id: str
    url: str | None
    author: str | None
    title: str | None
    text: str
    lang: str | None
    published_at: datetime
    likes: int | None
    reposts: int | None
    replies: int | None
    scores: ScoresOut | None = Field(description="Null when the document is unscored.")
    unscored_reason: str | None
    scorer_version: str | None


class DocumentPage(BaseModel):
    items: list[DocumentOut]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null on the last page."
    )
