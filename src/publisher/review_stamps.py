"""Review stamps: a translator comment per entry, ``# reviewed: NAME DATE sha256:HASH``.

Translator comments survive Babel, msgmerge, polib and Poedit.  The hash covers the
entry's msgctxt, msgid and msgstr *and* the reviewer's name and the date, so a stamp
stops counting when either text changes, when its name or date is edited, or when it
is copied onto another entry.  The hash is a check, not a proof of who reviewed: for
that, ``publisher review --sign`` adds an SSH signature of the full digest on the
lines after the stamp (``# review-signature: …``; see review_signatures.py).
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
SIGNATURE = re.compile(r"^review-signature:\s+(?P<part>[A-Za-z0-9+/=]+)\s*$")
#: Base64 characters per signature comment line: short enough that no tool rewraps it.
SIGNATURE_WIDTH = 56

#: What `stamp_state` says about an entry.
VALID, UNSTAMPED, SOURCE_CHANGED, CHANGED = "valid", "unstamped", "source changed", "changed"


@dataclass(frozen=True)
class ReviewStamp:
    by: str
    date: date
    hash: str
    #: Base64 body of the SSH signature of `entry_digest` (empty when unsigned).
    signature: str = ""

    def __str__(self) -> str:
        return f"reviewed: {self.by} {self.date.isoformat()} sha256:{self.hash}"

    def comments(self) -> list[str]:
        """The translator comment lines that carry this stamp."""
        parts = [self.signature[i:i + SIGNATURE_WIDTH]
                 for i in range(0, len(self.signature), SIGNATURE_WIDTH)]
        return [str(self), *(f"review-signature: {part}" for part in parts)]


def entry_text(value: str | Sequence[str] | None) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else "\0".join(value)


def entry_digest(msgid: str | Sequence[str], msgstr: str | Sequence[str], by: str,
                 when: date, context: str | None = None) -> str:
    """SHA-256 (hex) over the entry's texts and the reviewer's name and date."""
    fields = (context or "", entry_text(msgid), entry_text(msgstr), by, when.isoformat())
    return hashlib.sha256("\x04".join(fields).encode("utf-8")).hexdigest()


def stamp_hash(msgid: str | Sequence[str], msgstr: str | Sequence[str], by: str,
               when: date, context: str | None = None, length: int = HASH_LENGTH) -> str:
    """The short hash a stamp shows."""
    return entry_digest(msgid, msgstr, by, when, context)[:length]


def review_stamp(message: Message) -> ReviewStamp | None:
    """The entry's (last) review stamp, valid or not, with its signature if any."""
    found = None
    signature: list[str] = []
    for comment in message.user_comments:
        text = comment.strip()
        match = STAMP.match(text)
        if match:
            try:
                when = date.fromisoformat(match.group("date"))
            except ValueError:
                continue
            found, signature = (match.group("by"), when, match.group("hash")), []
        elif found and (part := SIGNATURE.match(text)):
            signature.append(part.group("part"))
    if found is None:
        return None
    return ReviewStamp(*found, signature="".join(signature))


def is_translated(message: Message) -> bool:
    strings = [message.string] if isinstance(message.string, str) else list(message.string or [])
    return bool(strings) and all(strings)


def matches(stamp: ReviewStamp, msgid, msgstr, context: str | None) -> bool:
    return entry_digest(msgid, msgstr, stamp.by, stamp.date, context).startswith(stamp.hash)


def stamp_state(message: Message) -> tuple[str, ReviewStamp | None]:
    """VALID, UNSTAMPED, SOURCE_CHANGED (the stamp fits the previous msgid) or CHANGED
    (the translation changed, or the stamp was edited or copied from another entry)."""
    stamp = review_stamp(message)
    if stamp is None:
        return UNSTAMPED, None
    if matches(stamp, message.id, message.string, message.context):
        return (CHANGED if message.fuzzy else VALID), stamp
    previous = message.previous_id
    if previous and matches(stamp, previous[0] if len(previous) == 1 else previous,
                            message.string, message.context):
        return SOURCE_CHANGED, stamp
    return CHANGED, stamp


def is_reviewed(message: Message) -> bool:
    """Translated, not fuzzy, and stamped for exactly this entry, reviewer and date."""
    return is_translated(message) and stamp_state(message)[0] == VALID


def stamp(message: Message, by: str, today: date, signature: str = "") -> ReviewStamp:
    """Put a fresh stamp on the entry, replacing any older one (in place)."""
    new = ReviewStamp(by, today, stamp_hash(message.id, message.string, by, today,
                                            message.context), signature)
    message.user_comments = [c for c in message.user_comments
                             if not STAMP.match(c.strip()) and not SIGNATURE.match(c.strip())]
    message.user_comments.extend(new.comments())
    return new


def signed_data(message: Message, stamp: ReviewStamp) -> bytes:
    """What a review signature signs: the namespace's payload for this entry and stamp."""
    digest = entry_digest(message.id, message.string, stamp.by, stamp.date, message.context)
    return f"publisher review\n{stamp.by}\n{stamp.date.isoformat()}\nsha256:{digest}\n".encode()
