"""The one rule every text bound for the database meets, whatever read it: a file's row, a
connector's item or a pushed document. A text with a NUL (PostgreSQL cannot store one) or a
lone surrogate (half a UTF-16 pair, from a mis-decoded file, a JSON ``\\ud800`` escape or an
XML ``&#xD800;``; no UTF-8 database can store one) is refused with the reason, and its record
with it: the other records of the file, page or request still land."""

from __future__ import annotations


def text_problem(text: str, field: str) -> str | None:
    """Why ``text`` cannot be stored as ``field``, or None."""
    if "\x00" in text:
        return f"{field} contains a NUL character (\\x00), which databases cannot store"
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        code = ord(text[error.start])
        return (
            f"{field} contains a lone surrogate (\\u{code:04x}) at character {error.start + 1}, "
            "which is not valid Unicode; fix the source's encoding"
        )
    return None
