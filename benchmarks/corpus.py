"""A realistic, deterministic benchmark corpus: seeds plus signed-off catalogs.

`generate(project, count, locales)` writes a project folder shaped like a clinic's:
`count` seeds like `seeds/recurrent-breast-cancer.md` (the same front matter, a
repeated title, the scraped ``##``-then-paragraph headings, lists with bold
lead-ins, many site-relative and absolute links, about ``pages`` pages of large
print each), and for every locale but the source a complete catalog per seed and
for the interface, filled with a pseudo-translation that passes the checks (links,
numbers, placeholders and bold markers kept, words changed; Arabic words for ``ar``
so the right-to-left path runs) and stamped with `catalogs.review`.

Everything comes from `random.Random(seed)` and SHA-256, so the same arguments give
the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import random
import re
import shutil
from datetime import date
from functools import lru_cache
from multiprocessing import Pool
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from publisher import catalogs
from publisher.cli import main as publisher
from publisher.errors import CatalogError

ROOT = Path(__file__).resolve().parent.parent
REVIEWER = "Benchmark Fixture"
REVIEW_DATE = date(2026, 11, 20)
SOURCE = "en"
LOCALES = ("en", "es", "vi", "ar")
#: Locales whose script has capital letters (the pseudo-translation keeps them).
CASED = ("es", "vi")
#: Markdown bytes per page of 18 pt print, measured on the example seed (with its
#: "Web addresses in this handout" list): 11.5 kB gave 14 pages.
BYTES_PER_PAGE = 760

# --- seeds -------------------------------------------------------------------------------

CANCERS = ["breast", "lung", "colon", "prostate", "skin", "liver", "kidney", "bladder",
           "ovarian", "pancreatic", "thyroid", "stomach", "cervical", "bone", "brain"]
KINDS = ["Recurrent {C} Cancer", "Treating {C} Cancer", "{C} Cancer Screening",
         "Living With {C} Cancer", "Side Effects of {C} Cancer Treatment",
         "Eating Well During {C} Cancer Treatment", "Follow-up Care After {C} Cancer",
         "Clinical Trials for {C} Cancer", "Coping With {C} Cancer", "{C} Cancer Risk"]
TERMS = ["chemotherapy", "radiation therapy", "hormone therapy", "targeted therapy",
         "immunotherapy", "lymph nodes", "biopsy", "tumor", "stage", "metastasis",
         "mastectomy", "lumpectomy", "CT scan", "MRI", "blood test", "clinical trial",
         "palliative care", "fatigue", "nausea", "neuropathy", "lymphedema", "remission",
         "oncologist", "nurse navigator", "genetic counseling", "bone density"]
TOPIC_PAGES = ["/about-cancer/treatment/side-effects", "/about-cancer/coping",
               "/about-cancer/treatment/clinical-trials", "/publications/patient-education",
               "/about-cancer/causes-prevention/risk", "/about-cancer/diagnosis-staging",
               "/about-cancer/managing-care/services", "/about-cancer/advanced-cancer"]
QUESTIONS = ["What is {term}?", "How is {c} cancer treated?", "What are the side effects of {term}?",
             "Who is at risk of {c} cancer?", "What happens after {term}?",
             "How can I lower my risk?", "When should I call my doctor?",
             "What questions should I ask my care team?", "How do I prepare for {term}?",
             "Can {c} cancer come back?", "Where can I get help paying for care?",
             "What tests will I need?"]
OPENERS = ["Your doctor may", "Some people", "Most patients", "Your care team can",
           "Many survivors", "After treatment, you may", "It is common to",
           "Before each visit, you can", "People with {c} cancer often", "Your nurse will"]
VERBS = ["talk with you about", "recommend", "check for", "help you manage", "watch for",
         "explain", "plan", "lower the risk of", "ask about", "write down"]
OBJECTS = ["{link}", "side effects such as {link}", "the results of your {link}",
           "a follow-up visit every {n} months", "changes in your {c} health",
           "the benefits and risks of {link}", "ways to cope with {link}",
           "how {link} works", "a plan that fits your life", "questions about {link}"]
TAILS = ["", " during the first {n} years", " after surgery", " if the cancer comes back",
         " at each visit", " for about {n} weeks", " with your family", " before treatment starts"]


def _link(rng: random.Random, term: str) -> str:
    number = rng.randint(10000, 999999)
    if rng.random() < 0.6:  # site-relative, resolved against the seed's url
        return f"[{term}](/publications/dictionaries/cancer-terms/def/{number})"
    return f"[{term}](https://www.cancer.gov/publications/dictionaries/cancer-terms/def/{number})"


def _fill(rng: random.Random, template: str, cancer: str) -> str:
    term = rng.choice(TERMS)
    return template.format(link=_link(rng, term) if rng.random() < 0.5 else term, term=term,
                           c=cancer, n=rng.randint(2, 12))


def sentence(rng: random.Random, cancer: str) -> str:
    text = " ".join(_fill(rng, part, cancer) for part in
                    (rng.choice(OPENERS), rng.choice(VERBS), rng.choice(OBJECTS)))
    text += _fill(rng, rng.choice(TAILS), cancer) + "."
    return text[0].upper() + text[1:]


def paragraph(rng: random.Random, cancer: str) -> str:
    return " ".join(sentence(rng, cancer) for _ in range(rng.randint(3, 6)))


def bullet_list(rng: random.Random, cancer: str) -> str:
    items = []
    for _ in range(rng.randint(3, 6)):
        if rng.random() < 0.5:
            lead = rng.choice(TERMS).capitalize()
            items.append(f"- **{lead}.** {sentence(rng, cancer)}")
        else:
            items.append(f"- {sentence(rng, cancer).rstrip('.').lower()}")
    return "\n".join(items)


def section(rng: random.Random, cancer: str) -> str:
    question = _fill(rng, rng.choice(QUESTIONS), cancer)
    parts = ["##", question[0].upper() + question[1:], paragraph(rng, cancer)]
    if rng.random() < 0.6:
        parts += [f"{sentence(rng, cancer).rstrip('.')}:", bullet_list(rng, cancer)]
    if rng.random() < 0.5:
        parts.append(paragraph(rng, cancer))
    if rng.random() < 0.4:
        page = rng.choice(TOPIC_PAGES)
        absolute = "https://www.cancer.gov" + page if rng.random() < 0.5 else page
        parts.append(f"Learn more at [{rng.choice(TERMS).capitalize()} and "
                     f"{cancer.capitalize()} Cancer]({absolute}).")
    return "\n\n".join(parts)


def seed_text(index: int, pages: int) -> tuple[str, str]:
    """(slug, Markdown) of handout ``index``: about ``pages`` pages of large print."""
    rng = random.Random(index)
    cancer = CANCERS[index % len(CANCERS)]
    kind = KINDS[(index // len(CANCERS)) % len(KINDS)]
    title = kind.format(C=cancer.capitalize()) + " - NCI"
    slug = re.sub(r"[^a-z0-9]+", "-", kind.format(C=cancer).lower()).strip("-") + f"-{index:03d}"
    others = rng.sample([c for c in CANCERS if c != cancer], 2)
    front = "\n".join([
        "---", "audienceLevel: patient", "cancerTypes:", f"- {cancer}",
        *(f"- {c}" for c in others), "citation: NCI, 2025", "language: en",
        f"lastReviewed: '2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}'",
        "license: public_domain", "reviewFrequency: annual", "source: NCI",
        "sourceType: 02_nci_core", "status: active", "tags:", "- cancer-type",
        f"title: {title}", f"url: https://www.cancer.gov/types/{cancer}/{slug}",
        "version: v1", "---", ""])
    body = [f"# {title}", f"# {kind.format(C=cancer.capitalize())}"]
    while sum(len(part) for part in body) < pages * BYTES_PER_PAGE:
        body.append(section(rng, cancer))
    return slug, front + "\n" + "\n\n".join(body) + "\n"


# --- pseudo-translation -------------------------------------------------------------------

VOCABULARY = {
    "es": "el la de los cáncer tratamiento médico paciente salud cuerpo riesgo células "
          "terapia puede también después durante ayuda cuidado equipo vida mama pulmón "
          "hígado piel sangre prueba resultado dolor semana día medicina cirugía radiación "
          "familia preguntas información síntomas tumor ganglios hueso enfermera cita".split(),
    "vi": "ung thư điều trị bác sĩ bệnh nhân sức khỏe cơ thể nguy tế bào liệu pháp có "
          "cũng sau trong giúp chăm sóc nhóm cuộc sống vú phổi gan da máu xét nghiệm "
          "kết quả đau tuần ngày thuốc phẫu thuật xạ gia đình câu hỏi thông tin".split(),
    "ar": "السرطان العلاج الطبيب المريض الصحة الجسم الخطر الخلايا يمكن أيضا بعد خلال "
          "يساعد الرعاية الفريق الحياة الثدي الرئة الكبد الجلد الدم الفحص النتيجة الألم "
          "أسبوع يوم الدواء الجراحة الإشعاع العائلة أسئلة معلومات الأعراض الورم العقد "
          "العظام في من على مع".split(),
    "zh-Hans": "癌症 治疗 医生 患者 健康 身体 风险 细胞 疗法 可以 也 之后 期间 帮助 护理 "
               "团队 生活 乳腺 肺 肝 皮肤 血液 检查 结果 疼痛 每周 每天 药物 手术 放疗 "
               "家人 问题 信息 症状 肿瘤 淋巴结 骨骼 护士 预约".split(),
}
#: What a translation must keep byte for byte: link targets, placeholders, web
#: addresses; then words (changed) and everything else (kept: digits, **, [ ], punctuation).
TOKEN = re.compile(r"(?P<keep>\]\([^)]*\)|%\(\w+\)[sd]|%[sd]|\{\w*\}|https?://\S+)"
                   r"|(?P<word>[^\W\d_]+)")


@lru_cache(maxsize=None)
def _word(word: str, locale: str) -> str:
    words = VOCABULARY[locale]
    digest = hashlib.sha256(f"{locale}:{word.lower()}".encode()).digest()
    found = words[int.from_bytes(digest[:4], "big") % len(words)]
    return found.capitalize() if word[0].isupper() and locale in CASED else found


def pseudo_translate(text: str, locale: str) -> str:
    """``text`` with every word replaced and everything the checks compare kept."""
    return TOKEN.sub(lambda m: m.group("keep") or _word(m.group("word"), locale), text)


def fill_catalog(project: Path, locale: str, name: str) -> int:
    """Translate every entry of one catalog (plural forms too), clear fuzzy flags."""
    path = catalogs.catalog_path(project, locale, name)
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=catalog_locale(locale))
    for message in catalog:
        if not message.id:
            continue
        if message.pluralizable:
            singular, plural = message.id
            message.string = tuple(pseudo_translate(singular if i == 0 else plural, locale)
                                   for i in range(catalog.num_plurals))
        else:
            message.string = pseudo_translate(message.id, locale)
        message.flags.discard("fuzzy")
        message.previous_id = []
    catalog.obsolete.clear()
    out = io.BytesIO()
    write_po(out, catalog, width=catalogs.WIDTH)
    path.write_bytes(out.getvalue())
    return len(catalog)


def catalog_locale(locale: str) -> str:
    return locale.replace("-", "_")


def sign_off(task: tuple[Path, str, str]) -> str:
    """Fill and stamp one catalog; return a note when the interface could not be stamped."""
    project, locale, name = task
    fill_catalog(project, locale, name)
    try:
        catalogs.review(project, locale, name, REVIEWER, REVIEW_DATE)
    except CatalogError as exc:
        # `review_problems` looks entries up by msgid alone, so an interface entry with
        # a msgctxt ("cancer type") always counts as "not in the catalog yet".  The
        # interface needs no stamps (usable = translated and check-clean): go on.
        if name != catalogs.INTERFACE or not all(
                "not in the catalog yet" in p.message for p in exc.problems):
            raise
        return (f"{catalogs.shown(catalogs.catalog_path(project, locale, name), project)}: "
                f"filled but not stamped: review() rejects {len(exc.problems)} msgctxt "
                "entries as 'not in the catalog yet'")
    return ""


# --- the project --------------------------------------------------------------------------

CONFIG = """\
[project]
source_language = "en"
locales = {locales}

[print]
paper = "letter"
size = "large"

[publish]
require = "reviewed"

[site]
base_url = "https://handouts.example.org"
"""


def update_catalogs(project: Path) -> None:
    out = io.StringIO()
    if publisher(["update", "--project", str(project)], stdout=out) != 0:
        raise RuntimeError("publisher update failed:\n" + out.getvalue())


def sign_off_all(tasks: list[tuple[Path, str, str]], processes: int) -> list[str]:
    with Pool(processes) as pool:
        return [note for note in pool.map(sign_off, tasks, chunksize=8) if note]


def generate(project: Path, count: int, locales: tuple[str, ...] = LOCALES, pages: int = 10,
             processes: int = 2) -> tuple[list[str], list[str]]:
    """Write the project; return the slugs and notes about the fixtures."""
    if project.exists():
        shutil.rmtree(project)
    shutil.copytree(ROOT / "templates", project / "templates")
    (project / "seeds").mkdir(parents=True)
    (project / "publisher.toml").write_text(
        CONFIG.format(locales="[" + ", ".join(f'"{loc}"' for loc in locales) + "]"),
        encoding="utf-8")
    slugs = []
    for index in range(count):
        slug, text = seed_text(index, pages)
        (project / "seeds" / f"{slug}.md").write_text(text, encoding="utf-8")
        slugs.append(slug)
    update_catalogs(project)
    targets = [loc for loc in locales if loc != SOURCE]
    notes = sign_off_all([(project, loc, name) for loc in targets
                          for name in [catalogs.INTERFACE, *slugs]], processes)
    return slugs, notes


def copy_project(project: Path, target: Path) -> Path:
    """A fresh copy of the inputs only (no dist/, no caches): for a cold build."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name in ("seeds", "locales", "templates"):
        shutil.copytree(project / name, target / name)
    shutil.copy(project / "publisher.toml", target / "publisher.toml")
    return target


# --- edits for the rebuild measurements ---------------------------------------------------

def edit_seed(project: Path, slug: str, locales: tuple[str, ...] = LOCALES) -> None:
    """Change one sentence of one seed, then bring its catalogs back to signed-off."""
    path = project / "seeds" / f"{slug}.md"
    text = path.read_text(encoding="utf-8")
    marker = "\n##\n\n"
    start = text.index(marker) + len(marker)
    paragraph_start = text.index("\n\n", start) + 2
    path.write_text(text[:paragraph_start] + "Please read this page with your family. "
                    + text[paragraph_start:], encoding="utf-8")
    update_catalogs(project)
    for locale in locales:
        if locale != SOURCE:
            sign_off((project, locale, slug))


def edit_catalog_entry(project: Path, locale: str, slug: str) -> str:
    """Change one msgstr of one seed's catalog and re-stamp it; return the msgid."""
    path = catalogs.catalog_path(project, locale, slug)
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=catalog_locale(locale))
    message = [m for m in catalog if m.id][1]
    message.string = message.string + " " + VOCABULARY.get(locale, ["edited"])[0]
    out = io.BytesIO()
    write_po(out, catalog, width=catalogs.WIDTH)
    path.write_bytes(out.getvalue())
    catalogs.review(project, locale, slug, REVIEWER, REVIEW_DATE)
    return message.id
