"""Translation checks: each one fires on its mistake and stays quiet on a good translation."""

from __future__ import annotations

import pytest

from publisher.translation_checks import CHECKS, check_message

GOOD = [
    ("Take **500 mg** twice a day.", "Tome **500 mg** dos veces al día."),
    ("Call 1-800-422-6237 if you feel sick.", "Llame al 1-800-422-6237 si se siente mal."),
    ("Read [more about doses](https://www.cancer.gov/doses).",
     "Lea [más sobre las dosis](https://www.cancer.gov/doses)."),
    ("See [chest wall](/types/breast) and [lymph nodes](/types/breast).",
     "Vea [la pared](/types/breast) y [los ganglios](/types/breast)."),
    ("Page %(page)s of %(pages)s", "Página %(page)s de %(pages)s"),
    ("%(num)s pages", "%(num)s páginas"),
    ("Hello {name}", "Hola {name}"),
    ("Women *aged 65* and older", "Mujeres _de 65 años_ o más"),
    ("Ask about file_name and 2 * 3", "Pregunte por file_name y 2 * 3"),
    ("About 50% of patients", "Alrededor del 50% de los pacientes"),
    ("Write to nci@example.org", "Escriba a nci@example.org"),
    ("Use <b>only</b> this", "Use <b>solo</b> esto"),
]


@pytest.mark.parametrize(("source", "translation"), GOOD)
def test_a_good_translation_passes_every_check(source, translation):
    assert check_message(source, translation) == []


@pytest.mark.parametrize(("check", "source", "translation"), [
    ("placeholders", "Page %(page)s of %(pages)s", "Página %(page)s"),
    ("placeholders", "Page %(page)s of %(pages)s", "Página %(page)s de %(pagina)s"),
    ("placeholders", "%s items", "elementos"),
    ("placeholders", "Hello {name}", "Hola {nombre}"),
    ("numbers", "Take 500 mg twice a day.", "Tome 50 mg dos veces al día."),
    ("numbers", "Call 1-800-422-6237.", "Llame al 1-800-422-6273."),
    ("numbers", "Women aged 65 and older", "Mujeres de 56 años o más"),
    ("urls", "See https://www.cancer.gov/x", "Vea https://www.cancer.gov/y"),
    ("emails", "Write to nci@example.org", "Escriba a nci@ejemplo.org"),
    ("links", "See [chest wall](/types/breast).", "Vea [pared](/types/mama)."),
    ("links", "See [a](/x) and [b](/x).", "Vea [a](/x) y b."),
    ("emphasis", "Take **500 mg** twice.", "Tome **500 mg dos veces."),
    ("emphasis", "Take **500 mg** twice.", "Tome 500 mg dos veces."),
    ("emphasis", "Take *this* now.", "Tome *esto ahora."),
    ("emphasis", "Take _this_ now.", "Tome _esto ahora."),
    ("html", "Hello", "Hola <script>alert(1)</script>"),
    ("html", "Hello", 'Hola <img src="x" onerror="alert(1)">'),
    ("html", "Hello", "Hola <b>amigo</b>"),
    ("html", "Read [this](https://a.org).", "Lea [esto](javascript:alert(1))."),
])
def test_each_check_fires_on_its_mistake(check, source, translation):
    found = check_message(source, translation)
    assert check in {check_id for check_id, _ in found}, found
    assert all(isinstance(message, str) and message for _, message in found)


def test_the_messages_say_what_is_wrong():
    found = check_message("See [chest wall](/types/breast).", "Vea [pared](/types/mama).")
    assert ("links", "link target '/types/breast' is missing") in found
    assert ("links", "link target '/types/mama' is not in the source") in found
    found = check_message("Take **500 mg** twice.", "Tome 500 mg dos veces.")
    assert ("emphasis", "0 bold span(s) where the source has 1") in found


def test_link_punctuation_and_word_order_are_not_url_changes():
    source = "Learn about [a](https://x.org/a), [b](https://x.org/b), and more."
    assert check_message(source, "Lea sobre [b](https://x.org/b) y [a](https://x.org/a).") == []


def test_an_untranslated_entry_is_not_checked():
    assert check_message("Take 500 mg.", "") == []


def test_every_check_has_a_unique_short_id():
    ids = [check.id for check in CHECKS]
    assert len(ids) == len(set(ids)) and all(i.isidentifier() for i in ids)
