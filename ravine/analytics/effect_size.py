"""The ravine as an effect size: how far apart the voices are in units of how much their
documents spread, so ravines of a calm and of a quarrelsome topic can be set side by side."""

from __future__ import annotations

import math

import numpy as np

from ravine.analytics.stats import Floats, Reasons

NO_SPREAD_REASON = "both voices' sd are 0: their documents all score the same"


def effect_sizes(
    ravine: Floats, corporate_sd: Floats, public_sd: Floats, ravine_reasons: Reasons
) -> tuple[Floats, Reasons]:
    """d = ravine / √((sd_corporate² + sd_public²) / 2) per period (Cohen's d with the two
    voices' per-document sds weighted equally, whatever their n), and why it is null.

    It is null where the ravine or either sd is (the reason is then the ravine's, which says
    why: a voice under min_n, a single document, an effective n under 2), and where both sds
    are 0 (:data:`NO_SPREAD_REASON`); one sd of 0 beside a positive one still gives a d.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        pooled = np.sqrt((corporate_sd * corporate_sd + public_sd * public_sd) / 2)
        d = np.where(pooled > 0, ravine / pooled, np.nan)
    reasons: Reasons = [
        None if math.isfinite(value) else why or NO_SPREAD_REASON
        for value, why in zip(d.tolist(), ravine_reasons, strict=True)
    ]
    return d, reasons
