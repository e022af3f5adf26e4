"""py3langid's model, decompressed once and kept in the user's cache directory.

py3langid ships its model LZMA-compressed: every process that loads it spends about half a
second decompressing, which a short ``ravine ingest`` run pays in full. The cached copy is the
same arrays stored raw (about 70 MB) and mapped into memory rather than read: loading takes a
millisecond, pages come in as classification touches them, and every process that maps the
file (forked scoring workers, concurrent imports) shares one copy in the page cache.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import math
import os
import tempfile
from array import array
from pathlib import Path
from typing import Any, BinaryIO, Literal, TypeAlias

import numpy as np
import numpy.lib.format as npy
from py3langid import langid, modelio

# Array order in the cache file; a change here must change the file name (FORMAT).
FORMAT = "1"
_ARRAYS = 6
_TYPECODES: dict[int, Literal["H", "I", "L"]] = {2: "H", 4: "I", 8: "L"}  # as py3langid types


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/ravine``, else ``~/.cache/ravine`` (the XDG default)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ravine"


def cache_path(model_file: Path) -> Path:
    """Named after py3langid's version and the model file's size and time: a new model or
    package never reads a stale copy."""
    stat = model_file.stat()
    version = importlib.metadata.version("py3langid")
    tag = f"{FORMAT}:{version}:{model_file.name}:{stat.st_size}:{stat.st_mtime_ns}"
    return cache_dir() / f"langid-{hashlib.sha256(tag.encode()).hexdigest()[:16]}.npy"


def load_identifier(*, norm_probs: bool) -> langid.LanguageIdentifier:
    """The model from the cache, or decompressed (and cached for next time) when absent."""
    model_file = langid.MODEL_DIR / langid.MODEL_FILE
    path = cache_path(model_file)
    try:
        parts = _read(path)
    except (OSError, ValueError):  # absent, or damaged: rebuild it
        parts = modelio.load_model(model_file)
        _write(path, parts)
    ptc, pc, classes, nextmove, row, output = parts
    return langid.LanguageIdentifier(
        np.asarray(ptc), np.asarray(pc), classes, nextmove, output,
        norm_probs=norm_probs, tk_row=row,
    )  # fmt: skip


# py3langid's automaton tables: stdlib arrays when decompressed, typed views when mapped.
Table: TypeAlias = "array[int] | memoryview"
Parts = tuple[Any, Any, list[str], Table, Table, list[int]]


def _read(path: Path) -> Parts:
    with path.open("rb") as handle:
        ptc, pc, classes, nextmove, row, output = (_mapped(handle, path) for _ in range(_ARRAYS))
        if handle.read(1):
            raise ValueError(f"{path}: trailing bytes")
    return ptc, pc, classes.tolist(), _table(nextmove), _table(row), output.tolist()


def _mapped(handle: BinaryIO, path: Path) -> np.ndarray:
    """The next ``.npy`` array in ``handle``, mapped read-only; a ValueError if it is damaged."""
    version = npy.read_magic(handle)
    read_header = npy.read_array_header_1_0 if version == (1, 0) else npy.read_array_header_2_0
    shape, fortran_order, dtype = read_header(handle)
    if dtype.hasobject:
        raise ValueError(f"{path}: an array of Python objects")
    offset = handle.tell()
    size = math.prod(shape) * dtype.itemsize
    if offset + size > os.fstat(handle.fileno()).st_size:
        raise ValueError(f"{path}: truncated")
    handle.seek(offset + size)
    order: Literal["C", "F"] = "F" if fortran_order else "C"
    return np.memmap(path, dtype=dtype, mode="r", offset=offset, shape=tuple(shape), order=order)


def _table(values: np.ndarray) -> memoryview:
    """py3langid's automaton tables are indexed item by item: a typed memoryview of the mapped
    array is as fast to index as the stdlib array py3langid builds, without copying 40 MB."""
    return memoryview(values.data).cast("B").cast(_TYPECODES[values.dtype.itemsize])


def _write(path: Path, parts: Parts) -> None:
    """Write atomically (a temporary file renamed), so a concurrent reader never sees half of
    it; a read-only or full disk only means the next process decompresses again."""
    ptc, pc, classes, nextmove, row, output = parts
    arrays = (
        ptc,
        pc,
        np.array(classes),
        np.frombuffer(nextmove, dtype=f"u{nextmove.itemsize}"),
        np.frombuffer(row, dtype=f"u{row.itemsize}"),
        np.array(output, dtype=np.int64),
    )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as tmp:
            for values in arrays:
                np.save(tmp, values, allow_pickle=False)
        Path(name).replace(path)
    except OSError:
        Path(name).unlink(missing_ok=True)
