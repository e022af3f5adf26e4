"""How much each voice's repeat authors widen its intervals in a query: the clustering
estimates (:mod:`ravine.analytics.clusters`) over the windows the query's values pool, from
samples of the voices' documents in those windows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ravine.analytics import Periods, SeriesOptions
from ravine.analytics.clusters import INDEPENDENT, AuthorSample, Clustering, estimate
from ravine.analytics.reactions import side_windows
from ravine.analytics.sums import VOICES, rolling_bounds

SampleReader = Callable[[str, datetime, datetime], AuthorSample]
"""(voice, since, until) → a sample of the voice's counted documents in [since, until)
(:func:`ravine.repository.authors.author_sample`, or a cache in front of it)."""


def series_clustering(
    read: SampleReader, periods: Periods, options: SeriesOptions
) -> dict[str, Clustering]:
    """Each voice's estimate over the windows of its values: its smoothing windows of the
    periods, or the corporate window."""
    edges = periods.epoch_edges
    found = {}
    for voice in VOICES:
        if voice == "corporate" and options.corporate_window:
            starts, ends = periods.trailing_edges(options.corporate_window)
        else:
            lo, hi = rolling_bounds(len(periods.starts), options.for_voice(voice).smooth)
            starts, ends = edges[lo], edges[hi]
        found[voice] = _estimate(read, voice, starts, ends, options)
    return found


def reaction_clustering(
    read: SampleReader, published_at: Any, *, window_days: float, options: SeriesOptions
) -> Clustering:
    """The public's estimate over the before and after sides of these statements."""
    starts, ends = side_windows(published_at, window_days=window_days)
    return _estimate(read, "public", starts, ends, options)


def _estimate(
    read: SampleReader,
    voice: str,
    starts: NDArray[np.int64],
    ends: NDArray[np.int64],
    options: SeriesOptions,
) -> Clustering:
    if not len(starts):
        return INDEPENDENT
    since, until = (datetime.fromtimestamp(int(edge), UTC) for edge in (starts.min(), ends.max()))
    sample = read(voice, since, until)
    return estimate(sample, starts, ends, metric=options.metric, weighted=options.weighted)
