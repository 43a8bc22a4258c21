"""Log formatter that writes one JSON object per line, for the audit trail and log collectors."""

import json
import logging
from datetime import UTC, datetime


class JsonLineFormatter(logging.Formatter):
    """`{"time", "level", "logger", "event", ...}`: the message is the event, `extra={"audit": {...}}` the rest."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "event": record.getMessage(),
        }
        entry.update(getattr(record, "audit", {}) or {})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
