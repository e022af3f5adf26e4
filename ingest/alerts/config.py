"""The ``[[alerts]]`` and ``[[channels]]`` tables of the sources file.

An alert rule names an entity, a detector and the channels that hear of its events; a channel
says where messages go. Secrets never go in the file: a webhook URL (Slack's holds its token)
and an SMTP URL with its password are named through ``*_env`` keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ingest.live.file_values import Duration, TimeZone
from ravine.alerting import AlertRule

ALERT_KINDS = ("band", "change_point", "volume_spike")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class AlertSpec(_Strict):
    """``[[alerts]]``: a detector over one entity's daily ravine (or every entity's)."""

    name: str = Field(min_length=1, max_length=200, examples=["northwind-band"])
    kind: Literal["band", "change_point", "volume_spike"] = Field(examples=["band"])
    entity: str = Field(min_length=1, examples=["northwind-air"])
    notify: list[str] = Field(default_factory=list, examples=[["analysts-slack"]])
    enabled: bool = True
    k: float | None = Field(default=None, gt=0, le=100, examples=[3])
    baseline_days: int = Field(default=90, ge=7, le=3650, examples=[90])
    min_baseline: int = Field(default=30, ge=3, le=3650, examples=[30])
    drift: float = Field(default=0.5, ge=0, le=10, examples=[0.5])
    threshold: float = Field(default=5.0, gt=0, le=100, examples=[5])
    window_days: int = Field(default=28, ge=3, le=3650, examples=[28])
    min_documents: int = Field(default=20, ge=1, examples=[20])
    corporate_window: int = Field(default=7, ge=0, le=90, examples=[7])
    cooldown_days: int = Field(default=7, ge=0, le=3650, examples=[7])
    lookback_days: int = Field(default=7, ge=1, le=3650, examples=[7])
    tz: TimeZone = "UTC"

    @model_validator(mode="after")
    def _baseline_fits(self) -> AlertSpec:
        if self.min_baseline > self.baseline_days:
            raise ValueError(
                f"min_baseline ({self.min_baseline}) exceeds baseline_days "
                f"({self.baseline_days}); lower min_baseline or widen the baseline"
            )
        return self

    def rule(self, entity: str, line: int | None) -> AlertRule:
        return AlertRule(
            name=self.name, kind=self.kind, entity=entity, k=self.k or 3.0,
            baseline_days=self.baseline_days, min_baseline=self.min_baseline, drift=self.drift,
            threshold=self.threshold, window=self.window_days, min_documents=self.min_documents,
            corporate_window=self.corporate_window, cooldown_days=self.cooldown_days,
            lookback_days=self.lookback_days, tz=self.tz, channels=tuple(self.notify),
            enabled=self.enabled, line=line,
        )  # fmt: skip


class _ChannelCommon(_Strict):
    name: str = Field(min_length=1, max_length=200, examples=["analysts-slack"])
    attempts: int = Field(default=4, ge=1, le=10, examples=[4])  # tries per check
    backoff: Duration = 1.0  # before the second try, doubling after each
    timeout: float = Field(default=10.0, gt=0, le=120, examples=[10])


class WebhookSpec(_ChannelCommon):
    """``kind = "webhook"``: a JSON POST in Slack's incoming-webhook shape."""

    kind: Literal["webhook"] = Field(examples=["webhook"])
    url: str | None = Field(
        default=None, pattern=r"^https?://", examples=["https://alerts.example.com/ravine"]
    )
    url_env: str | None = Field(default=None, min_length=1, examples=["RAVINE_SLACK_WEBHOOK"])

    @model_validator(mode="after")
    def _one_url(self) -> WebhookSpec:
        if (self.url is None) == (self.url_env is None):
            raise ValueError(
                "give url_env (the environment variable holding the URL, e.g. url_env = "
                '"RAVINE_SLACK_WEBHOOK"; Slack\'s URL is a secret) or url, not both or neither'
            )
        return self


class EmailSpec(_ChannelCommon):
    """``kind = "email"``: a plain-text message through an SMTP server."""

    kind: Literal["email"] = Field(examples=["email"])
    smtp_url_env: str = Field(min_length=1, examples=["RAVINE_SMTP_URL"])
    sender: str = Field(alias="from", pattern=r"^[^@\s]+@[^@\s]+$", examples=["ravine@acme.com"])
    to: list[str] = Field(min_length=1, examples=[["analysts@acme.com"]])

    @field_validator("to")
    @classmethod
    def _addresses(cls, value: list[str]) -> list[str]:
        for address in value:
            if "@" not in address or any(space in address for space in " \t\n"):
                raise ValueError(f'{address!r} is not an e-mail address; write "name@domain"')
        return value


ChannelSpec = WebhookSpec | EmailSpec
CHANNEL_MODELS: dict[str, type[WebhookSpec] | type[EmailSpec]] = {
    "webhook": WebhookSpec,
    "email": EmailSpec,
}


@dataclass(frozen=True, slots=True)
class AlertsConfig:
    """The file's rules and channels."""

    rules: tuple[AlertRule, ...] = ()
    channels: tuple[ChannelSpec, ...] = ()

    def channel(self, name: str) -> ChannelSpec | None:
        return next((channel for channel in self.channels if channel.name == name), None)
