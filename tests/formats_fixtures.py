"""A seed with a table, a nested list and a picture, with Spanish and Arabic translations,
for the braille, readability and bilingual tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

from publisher.localize import localize, source_handout
from publisher.model import Document, LocalizedDocument, Translation
from publisher.seeds import load_seed

ROOT = Path(__file__).resolve().parent.parent

MEDICINE = """\
    ---
    title: Taking your medicine
    language: en
    lastReviewed: '2026-01-15'
    reviewFrequency: annual
    source: Test clinic
    url: https://example.org/medicine
    ---

    # Taking your medicine

    ## Your doses

    Take **500 mg** twice a day with food. Read [the leaflet](https://example.org/leaflet/medicine-a) first.

    | Time | Dose |
    | --- | --- |
    | Morning | 500 mg |
    | Evening | 500 mg |

    ## If you feel unwell

    - Call the clinic if you have:
      - a fever
      - a rash
    - Drink water and rest.

    ![A pill box with seven compartments](https://example.org/pillbox.png)
    """
SPANISH = {
    "Taking your medicine": "Cómo tomar su medicamento",
    "Your doses": "Sus dosis",
    "Take **500 mg** twice a day with food. Read [the leaflet](https://example.org/leaflet/medicine-a) first.":
        "Tome **500 mg** dos veces al día con comida. Lea primero "
        "[el prospecto](https://example.org/leaflet/medicine-a).",
    "Time": "Hora",
    "Dose": "Dosis",
    "Morning": "Mañana",
    "500 mg": "500 mg",
    "Evening": "Noche",
    "If you feel unwell": "Si se siente mal",
    "Call the clinic if you have:": "Llame a la clínica si tiene:",
    "a fever": "fiebre",
    "a rash": "un sarpullido",
    "Drink water and rest.": "Beba agua y descanse.",
    "![A pill box with seven compartments](https://example.org/pillbox.png)":
        "![Un pastillero con siete compartimentos](https://example.org/pillbox.png)",
}
ARABIC = {
    "Taking your medicine": "تناول دوائك",
    "Your doses": "جرعاتك",
    "Take **500 mg** twice a day with food. Read [the leaflet](https://example.org/leaflet/medicine-a) first.":
        "تناول **500 mg** مرتين في اليوم مع الطعام. اقرأ "
        "[النشرة](https://example.org/leaflet/medicine-a) أولا.",
    "Time": "الوقت",
    "Dose": "الجرعة",
    "Morning": "الصباح",
    "500 mg": "500 mg",
    "Evening": "المساء",
    "If you feel unwell": "إذا شعرت بتوعك",
    "Call the clinic if you have:": "اتصل بالعيادة إذا كان لديك:",
    "a fever": "حمى",
    "a rash": "طفح جلدي",
    "Drink water and rest.": "اشرب الماء واسترح.",
    "![A pill box with seven compartments](https://example.org/pillbox.png)":
        "![علبة أقراص بسبع خانات](https://example.org/pillbox.png)",
}


def medicine_document(tmp_path: Path) -> Document:
    (tmp_path / "seeds").mkdir(parents=True, exist_ok=True)
    path = tmp_path / "seeds" / "taking-your-medicine.md"
    path.write_text(textwrap.dedent(MEDICINE), encoding="utf-8")
    return load_seed(path, tmp_path)[0]


def example_document() -> Document:
    return load_seed(ROOT / "seeds" / "recurrent-breast-cancer.md", ROOT)[0]


def translated(document: Document, locale: str, strings: dict[str, str]) -> LocalizedDocument:
    """The document in ``locale`` from a reviewed fixture translation."""
    translation = Translation(path=f"locales/{locale}/LC_MESSAGES/{document.slug}.po",
                              usable=strings, reviewed=frozenset(strings))
    result = localize(document, locale, translation, "reviewed")
    assert isinstance(result, LocalizedDocument), result
    return result


def example_spanish() -> LocalizedDocument:
    """The example in Spanish from the repository's (unreviewed) catalog."""
    from publisher.catalogs import translation_state
    document = example_document()
    translation, _ = translation_state(ROOT, "es", document.slug)
    result = localize(document, "es", translation, "translated")
    assert isinstance(result, LocalizedDocument), result
    return result


def source(document: Document) -> LocalizedDocument:
    return source_handout(document)
