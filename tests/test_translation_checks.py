"""Translation checks: each one fires on its mistake and stays quiet on a good translation."""

from __future__ import annotations

import pytest

from publisher.translation_checks import CHECKS, CheckContext, check_message, numbers
from publisher.translation_numbers import numbers_in, notation

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


# --- numbers: what a pharmacist expects -------------------------------------------------
# (source, translation language, translation, passes?) — each side read in its own notation.
NUMBER_CASES = [
    # Changed, added or dropped numbers fail.
    ("Take 5 mg a day.", "es", "Tome 50 mg al día.", False),
    ("Take 1 tablet.", "es", "Tome 10 tabletas.", False),
    ("Every 12 hours.", "es", "Cada 120 horas.", False),
    ("Take it with food.", "es", "Tómelo con 2 comidas.", False),        # added
    ("Take 2 tablets with food.", "es", "Tome las tabletas con comida.", False),  # dropped
    ("Take 2.5 mg.", "es", "Tome 25 mg.", False),
    ("Take 2.5 mg.", "es", "Tome 2,50 mg y 2 más.", False),
    ("Call 1-800-422-6237.", "es", "Llame al 1-800-422-6273.", False),   # transposed digits
    ("Call 555-0100.", "es", "Llame al 555-100.", False),                # a phone's leading 0
    ("Women aged 65 and older", "es", "Mujeres de 56 años o más", False),
    ("Store below -20 °C.", "es", "Guárdelo por debajo de 20 °C.", False),  # lost minus
    ("Take ½ tablet.", "es", "Tome una tableta.", False),                # dropped fraction
    ("A dose of 1,000 mg.", "es", "Una dosis de 1,000 mg.", False),      # es "1,000" is one
    ("A dose of 1.5 mg.", "es", "Una dosis de 1.500 mg.", False),        # es "1.500" is 1500
    ("Take 2.5 mg.", "ar", "تناول ٢٥ ملغ.", False),                      # Arabic-Indic 25
    # The same values in the translation's own notation pass.
    ("Take 2.5 mg.", "es", "Tome 2,5 mg.", True),
    ("Take 2.5 mg.", "es", "Tome 2.5 mg.", True),    # "2.5" is not Spanish grouping: as written
    ("Up to 4,000 units.", "es", "Hasta 4.000 unidades.", True),
    ("Up to 4,000 units.", "es", "Hasta 4000 unidades.", True),
    ("Up to 4,000 units.", "fr", "Jusqu’à 4 000 unités.", True),
    ("Up to 4,000 units.", "fr", "Jusqu’à 4\u202f000 unités.", True),  # narrow no-break space
    ("Up to 4,000 units.", "de-CH", "Bis zu 4'000 Einheiten.", True),
    ("Up to 1,234.5 mL.", "es", "Hasta 1.234,5 mL.", True),
    ("Call 555-0100.", "es", "Llame al 555-0100.", True),
    ("Call 1-800-422-6237.", "es", "Llame al 1-800-422-6237.", True),
    ("Come at 8:30.", "es", "Venga a las 8:30.", True),
    ("For 2-3 weeks.", "es", "Durante 2 a 3 semanas.", True),
    ("For 2–3 weeks.", "es", "Durante 2-3 semanas.", True),
    ("A fever of 100.4 °F (38 °C).", "es", "Fiebre de 100,4 °F (38 °C).", True),
    ("Store below −20 °C.", "es", "Guárdelo por debajo de -20 °C.", True),
    ("About 50% of patients.", "fr", "Environ 50 % des patients.", True),
    ("Take 0.5 mg.", "es", "Tome 0,5 mg.", True),
    ("Take ½ tablet.", "es", "Tome ½ tableta.", True),
    ("Take 2.5 mg.", "ar", "تناول ٢٫٥ ملغ.", True),                     # Arabic-Indic, ٫
    ("Take 2.5 mg.", "fa", "۲٫۵ میلی‌گرم مصرف کنید.", True),               # Persian digits
    ("Call 555-0100.", "ar", "اتصل على ٥٥٥-٠١٠٠.", True),
    ("Take 500 mg.", "zh-Hans", "服用５００ mg。", True),                  # full-width digits
    ("On January 15, 2026.", "es", "El 15 de enero de 2026.", True),      # reordered date
    ("Read [page 2](https://x.org/p2) on day 3.", "es",
     "Lea [la página 2](https://x.org/p2) el día 3.", True),
    ("Page %(page)s of %(pages)s", "es", "Página %(page)s de %(pages)s", True),
]


@pytest.mark.parametrize(("source", "locale", "translation", "passes"), NUMBER_CASES,
                         ids=[f"{c[0]}->{c[2]}" for c in NUMBER_CASES])
def test_numbers_are_compared_as_values_in_each_languages_notation(
        source, locale, translation, passes):
    found = [m for check, m in check_message(source, translation, locale=locale)
             if check == "numbers"]
    assert (found == []) == passes, found


def test_numbers_in_link_targets_are_the_links_checks_business():
    assert numbers("See [a](https://x.org/2024/a).", "Vea [a](https://x.org/2025/a).",
                   CheckContext("en", "es")) == []


def test_a_copied_number_that_means_another_value_says_how_to_write_it():
    [message] = numbers("A dose of 1,000 mg.", "Una dosis de 1,000 mg.",
                        CheckContext("en", "es"))
    assert message == ("numbers differ from the source: '1,000' (1000) is missing;"
                       " '1,000' (1) is not in the source: in es '1,000' reads as 1;"
                       " write '1.000' for 1000")


def test_one_message_names_every_number_that_differs():
    assert numbers("Take 5 mg for 12 hours.", "Tome 50 mg durante 120 horas.",
                   CheckContext("en", "es")) == [
        "numbers differ from the source: 5 is missing; 12 is missing;"
        " 50 is not in the source; 120 is not in the source"]


def test_without_a_locale_the_translation_is_read_as_the_source_language():
    assert numbers("Take 2.5 mg.", "Tome 2,5 mg.") != []
    assert check_message("Take 2.5 mg.", "Tome 2,5 mg.", locale="es") == []


def test_notation_comes_from_babel():
    assert (notation("es").decimal, notation("es").group) == (",", ".")
    assert notation("fr").group == "\u202f" and " " in notation("fr").groups
    assert "\u066b" in notation("fa").decimals
    assert [str(t.value) for t in numbers_in("2,5 y 4.000", notation("es"))] == ["2.5", "4000"]
