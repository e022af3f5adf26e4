"""The decompressed language model in the user's cache gives py3langid's own answers."""

from __future__ import annotations

import mmap
from pathlib import Path

import numpy as np
import pytest
from py3langid import langid

from ravine import langid_cache

TEXTS = [
    "The quarterly results beat every estimate and the outlook was raised.",
    "Le service client a été très lent et personne ne répondait au téléphone.",
    "Der Flug war pünktlich, aber das Essen war leider kalt.",
    "El vuelo llegó tarde y perdimos la conexión a Madrid.",
    "Il volo era in ritardo e nessuno ci ha informato.",
    "Vlucht vertraagd, geen informatie van de maatschappij.",
    "Рейс задержали на три часа без объяснений.",
    "ok",
]


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "ravine"


def original() -> langid.LanguageIdentifier:
    return langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)


def cached_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("langid-*.npy"))


def test_first_load_fills_the_cache_and_later_loads_read_it(cache_home: Path) -> None:
    reference = original()
    first = langid_cache.load_identifier(norm_probs=True)
    [path] = cached_files(cache_home)
    written = path.stat().st_mtime_ns
    second = langid_cache.load_identifier(norm_probs=True)
    assert path.stat().st_mtime_ns == written, "a cached model was written again"
    for text in TEXTS:
        assert first.classify(text) == reference.classify(text) == second.classify(text), text


def test_a_damaged_cache_file_is_rebuilt(cache_home: Path) -> None:
    langid_cache.load_identifier(norm_probs=True)
    [path] = cached_files(cache_home)
    path.write_bytes(path.read_bytes()[:1000])
    identifier = langid_cache.load_identifier(norm_probs=True)
    assert identifier.classify(TEXTS[1]) == original().classify(TEXTS[1])
    assert path.stat().st_size > 1_000_000
    assert not list(cache_home.glob("*.tmp")), "a temporary file was left behind"


def test_an_unwritable_cache_only_costs_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    identifier = langid_cache.load_identifier(norm_probs=True)
    assert identifier.classify(TEXTS[2]) == original().classify(TEXTS[2])


def test_the_cache_name_follows_the_model_file(cache_home: Path, tmp_path: Path) -> None:
    model = tmp_path / "model.npz.xz"
    model.write_bytes(b"one")
    before = langid_cache.cache_path(model)
    model.write_bytes(b"other")
    assert langid_cache.cache_path(model) != before
    assert before.parent == cache_home


def test_a_cache_file_cut_inside_an_array_is_rebuilt(cache_home: Path) -> None:
    langid_cache.load_identifier(norm_probs=True)
    [path] = cached_files(cache_home)
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.truncate(size // 2)  # inside the largest array, after its header
    identifier = langid_cache.load_identifier(norm_probs=True)
    assert identifier.classify(TEXTS[3]) == original().classify(TEXTS[3])
    assert path.stat().st_size == size


def test_a_cached_model_is_mapped_not_copied(cache_home: Path) -> None:
    langid_cache.load_identifier(norm_probs=True)  # fills the cache
    identifier = langid_cache.load_identifier(norm_probs=True)
    owner: object = identifier.nb_ptc
    while isinstance(owner, np.ndarray) and owner.base is not None:
        owner = owner.base
    assert isinstance(owner, mmap.mmap), "the model's weights were read into private memory"
    assert identifier.tk_nextmove.readonly, "the automaton table is a private copy"
