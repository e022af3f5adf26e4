"""Logs of live ingest on stderr: plain lines for people, one JSON object per line for machines.

Structured values travel in ``extra={"fields": {...}}`` and become keys of the JSON object.
httpx's own request log is kept at WARNING: it would print whole URLs, query strings included.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Literal

LogFormat = Literal["text", "json"]
_HANDLER_MARK = "ravine_ingest_handler"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            **getattr(record, "fields", {}),
        }
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def configure_logging(
    *, fmt: LogFormat, level: int, handler: logging.Handler | None = None
) -> None:
    """Send the ``ingest`` loggers to ``handler`` (default: the current stderr), replacing the
    handler of an earlier call. A terminal passes rich's, so lines do not cut progress bars."""
    logger = logging.getLogger("ingest")
    for old in list(logger.handlers):
        if getattr(old, _HANDLER_MARK, False):
            logger.removeHandler(old)
    if handler is None:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(
            JsonFormatter() if fmt == "json" else logging.Formatter("%(levelname)s %(message)s")
        )
    setattr(handler, _HANDLER_MARK, True)
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
    logging.getLogger("httpx").setLevel(logging.WARNING)
