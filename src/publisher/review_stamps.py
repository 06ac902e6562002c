"""Review stamps: a translator comment per entry, ``# reviewed: NAME DATE sha256:HASH``.

Translator comments survive Babel, msgmerge, polib and Poedit.  A stamp counts only
while its hash matches the entry's current text.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from typing import Sequence

from babel.messages.catalog import Message

HASH_LENGTH = 8
STAMP = re.compile(r"^reviewed:\s+(?P<by>\S.*?)\s+(?P<date>\d{4}-\d{2}-\d{2})\s+"
                   r"sha256:(?P<hash>[0-9a-f]{8,64})\s*$")


@dataclass(frozen=True)
class ReviewStamp:
    by: str
    date: date
    hash: str

    def __str__(self) -> str:
        return f"reviewed: {self.by} {self.date.isoformat()} sha256:{self.hash}"


def entry_text(value: str | Sequence[str] | None) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else "\0".join(value)


def stamp_hash(msgid: str | Sequence[str], msgstr: str | Sequence[str],
               length: int = HASH_LENGTH) -> str:
    """Short SHA-256 over an entry's msgid and msgstr (plural forms joined by NUL)."""
    digest = hashlib.sha256(f"{entry_text(msgid)}\x04{entry_text(msgstr)}".encode("utf-8"))
    return digest.hexdigest()[:length]


def review_stamp(message: Message) -> ReviewStamp | None:
    """The entry's (last) review stamp, valid or not."""
    for comment in reversed(message.user_comments):
        match = STAMP.match(comment.strip())
        if match:
            try:
                when = date.fromisoformat(match.group("date"))
            except ValueError:
                continue
            return ReviewStamp(match.group("by"), when, match.group("hash"))
    return None


def is_translated(message: Message) -> bool:
    strings = [message.string] if isinstance(message.string, str) else list(message.string or [])
    return bool(strings) and all(strings)


def is_reviewed(message: Message) -> bool:
    """Translated, not fuzzy, and stamped for exactly this msgid and msgstr."""
    stamp = review_stamp(message)
    if stamp is None or message.fuzzy or not is_translated(message):
        return False
    return stamp_hash(message.id, message.string, 64).startswith(stamp.hash)


def stamp(message: Message, by: str, today: date) -> ReviewStamp:
    """Put a fresh stamp on the entry, replacing any older one (in place)."""
    new = ReviewStamp(by, today, stamp_hash(message.id, message.string))
    message.user_comments = [c for c in message.user_comments if not STAMP.match(c.strip())]
    message.user_comments.append(str(new))
    return new

