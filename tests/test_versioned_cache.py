"""Values named by an entity's data version: built once, dropped when a newer version comes,
least recently used out first past the budget (what the hour and author caches share)."""

from __future__ import annotations

from ravine.versioned_cache import VersionedCache


def cached(cache: VersionedCache[str], entity: tuple[int, int], what: str, built: list[str]) -> str:
    def build() -> str:
        built.append(f"{entity}{what}")
        return f"{entity}{what}"

    return cache.get(entity, what, build, len)


def test_a_value_is_built_once_per_entity_version_and_what() -> None:
    cache: VersionedCache[str] = VersionedCache(1_000)
    built: list[str] = []
    for _ in range(2):
        cached(cache, (1, 5), "hours", built)
        cached(cache, (1, 5), "public", built)
    assert len(built) == 2 and cache.size == len("(1, 5)hours") + len("(1, 5)public")


def test_a_newer_version_drops_the_older_and_an_older_one_is_not_kept() -> None:
    cache: VersionedCache[str] = VersionedCache(1_000)
    built: list[str] = []
    cached(cache, (1, 5), "hours", built)
    cached(cache, (2, 1), "hours", built)
    cached(cache, (1, 6), "public", built)  # entity 1 was written to: version 5 is gone
    cached(cache, (1, 5), "hours", built)  # a request that read before the write: not kept
    cached(cache, (1, 5), "hours", built)
    assert built.count("(1, 5)hours") == 3
    assert cache.size == sum(map(len, ("(2, 1)hours", "(1, 6)public")))


def test_past_its_budget_the_least_recently_used_go_first() -> None:
    cache: VersionedCache[str] = VersionedCache(25)
    built: list[str] = []
    for entity in (1, 2, 1, 3):  # 11 characters each: entity 2 is the least recently used
        cached(cache, (entity, 1), "hours", built)
    cached(cache, (2, 1), "hours", built)
    assert built == ["(1, 1)hours", "(2, 1)hours", "(3, 1)hours", "(2, 1)hours"]
    assert cached(cache, (9, 1), "x" * 30, built) and cache.size <= 25  # too big to keep
