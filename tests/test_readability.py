"""Readability: a validated formula per language (textstat), or an honest "none"."""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher.config import config_from_dict
from publisher.errors import ConfigError
from publisher.readability import (FERNANDEZ_HUERTA, FLESCH_KINCAID, grade_warning,
                                   handout_text, measure, readability)

from formats_fixtures import (ARABIC, example_document, example_spanish, medicine_document,
                              source, translated)


def test_english_example_has_a_flesch_kincaid_grade() -> None:
    result = readability(source(example_document()))
    assert result.formula == FLESCH_KINCAID
    # Measured: grade 9.1, 91 sentences, 1,387 words, 15.2 words a sentence.
    assert 8.5 < result.grade < 9.7
    assert result.sentences == 91 and result.words == 1387
    assert 14.5 < result.words_per_sentence < 16
    assert 4.5 < result.letters_per_word < 5.5
    assert result.summary.startswith("grade 9.1 (Flesch–Kincaid grade); 15.2 words a sentence")


def test_spanish_example_has_a_fernandez_huerta_score() -> None:
    result = readability(example_spanish())
    assert result.formula == FERNANDEZ_HUERTA
    assert 70 < result.score < 78  # measured 74.0: "fairly easy"
    assert result.grade == 7
    assert "about grade 7" in result.summary


def test_other_languages_say_there_is_no_validated_formula(tmp_path: Path) -> None:
    result = readability(translated(medicine_document(tmp_path), "ar", ARABIC))
    assert result.formula is None and result.grade is None and result.score is None
    assert result.words == 22 and result.sentences == 4  # textstat skips 1-2 word ones
    assert result.summary.startswith("no validated formula; ")
    chinese = measure("这是一个句子。这是第二个句子。", "zh-Hans")
    assert chinese.words is None and chinese.summary.startswith("no validated formula")


def test_the_formulas_tell_plain_from_hard_text() -> None:
    plain = measure("Take one pill a day. Drink water. Call us if you feel sick.", "en")
    hard = measure("Adjuvant pharmacological interventions substantially diminish the "
                   "probability of locoregional recurrence following breast-conserving "
                   "surgical management.", "en")
    assert plain.grade < 3 < 14 < hard.grade
    easy_es = measure("Tome una pastilla al día. Beba agua. Llame si se siente mal.", "es")
    hard_es = measure("Las intervenciones farmacológicas adyuvantes disminuyen "
                      "sustancialmente la probabilidad de recurrencia locorregional.", "es")
    assert easy_es.score > 90 > 30 > hard_es.score


def test_prose_only_with_list_items_as_sentences(tmp_path: Path) -> None:
    text = handout_text(source(medicine_document(tmp_path)))
    # Headings, table cells and the picture's description are not prose.
    assert "Your doses" not in text and "Morning" not in text and "pill box" not in text
    assert "Read the leaflet first." in text  # links as their words
    assert "a fever." in text.splitlines()  # a list item ends a sentence


def test_max_grade_is_a_warning_never_an_error() -> None:
    result = readability(source(example_document()))
    problem = grade_warning(result, 8, "seeds/recurrent-breast-cancer.md")
    assert problem is not None and not problem.is_error
    assert str(problem) == (
        "seeds/recurrent-breast-cancer.md: warning: publish.max_grade: [readability] the en "
        "text reads at grade 9.1 (Flesch–Kincaid grade), above 8: shorter sentences and "
        "plainer words help")
    assert grade_warning(result, 10, "x") is None
    assert grade_warning(result, 0, "x") is None  # 0: no limit


def test_max_grade_in_publisher_toml() -> None:
    assert config_from_dict({"publish": {"max_grade": 8}}).max_grade == 8
    assert config_from_dict({}).max_grade == 0
    with pytest.raises(ConfigError, match="publish.max_grade: must be a number"):
        config_from_dict({"publish": {"max_grade": "eighth"}})
