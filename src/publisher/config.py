"""`publisher.toml`: typed, documented where declared, every mistake reported at once."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from .errors import ConfigError, Problem, error

CONFIG_NAME = "publisher.toml"
POLICIES = ("reviewed", "translated", "draft")


@dataclass(frozen=True)
class PrintSize:
    """One large-print variant (APH/ACB guidance): sizes in points."""
    body_pt: float
    h1_pt: float
    h2_pt: float
    h3_pt: float
    line_height: float


@dataclass(frozen=True)
class Paper:
    css_size: str


# Variants are data, not branches: a new size or paper is one more entry.
PRINT_SIZES: dict[str, PrintSize] = {
    "large": PrintSize(body_pt=18, h1_pt=28, h2_pt=24, h3_pt=21, line_height=1.5),
    "extra-large": PrintSize(body_pt=24, h1_pt=34, h2_pt=30, h3_pt=27, line_height=1.45),
}
PAPERS: dict[str, Paper] = {"letter": Paper("letter"), "a4": Paper("A4")}


@dataclass(frozen=True)
class Limits:
    """Bounds on what one input may cost; going past one is that input's error.

    A clinic's real seeds are far below every default (the example: 12 kB, 65
    segments, about 1 s to render); the limits stop a pasted 2 MB line, a YAML alias
    bomb or a 20,000-row table from hanging or exhausting the build.
    """
    #: Largest seed file, in kilobytes.
    seed_kb: int = 1024
    #: Longest line of a seed, in characters.
    line_chars: int = 20_000
    #: Most translatable segments (headings, paragraphs, list items, cells) in one seed.
    segments: int = 5_000
    #: Deepest nesting of lists and quotes.
    nesting: int = 16
    #: Most YAML aliases (``*name``) in one front matter.
    yaml_aliases: int = 10
    #: Largest catalog (.po) file, in kilobytes.
    catalog_kb: int = 10_240
    #: Longest a worker may spend rendering one handout, in seconds.
    render_seconds: int = 120
    #: Most memory a worker process may use, in megabytes.
    worker_memory_mb: int = 4_096


@dataclass(frozen=True)
class Config:
    #: Language the seeds are written in unless a seed says otherwise (BCP 47).
    source_language: str = "en"
    #: Every language the clinic serves, the source language included.
    locales: tuple[str, ...] = ("en",)
    #: Paper the PDFs are laid out for: letter or a4.
    paper: str = "letter"
    #: Print size: large (18 pt body) or extra-large (24 pt body).
    print_size: str = "large"
    #: What a translation needs before it is published: reviewed, translated or draft.
    require: str = "reviewed"
    #: Reading grade above which status warns (readability.py); 0 for none. Never a gate.
    max_grade: float = 0.0
    #: The site's public address, for QR codes and canonical links ("" for none).
    base_url: str = ""
    #: Bounds on what one input may cost (``[limits]``).
    limits: Limits = Limits()
    #: Every review stamp must carry a valid SSH signature (publisher review --sign).
    signed_reviews: bool = False
    #: OpenSSH allowed_signers file the signatures are verified against (project-relative).
    allowed_signers: str = "allowed_signers"
    #: liblouis table per language tag, over braille.DEFAULT_TABLES (``[braille] tables``).
    braille_tables: tuple[tuple[str, str], ...] = ()
    #: Braille page layout per language tag: "bana" (default) or "uk" (``[braille] layout``).
    braille_layouts: tuple[tuple[str, str], ...] = ()

    @property
    def size(self) -> PrintSize:
        return PRINT_SIZES[self.print_size]

    @property
    def page(self) -> Paper:
        return PAPERS[self.paper]


# Where each option lives in publisher.toml: (table, key) -> dataclass field.
_LAYOUT: dict[tuple[str, str], str] = {
    ("project", "source_language"): "source_language",
    ("project", "locales"): "locales",
    ("print", "paper"): "paper",
    ("print", "size"): "print_size",
    ("publish", "require"): "require",
    ("publish", "signed_reviews"): "signed_reviews",
    ("publish", "allowed_signers"): "allowed_signers",
    ("publish", "max_grade"): "max_grade",
    ("site", "base_url"): "base_url",
    ("braille", "tables"): "braille_tables",
    ("braille", "layout"): "braille_layouts",
    **{("limits", f.name): f"limits.{f.name}" for f in fields(Limits)},
}
_CHOICES: dict[str, tuple[str, ...]] = {
    "paper": tuple(PAPERS),
    "print_size": tuple(PRINT_SIZES),
    "require": POLICIES,
}


# Options that map a language tag to a value, and the values allowed (empty: any name).
_MAPPINGS: dict[str, tuple[str, ...]] = {"braille_tables": (), "braille_layouts": ("bana", "uk")}


def load_config(project: Path) -> Config:
    path = project / CONFIG_NAME
    if not path.exists():
        return Config()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(error(path, f"not valid TOML: {exc}")) from exc
    return config_from_dict(raw, path)


def config_from_dict(raw: dict[str, Any], path: Path | str = CONFIG_NAME) -> Config:
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    tables = {table for table, _ in _LAYOUT}
    for table, content in raw.items():
        if table not in tables or not isinstance(content, dict):
            problems.append(error(path, "unknown table", field=table))
            continue
        for key, value in content.items():
            name = _LAYOUT.get((table, key))
            if name is None:
                problems.append(error(path, "unknown key", field=f"{table}.{key}"))
                continue
            problem = _check_value(name, value, path, f"{table}.{key}")
            if problem:
                problems.append(problem)
            else:
                values[name] = (tuple(sorted(value.items())) if isinstance(value, dict)
                                else tuple(value) if isinstance(value, list) else value)
    if problems:
        raise ConfigError(*problems)
    limits = {k.removeprefix("limits."): values.pop(k) for k in list(values)
              if k.startswith("limits.")}
    if limits:
        values["limits"] = Limits(**limits)
    config = Config(**values)
    if config.source_language not in config.locales:
        config = Config(**{**values, "locales": (config.source_language, *config.locales)})
    return config


def _check_value(name: str, value: Any, path: Path | str, where: str) -> Problem | None:
    if name.startswith("limits."):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            return error(path, "must be a whole number of at least 1", field=where)
        return None
    if name in _MAPPINGS:
        choices = _MAPPINGS[name]
        if not isinstance(value, dict) or not all(
                isinstance(v, str) and v and (not choices or v in choices) for v in value.values()):
            return error(path, "must be a table of language = " + (
                " or ".join(f'"{c}"' for c in choices) if choices else "name"), field=where)
        return None
    default = {f.name: f.default for f in fields(Config)}[name]
    if isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            return error(path, "must be a number of at least 0", field=where)
        return None
    if isinstance(default, tuple):
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            return error(path, "must be a list of language codes", field=where)
        return None
    if not isinstance(value, type(default)):
        return error(path, f"must be a {type(default).__name__}", field=where)
    choices = _CHOICES.get(name)
    if choices and value not in choices:
        return error(path, f"{value!r} is not one of {', '.join(choices)}", field=where)
    return None


def with_overrides(config: Config, **overrides: Any) -> Config:
    """The configuration with command-line options applied (None means not given)."""
    given = {k: v for k, v in overrides.items() if v is not None}
    for name, value in given.items():
        problem = _check_value(name, value, "command line", name)
        if problem:
            raise ConfigError(problem)
    return Config(**{**{f.name: getattr(config, f.name) for f in fields(Config)}, **given})
