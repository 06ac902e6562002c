"""Fill a project's catalogs with fixture translations (tests/fixture_translations.py).

    .venv/bin/python tests/readers/fill_fixture_catalogs.py PROJECT ar zh-Hans he

Every entry of every seed's catalog gets words of the target script keeping the
msgid's links, numbers and emphasis, so ``publisher build --require translated``
publishes a whole handout to read back.  Run ``publisher update`` first.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from babel.messages.pofile import read_po, write_po  # noqa: E402

from fixture_translations import translate  # noqa: E402
from publisher import catalogs  # noqa: E402


def fill(project: Path, locale: str) -> None:
    for seed in sorted((project / "seeds").glob("*.md")):
        path = catalogs.catalog_path(project, locale, seed.stem)
        with path.open("rb") as handle:
            catalog = read_po(handle)
        for index, message in enumerate(catalog):
            if message.id:
                message.string = translate(message.id, locale, index)
        with path.open("wb") as handle:
            write_po(handle, catalog, width=76)


if __name__ == "__main__":
    for locale in sys.argv[2:]:
        fill(Path(sys.argv[1]), locale)
