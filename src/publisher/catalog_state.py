"""What a catalog offers: the usable entries, their checks, their review, and why not.

One pass over a catalog (`assess`) decides, for every entry, whether it is usable
(translated, not fuzzy, check-clean), whether it is reviewed (a valid stamp, and a
valid signature when the project requires them), and if not, why — as a note with
the file and line that `build`, `status` and `review` all show.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, NamedTuple, Sequence

from babel.messages.catalog import Catalog, Message

from .catalog_files import catalog_path, read_catalog, shown, template_path
from .errors import Problem, Severity, error
from .model import Translation
from .review_signatures import verify
from .review_stamps import (SOURCE_CHANGED, UNSTAMPED, VALID, ReviewStamp, entry_text,
                            is_translated, signed_data, stamp_state)

#: Notes a reviewer acts on; under the translated and draft policies only these matter.
TRANSLATION_NOTES = ("untranslated", "fuzzy", "missing")


def _pairs(message: Message, catalog: Catalog) -> Iterable[tuple[str, str]]:
    """(source, translation) pairs to check; plural forms against singular/plural."""
    if isinstance(message.id, str):
        yield message.id, message.string or ""
        return
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    for index, string in enumerate(strings):
        source = message.id[0] if index == 0 and catalog.num_plurals > 1 else message.id[-1]
        yield source, string or ""


def message_problems(message: Message, catalog: Catalog, path: str | Path) -> list[Problem]:
    # The checks bring Translate Toolkit and markdown-it: loaded when a catalog is
    # judged, not when a judgement is read back from the cache.
    from .translation_checks import check_message
    found = []
    for source, translation in _pairs(message, catalog):
        for check_id, text in check_message(source, translation,
                                            locale=catalog.locale_identifier):
            found.append(error(path, text, line=message.lineno, check=check_id))
    return found


def short(msgid: str | Sequence[str] | None, limit: int = 60) -> str:
    text = entry_text(msgid).replace("\0", " / ").replace("\n", " ")
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def note(path: str | Path, kind: str, message: str, line: int | None = None) -> Problem:
    """Why an entry is not publishable; ``kind`` is the field (untranslated, fuzzy, ...)."""
    return Problem(Severity.INFO, str(path), message, line, kind)


class Assessment(NamedTuple):
    #: (msgctxt, msgid) -> msgstr of every entry translated, not fuzzy and check-clean.
    strings: dict
    #: (msgctxt, msgid) -> its valid stamp, for the usable entries that are reviewed.
    reviewed: dict
    check_failures: list[Problem]
    #: One note per entry that is not publishable as reviewed, with why.
    notes: list[Problem]
    #: Signatures that fail (errors: someone edited or forged a signed stamp).
    signature_failures: list[Problem]
    translated: int
    fuzzy: int
    untranslated: int


def assess(catalog: Catalog, path: str | Path, signers: Path | None = None) -> Assessment:
    """Every entry judged once; ``signers`` (an allowed_signers file) makes signatures
    required on every stamp."""
    result = Assessment({}, {}, [], [], [], 0, 0, 0)
    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    for message in catalog:
        if not message.id:
            continue
        where = message.lineno
        if not is_translated(message):
            counts["untranslated"] += 1
            result.notes.append(note(path, "untranslated", short(message.id), where))
            continue
        state, stamp = stamp_state(message)
        if message.fuzzy:
            counts["fuzzy"] += 1
            result.notes.append(note(path, "fuzzy", _fuzzy_text(message, state, stamp), where))
            continue
        counts["translated"] += 1
        failures = message_problems(message, catalog, path)
        if failures:
            result.check_failures.extend(failures)
            continue
        key = (message.context, message.id)
        result.strings[key] = message.string
        if state == VALID and signers is not None:
            verdict = verify(signed_data(message, stamp), stamp.signature, signers)
            if not verdict.ok:
                result.signature_failures.append(error(
                    path, f"the review signature of {short(message.id)} (reviewed by "
                    f"{stamp.by} on {stamp.date}) does not verify: {verdict.detail}",
                    line=where, field="signature"))
                continue
        if state == VALID:
            result.reviewed[key] = stamp
        else:
            kind = "not reviewed" if state == UNSTAMPED else "review out of date"
            result.notes.append(note(path, kind, _unreviewed_text(message, state, stamp),
                                     where))
    return result._replace(**counts)


def _unreviewed_text(message: Message, state: str, stamp: ReviewStamp | None) -> str:
    if state == UNSTAMPED or stamp is None:
        return f"no review stamp yet: {short(message.id)}"
    since = f"reviewed by {stamp.by} on {stamp.date.isoformat()}"
    if state == SOURCE_CHANGED:
        return (f"the source changed since it was {since} (it was "
                f"{short(message.previous_id)}): {short(message.id)}")
    return (f"changed since it was {since} (the translation, or the stamp itself, was "
            f"edited; or the stamp was copied from another entry): {short(message.id)}")


def _fuzzy_text(message: Message, state: str, stamp: ReviewStamp | None) -> str:
    text = f"needs a translator's check: {short(message.id)}"
    if message.previous_id:
        text += f"; the source was {short(message.previous_id)}"
    if stamp is not None and state == SOURCE_CHANGED:
        text += f"; reviewed by {stamp.by} on {stamp.date.isoformat()} for that source"
    return text


def document_strings(strings: dict) -> dict[str, str]:
    """msgid -> msgstr for the entries a document uses (no msgctxt, no plural)."""
    return {msgid: text for (context, msgid), text in strings.items()
            if context is None and isinstance(msgid, str)}


class UsableTranslations(NamedTuple):
    #: msgid -> msgstr of every entry that is translated, not fuzzy and check-clean.
    strings: dict[str, str]
    #: msgid -> its valid review stamp, or None when the usable entry is not reviewed.
    reviewed: dict[str, ReviewStamp | None]
    #: One problem per failed check, with file and line; those entries are not usable.
    problems: list[Problem]


def usable_translations(catalog: Catalog, path: str | Path,
                        signers: Path | None = None) -> UsableTranslations:
    found = assess(catalog, path, signers)
    strings = document_strings(found.strings)
    return UsableTranslations(strings, {k: found.reviewed.get((None, k)) for k in strings},
                              [*found.check_failures, *found.signature_failures])


@dataclass(frozen=True)
class CatalogStatus:
    locale: str
    slug: str
    path: Path
    entries: int
    translated: int
    fuzzy: int
    untranslated: int
    reviewed: int
    check_failures: tuple[Problem, ...]
    exists: bool = True
    #: Template messages the .po does not have yet (``publisher update`` adds them).
    missing: int = 0
    #: Every entry not publishable as reviewed, with file:line and why (see `assess`).
    notes: tuple[Problem, ...] = ()

    @property
    def complete(self) -> bool:
        return self.entries > 0 and self.translated == self.entries

    @property
    def check_clean(self) -> bool:
        return not self.check_failures

    @property
    def fully_reviewed(self) -> bool:
        return self.complete and self.check_clean and self.reviewed == self.entries

    def _percent(self, part: int) -> float:
        return round(100.0 * part / self.entries, 1) if self.entries else 0.0

    @property
    def percent_translated(self) -> float:
        return self._percent(self.translated)

    @property
    def percent_reviewed(self) -> float:
        return self._percent(self.reviewed)

    def notes_for(self, policy: str) -> list[Problem]:
        """The notes that keep entries from publishing under ``policy``."""
        if policy == "reviewed":
            return list(self.notes)
        return [n for n in self.notes if n.field in TRANSLATION_NOTES]


def status_of(catalog: Catalog | None, template: Catalog | None, locale: str, slug: str,
            path: Path, where: str, found: Assessment | None = None) -> CatalogStatus:
    template_ids = [(m.id, m.context) for m in template if m.id] if template is not None else []
    if catalog is None:
        count = len(template_ids)
        return CatalogStatus(locale, slug, path, count, 0, 0, count, 0, (), exists=False,
                             notes=(note(where, "missing", "no catalog yet (run publisher "
                                         "update)"),))
    found = found or assess(catalog, where)
    missing = [msgid for msgid, context in template_ids
               if catalog.get(msgid, context=context) is None]
    notes = [*found.notes, *(note(where, "missing", "not in the catalog yet (run publisher "
                                  f"update): {short(msgid)}") for msgid in missing)]
    failures = (*found.check_failures, *found.signature_failures)
    return CatalogStatus(locale, slug, path,
                         found.translated + found.fuzzy + found.untranslated + len(missing),
                         found.translated, found.fuzzy, found.untranslated + len(missing),
                         len(found.reviewed), failures, missing=len(missing),
                         notes=tuple(sorted(notes, key=lambda n: n.line or 0)))


def read_template(project: Path, slug: str) -> Catalog | None:
    template_file = template_path(project, slug)
    return read_catalog(template_file, project=project) if template_file.exists() else None


def catalog_status(project: Path, locale: str, slug: str,
                   signers: Path | None = None) -> CatalogStatus:
    """Progress of one catalog; a missing .po counts every template message untranslated."""
    path = catalog_path(project, locale, slug)
    catalog = read_catalog(path, locale, project=project) if path.exists() else None
    where = shown(path, project)
    found = assess(catalog, where, signers) if catalog is not None else None
    return status_of(catalog, read_template(project, slug), locale, slug, path, where, found)


def translation_state(project: Path, locale: str, slug: str, signers: Path | None = None
                      ) -> tuple[Translation | None, CatalogStatus]:
    """What the localize stage may use, and the catalog's progress, from one reading.

    A catalog that cannot be read raises CatalogError naming its file and line.
    """
    path = catalog_path(project, locale, slug)
    template = read_template(project, slug)
    where = shown(path, project)
    if not path.exists():
        return None, status_of(None, template, locale, slug, path, where)
    catalog = read_catalog(path, locale, project=project)
    found = assess(catalog, where, signers)
    strings = document_strings(found.strings)
    translation = Translation(
        path=where, usable=strings,
        reviewed=frozenset(k for k in strings if (None, k) in found.reviewed),
        problems=(*found.check_failures, *found.signature_failures),
        fuzzy=found.fuzzy)
    return translation, status_of(catalog, template, locale, slug, path, where, found)
