"""Bulk runs tune the cycle collector while they run, and leave it as they found it."""

from __future__ import annotations

import gc

import pytest

from ingest.gc_tuning import BULK_THRESHOLDS, bulk_collection


def test_bulk_collection_freezes_and_restores_even_on_error() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), bulk_collection():
        assert gc.get_threshold() == BULK_THRESHOLDS
        assert gc.get_freeze_count() > 0
        raise RuntimeError("a failing batch")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_cycles_made_during_a_bulk_run_are_still_collected() -> None:
    class Node:
        partner: object = None

    with bulk_collection():
        a, b = Node(), Node()
        a.partner, b.partner = b, a
        del a, b
        assert gc.collect() >= 2
