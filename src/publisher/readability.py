"""How hard a handout is to read: one figure per handout and language, from textstat.

Health literacy guidance (CDC Clear Communication Index, NIH, AMA) asks for patient
materials at about a 6th- to 8th-grade reading level.  A readability formula is only
meaningful in the language it was built and validated for, so each language gets
its own or none:

- English: Flesch–Kincaid grade level (a US school grade);
- Spanish: Fernández-Huerta (1959), Flesch's reading ease recalibrated for Spanish
  (0–100, higher is easier); its US-grade equivalent comes from Flesch's own table
  of ease bands, the table Fernández-Huerta calibrated against;
- every other language: "no validated formula" (only sentence and word lengths).

textstat counts the sentences, words and syllables (Pyphen hyphenation patterns for
the syllables); nothing here counts syllables by hand.  The figures read the text a
patient reads as running prose — paragraphs, list items and card text, links as
their words — and not headings, table cells or picture descriptions, which are not
sentences.  A list item without a full stop ends a sentence too.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import Problem, warning
from .inline import link_spans, to_plain_text
from .locales import language
from .model import Block, Card, ListBlock, LocalizedDocument, Paragraph, Quote, Segment

#: Flesch's reading-ease bands and the US school grade each corresponds to (the upper
#: grade of the band): used for Fernández-Huerta, which is calibrated to Flesch's scale.
EASE_GRADES: tuple[tuple[float, float], ...] = (
    (90, 5), (80, 6), (70, 7), (60, 9), (50, 12), (30, 16), (float("-inf"), 18))
#: Languages written without spaces between words: no word counts.
UNSPACED = frozenset({"zh", "ja", "th", "lo", "km", "my"})
SENTENCE_END = (".", "!", "?", "…", ":", ";", "。", "！", "？", "؟", "۔")


@dataclass(frozen=True)
class Readability:
    locale: str
    #: The formula used, or None when the language has no validated one.
    formula: str | None
    #: The formula's own figure (a grade for Flesch–Kincaid, an ease score for
    #: Fernández-Huerta); None without a formula.
    score: float | None
    #: US school grade: the score itself, or its equivalent; None without a formula.
    grade: float | None
    sentences: int
    words: int | None
    words_per_sentence: float | None
    #: Mean word length in letters.
    letters_per_word: float | None
    syllables_per_word: float | None

    @property
    def short(self) -> str:
        """A few words for a table column."""
        if self.formula is None:
            return "no validated formula"
        return f"grade {self.grade:.1f}" if self.formula == FLESCH_KINCAID else \
            f"about grade {self.grade:.0f}"

    @property
    def summary(self) -> str:
        """One line for status and the dashboard."""
        lengths = (f"{self.words_per_sentence:.1f} words a sentence, "
                   f"{self.letters_per_word:.1f} letters a word"
                   if self.words_per_sentence is not None else
                   f"{self.sentences} sentences")
        if self.formula is None:
            return f"no validated formula; {lengths}"
        if self.formula == FLESCH_KINCAID:
            return f"grade {self.grade:.1f} ({self.formula}); {lengths}"
        return f"{self.score:.0f} ({self.formula}), about grade {self.grade:.0f}; {lengths}"


FLESCH_KINCAID = "Flesch–Kincaid grade"
FERNANDEZ_HUERTA = "Fernández-Huerta"


def prose(blocks: tuple[Block, ...]) -> list[Segment]:
    """The segments that are running prose, in reading order."""
    found: list[Segment] = []
    for block in blocks:
        if isinstance(block, Paragraph) and not _only_a_picture(block.segment.text):
            found.append(block.segment)
        elif isinstance(block, ListBlock):
            for item in block.items:
                found.extend(prose(item.blocks))
        elif isinstance(block, Quote):
            found.extend(prose(block.blocks))
        elif isinstance(block, Card) and block.text:
            found.append(block.text)
    return found


def _only_a_picture(text: str) -> bool:
    text = text.strip()
    if not text.startswith("!["):  # a text that is one picture starts with it
        return False
    return any(span.token.type == "image" and span.start == 0 and span.end == len(text)
               for span in link_spans(text))


def handout_text(handout: LocalizedDocument) -> str:
    """The handout's prose as plain text, one sentence-terminated segment a line."""
    lines = []
    for segment in prose(handout.blocks):
        text = " ".join(to_plain_text(segment.text).split())
        if text and text.strip("\"'”’»)")[-1:] not in SENTENCE_END:
            text += "."
        if text:
            lines.append(text)
    return "\n".join(lines)


def ease_grade(score: float) -> float:
    return next(grade for floor, grade in EASE_GRADES if score >= floor)


def readability(handout: LocalizedDocument) -> Readability:
    return measure(handout_text(handout), handout.locale)


def measure(text: str, locale: str) -> Readability:
    # Imported here: the build's main process never measures (its workers do).
    from textstat.textstat import textstatistics

    from .pronouncing import install
    install()  # the CMU dictionary read in a tenth of textstat's time
    lang = language(locale)
    stats = textstatistics()
    stats.set_rounding_points(None)
    if lang in ("en", "es"):
        stats.set_lang(lang)
    sentences = stats.sentence_count(text) if text.strip() else 0
    words = None if lang in UNSPACED else stats.lexicon_count(text)
    per_sentence = words / sentences if words and sentences else None
    letters = stats.letter_count(text) / words if words else None
    syllables = None
    formula = score = grade = None
    if words and lang in ("en", "es"):
        syllables = stats.syllable_count(text) / words
        if lang == "en":
            formula, score = FLESCH_KINCAID, stats.flesch_kincaid_grade(text)
            grade = score
        else:
            formula, score = FERNANDEZ_HUERTA, stats.fernandez_huerta(text)
            grade = ease_grade(score)
    return Readability(locale, formula, score, grade, sentences, words, per_sentence,
                       letters, syllables)


def grade_warning(result: Readability, max_grade: float, path: str) -> Problem | None:
    """A warning (never an error) when the handout reads above ``[publish] max_grade``."""
    if not max_grade or result.grade is None or result.grade <= max_grade:
        return None
    return warning(path, f"the {result.locale} text reads at grade {result.grade:.1f} "
                   f"({result.formula}), above {max_grade:g}: shorter sentences and "
                   "plainer words help", field="publish.max_grade", check="readability")
