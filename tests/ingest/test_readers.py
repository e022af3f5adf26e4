"""RecordReader on real files: formats, compression, damaged records and whole-file errors."""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import tracemalloc
from pathlib import Path

import pytest

from ingest.files.readers import MAX_RAW_CHARS, Format, RawRecord, RecordReader, sha256_file
from ravine.errors import ConfigError


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def read_all(path: Path, *, fmt: Format | None = None, **kwargs: int) -> list[RawRecord]:
    with RecordReader(path, fmt=fmt, **kwargs) as reader:
        return list(reader)


def good(records: list[RawRecord]) -> list[tuple[int, dict[str, object]]]:
    return [(r.line, r.values) for r in records if r.values is not None]


def bad(records: list[RawRecord]) -> list[tuple[int, str]]:
    return [(r.line, r.error) for r in records if r.error is not None]


# --- CSV ---------------------------------------------------------------------------------


def test_csv_bom_is_dropped_and_names_are_stripped(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", b"\xef\xbb\xbf id , text \n1,hello\n")
    with RecordReader(path) as reader:
        assert (reader.format, reader.compressed) == ("csv", False)
        assert reader.columns == ["id", "text"]
        assert good(list(reader)) == [(2, {"id": "1", "text": "hello"})]


@pytest.mark.parametrize(("name", "delimiter"), [("a.csv", ";"), ("a.csv", "\t"), ("a.tsv", "\t")])
def test_csv_delimiters_are_sniffed(tmp_path: Path, name: str, delimiter: str) -> None:
    text = "hi" + "".join(f"{other} there" for other in ",;|" if other != delimiter)
    rows = [["id", "text", "date"], ["1", text, "2015-01-01"]]
    rows += [[str(i), f"row {i}{text}", "2015-01-02"] for i in range(2, 6)]
    path = write(tmp_path, name, "".join(delimiter.join(r) + "\n" for r in rows))
    with RecordReader(path) as reader:
        assert reader.columns == ["id", "text", "date"]
        records = list(reader)
    assert bad(records) == []
    assert records[0].values == {"id": "1", "text": text, "date": "2015-01-01"}
    assert [r.line for r in records] == [2, 3, 4, 5, 6]


def test_csv_pipe_delimiter_and_single_column(tmp_path: Path) -> None:
    piped = write(tmp_path, "p.csv", "id|text\n1|a, b\n2|c; d\n")
    assert good(read_all(piped)) == [
        (2, {"id": "1", "text": "a, b"}),
        (3, {"id": "2", "text": "c; d"}),
    ]
    single = write(tmp_path, "s.csv", "text\nhello\nworld\n")
    assert [v for _, v in good(read_all(single))] == [{"text": "hello"}, {"text": "world"}]


def test_header_overrules_a_wrong_sniffer_guess(tmp_path: Path) -> None:
    # csv.Sniffer reads '"hi", "bye"' as comma-separated quoted values and guesses ","
    rows = "".join(f'{i}\tsaid "hi", "bye", "ok", then\n' for i in range(5))
    records = read_all(write(tmp_path, "t.csv", "id\ttext\n" + rows))
    assert records[0].values == {"id": "0", "text": 'said "hi", "bye", "ok", then'}
    assert bad(records) == []


def test_csv_multiline_quoted_fields_keep_line_numbers(tmp_path: Path) -> None:
    data = (
        'id,text\r\n1,"first\r\nsecond\r\nthird"\r\n2,plain\r\n\r\n3,"a ""quote""\nand more"\n4,x\n'
    )
    records = read_all(write(tmp_path, "m.csv", data))
    assert good(records) == [
        (2, {"id": "1", "text": "first\r\nsecond\r\nthird"}),
        (5, {"id": "2", "text": "plain"}),
        (7, {"id": "3", "text": 'a "quote"\nand more'}),
        (9, {"id": "4", "text": "x"}),
    ]
    assert records[0].raw == '1,"first\r\nsecond\r\nthird"'


def test_csv_invalid_utf8_rejects_only_its_record(tmp_path: Path) -> None:
    data = b'id,text\n1,caf\xc3\xa9\n2,caf\xe9 au lait\n3,fine\n4,"multi\nline \xff here"\n5,end\n'
    records = read_all(write(tmp_path, "u.csv", data))
    assert good(records) == [
        (2, {"id": "1", "text": "café"}),
        (4, {"id": "3", "text": "fine"}),
        (7, {"id": "5", "text": "end"}),
    ]
    errors = bad(records)
    assert errors[0][0] == 3
    assert "invalid UTF-8 (byte 0xe9 at column 6)" in errors[0][1]
    assert errors[1][0] == 5
    assert "byte 0xff at line 6, column 6" in errors[1][1]
    rejected = next(r for r in records if r.line == 3)
    assert rejected.raw == "2,caf\\xe9 au lait"
    rejected.raw.encode("utf-8")  # printable: no lone surrogates reach the rejects file


def test_csv_wrong_field_count_is_rejected(tmp_path: Path) -> None:
    data = "a,b,c\n1,2,3\n1,2,3,4,5\n1,2\n7,8,9\n"
    records = read_all(write(tmp_path, "w.csv", data))
    assert bad(records) == [(3, "expected 3 fields, found 5"), (4, "expected 3 fields, found 2")]
    assert [line for line, _ in good(records)] == [2, 5]


def test_csv_blank_and_whitespace_lines_are_skipped(tmp_path: Path) -> None:
    data = "\n\nid,text\n\n1,a\n   \n\t\n2,b\n\n"
    with RecordReader(write(tmp_path, "b.csv", data)) as reader:
        assert reader.columns == ["id", "text"]
        records = list(reader)
    assert [(r.line, r.values) for r in records] == [
        (5, {"id": "1", "text": "a"}),
        (8, {"id": "2", "text": "b"}),
    ]


def test_csv_oversized_field_is_rejected_and_reading_goes_on(tmp_path: Path) -> None:
    long_text = "x" * 150
    data = f'id,text\n1,short\n2,{long_text}\n3,"{"y" * 100}"\n'
    records = read_all(write(tmp_path, "o.csv", data), max_field_chars=100)
    assert bad(records) == [(3, "field 'text' is 150 characters, over the 100 limit")]
    assert [line for line, _ in good(records)] == [2, 4]


def test_csv_unclosed_quote_is_cut_off_and_later_rows_are_read(tmp_path: Path) -> None:
    lines = ["id,text", '1,"never closed'] + [f"{i},row {i}" for i in range(2, 60)]
    records = read_all(write(tmp_path, "q.csv", "\n".join(lines) + "\n"), max_field_chars=50)
    errors = bad(records)
    assert errors[0][0] == 2
    assert "record is over 206 characters" in errors[0][1]
    assert records[0].raw.startswith('1,"never closed\n2,row 2\n')
    assert len(records[0].raw) <= 207  # the budget, and the character that went over it
    assert good(records)[-1] == (60, {"id": "59", "text": "row 59"})


def test_csv_rows_swallowed_by_an_open_quote_are_rejected_not_lost(tmp_path: Path) -> None:
    """A quote left open runs the next rows into one field, silently, up to the next quote;
    the record is refused with the lines it spans, while real paragraphs stay one record."""
    lines = [
        "id,created_at,text",
        '1,2025-01-01T00:00:00Z,"a quote left open',
        "2,2025-01-01T01:00:00Z,second row",
        "3,2025-01-01T02:00:00Z,third row",
        '4,2025-01-01T03:00:00Z,closes here"',
        '5,2025-01-01T04:00:00Z,"a post',
        'with, two paragraphs"',
        '6,2025-01-01T05:00:00Z,"I flew to Paris, then Rome',
        'then, sadly, home"',
        "7,2025-01-01T06:00:00Z,last",
    ]
    records = read_all(write(tmp_path, "open.csv", "\n".join(lines) + "\n"))
    assert bad(records) == [
        (2, "lines 2–5 were read as one record, and line 3 inside it reads as a record of its "
            'own: a quote left open? close it, or write a quote inside a field as ""'),
    ]  # fmt: skip
    assert [(line, values["id"]) for line, values in good(records)] == [(6, "5"), (8, "6"),
                                                                         (10, "7")]  # fmt: skip
    assert good(records)[0][1]["text"] == "a post\nwith, two paragraphs"
    assert good(records)[1][1]["text"] == "I flew to Paris, then Rome\nthen, sadly, home"


def test_csv_parse_error_rejects_the_record_and_reading_goes_on(tmp_path: Path) -> None:
    path = write(tmp_path, "e.csv", "id,text\n1,ok\n2,this field is long\n3,ok\n")
    previous = csv.field_size_limit()
    try:
        with RecordReader(path) as reader:
            csv.field_size_limit(10)  # the one csv.Error the module raises in non-strict mode
            records = list(reader)
    finally:
        csv.field_size_limit(previous)
    assert bad(records) == [(3, "CSV parse error: field larger than field limit (10)")]
    assert [line for line, _ in good(records)] == [2, 4]


def test_csv_header_names_blank_and_repeated(tmp_path: Path) -> None:
    path = write(tmp_path, "h.csv", ",text,Text,text\n0,a,b,c\n")
    with RecordReader(path) as reader:
        assert reader.columns == ["column_1", "text", "Text", "text_2"]
        assert good(list(reader)) == [
            (2, {"column_1": "0", "text": "a", "Text": "b", "text_2": "c"})
        ]


def test_csv_header_only_has_no_records(tmp_path: Path) -> None:
    with RecordReader(write(tmp_path, "h.csv", "id,text\n")) as reader:
        assert reader.columns == ["id", "text"]
        assert list(reader) == []


def test_raw_is_cut(tmp_path: Path) -> None:
    text = "z" * (MAX_RAW_CHARS * 2)
    csv_path = write(tmp_path, "r.csv", f"id,text,extra\n1,{text}\n")
    jsonl_path = write(tmp_path, "r.jsonl", json.dumps({"text": text}) + "\n{}\n")
    (csv_record,) = read_all(csv_path)
    assert csv_record.error == "expected 3 fields, found 2"
    assert len(csv_record.raw) == MAX_RAW_CHARS
    assert [len(r.raw) for r in read_all(jsonl_path)] == [MAX_RAW_CHARS, 2]


# --- JSON Lines --------------------------------------------------------------------------


def test_jsonl_rejects_bad_lines_and_skips_blank_ones(tmp_path: Path) -> None:
    data = (
        b'\xef\xbb\xbf{"id": 1, "text": "a"}\r\n\n   \n[1, 2]\n{"id": 2, "text": }\n'
        b'"just a string"\n{"id": 3, "text": "caf\xe9"}\nnull\n{"id": 4, "nested": {"k": [1]}}\n'
    )
    with RecordReader(write(tmp_path, "a.jsonl", data)) as reader:
        assert (reader.format, reader.columns) == ("jsonl", ["id", "text", "nested"])
        records = list(reader)
    assert good(records) == [(1, {"id": 1, "text": "a"}), (9, {"id": 4, "nested": {"k": [1]}})]
    errors = dict(bad(records))
    assert errors[4] == "not a JSON object (found an array)"
    assert errors[5].startswith("invalid JSON: Expecting value (column 19)")
    assert errors[6] == "not a JSON object (found a string)"
    assert errors[7].startswith("invalid UTF-8 (byte 0xe9 at column 23)")
    assert errors[8] == "not a JSON object (found null)"
    assert sorted(errors) == [4, 5, 6, 7, 8]


def test_jsonl_columns_come_from_the_first_objects_after_bad_lines(tmp_path: Path) -> None:
    data = 'oops\n{"text": "t", "created_at": "2020-01-01"}\n{"other": 1}\n'
    with RecordReader(write(tmp_path, "b.ndjson", data)) as reader:
        assert reader.columns == ["text", "created_at", "other"]
        records = list(reader)
    assert [(r.line, r.error is None) for r in records] == [(1, False), (2, True), (3, True)]


def test_jsonl_oversized_field_and_overlong_line(tmp_path: Path) -> None:
    huge = "h" * (2 * 1024 * 1024)
    data = (
        f'{{"text": "ok"}}\n{{"text": "{"x" * 30}"}}\n{{"text": "{huge}"}}\n{{"text": "after"}}\n'
    )
    records = read_all(write(tmp_path, "c.jsonl", data), max_field_chars=20)
    assert bad(records)[0] == (2, "field 'text' is 30 characters, over the 20 limit")
    assert bad(records)[1][0] == 3
    assert bad(records)[1][1].startswith("record is over 1,048,816 bytes")
    assert good(records) == [(1, {"text": "ok"}), (4, {"text": "after"})]


@pytest.mark.parametrize(
    "data", ['[\n  {"text": "a"},\n  {"text": "b"}\n]\n', '[{"text": "a"}, {"text": "b"}]']
)
def test_json_array_file_is_a_config_error(tmp_path: Path, data: str) -> None:
    path = write(tmp_path, "export.json", data)
    with pytest.raises(ConfigError, match=r"not JSON Lines.*jq -c '\.\[\]' export\.json"):
        RecordReader(path)


def test_jsonl_starting_with_an_array_line_is_read(tmp_path: Path) -> None:
    records = read_all(write(tmp_path, "a.jsonl", '[1, 2]\n{"text": "a"}\n'))
    assert bad(records) == [(1, "not a JSON object (found an array)")]
    assert good(records) == [(2, {"text": "a"})]


# --- compression and format detection ----------------------------------------------------


def test_gzip_csv_is_detected_by_magic_bytes(tmp_path: Path) -> None:
    path = write(tmp_path, "tweets.csv", gzip.compress(b"id;text\n1;a\n2;b\n"))
    with RecordReader(path) as reader:
        assert (reader.format, reader.compressed, reader.columns) == ("csv", True, ["id", "text"])
        assert good(list(reader)) == [(2, {"id": "1", "text": "a"}), (3, {"id": "2", "text": "b"})]
        assert reader.bytes_read == reader.total_bytes == path.stat().st_size


@pytest.mark.parametrize(
    ("name", "fmt"), [("d.jsonl.gz", None), ("d.csv", "jsonl"), ("export", None), ("d.JSON", None)]
)
def test_gzip_jsonl(tmp_path: Path, name: str, fmt: Format | None) -> None:
    path = write(tmp_path, name, gzip.compress(b'{"text": "a"}\n\n{"text": "b"}\n'))
    with RecordReader(path, fmt=fmt) as reader:
        assert (reader.format, reader.compressed) == ("jsonl", True)
        assert good(list(reader)) == [(1, {"text": "a"}), (3, {"text": "b"})]


def test_unknown_name_is_sniffed_as_csv(tmp_path: Path) -> None:
    with RecordReader(write(tmp_path, "export.txt", "id\ttext\n1\ta\n")) as reader:
        assert (reader.format, reader.columns) == ("csv", ["id", "text"])


def test_truncated_gzip_is_a_config_error(tmp_path: Path) -> None:
    body = "".join(f"{i},row number {i} {i * 7919 % 10007}\n" for i in range(50_000))
    packed = gzip.compress(("id,text\n" + body).encode())
    path = write(tmp_path, "cut.csv.gz", packed[: len(packed) // 2])
    with (
        RecordReader(path) as reader,
        pytest.raises(ConfigError, match=r"cannot read .*cut\.csv\.gz"),
    ):
        list(reader)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.csv", b"", "is empty"),
        ("blank.csv", b"\xef\xbb\xbf\n\n  \n", "no records"),
        ("empty.csv.gz", gzip.compress(b""), "no records"),
        ("bom.csv", b"\xef\xbb\xbf", "no records"),
        ("sheet.csv", b"PK\x03\x04\x14\x00rest", "ZIP archive"),
        ("blob.bin", b"\x00\x01\x02binary", "cannot tell the format"),
        ("bad.jsonl", b"not json\nnor this\n", "not JSON Lines"),
    ],
)
def test_whole_file_problems(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        RecordReader(write(tmp_path, name, data))
    assert "\n" not in str(caught.value)
    assert name in str(caught.value)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"cannot open .*nope\.csv: No such file"):
        RecordReader(tmp_path / "nope.csv")
    with pytest.raises(ConfigError, match="is a directory"):
        RecordReader(tmp_path)
    with pytest.raises(ConfigError, match="No such file"):
        sha256_file(tmp_path / "nope.csv")


def test_csv_header_with_invalid_utf8_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"header of .*: invalid UTF-8 \(byte 0xe9"):
        RecordReader(write(tmp_path, "h.csv", b"id,caf\xe9\n1,2\n"))


def test_bytes_read_grows_to_total_bytes(tmp_path: Path) -> None:
    body = "".join(f"{i},{'word ' * 20}{i}\n" for i in range(50_000))
    for path in (
        write(tmp_path, "plain.csv", "id,text\n" + body),
        write(tmp_path, "packed.csv", gzip.compress(("id,text\n" + body).encode())),
    ):
        with RecordReader(path) as reader:
            seen = [reader.bytes_read for i, _ in enumerate(reader) if i % 5000 == 0]
            assert seen == sorted(seen)
            assert 0 < seen[1] < reader.total_bytes
            assert reader.bytes_read == reader.total_bytes == path.stat().st_size
        assert reader.bytes_read == reader.total_bytes


def test_sha256_file(tmp_path: Path) -> None:
    data = bytes(range(256)) * 10_000
    path = write(tmp_path, "h.bin", data)
    assert sha256_file(path) == hashlib.sha256(data).hexdigest()


@pytest.mark.slow
def test_memory_stays_flat_on_a_200_mb_csv(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    row = '{i},"{text}",2015-02-24 11:35:52 -0800\n'
    text = "What @airline said about the flight, " * 60  # ~2 kB a row keeps the test quick
    block = "".join(row.format(i=i, text=text) for i in range(1000)).encode()
    with path.open("wb") as out:
        out.write(b"id,text,created_at\n")
        for _ in range(200 * 1024 * 1024 // len(block) + 1):
            out.write(block)
    tracemalloc.start()
    try:
        with RecordReader(path) as reader:
            count = sum(1 for record in reader if record.error is None)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert reader.total_bytes > 200 * 1024 * 1024
    assert count == (reader.total_bytes - 19) // len(block) * 1000
    assert peak < 50 * 1024 * 1024, f"peak {peak / 2**20:.1f} MiB"


def test_jsonl_columns_include_keys_that_the_first_object_lacks(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        '{"text": "a post", "created_at": "2025-01-01"}\n'
        '{"text": "a release", "created_at": "2025-01-02", "title": "News"}\n'
    )
    with RecordReader(path) as reader:
        assert reader.columns == ["text", "created_at", "title"]
        assert [r.values for r in reader][1] == {
            "text": "a release",
            "created_at": "2025-01-02",
            "title": "News",
        }
