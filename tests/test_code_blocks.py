"""A code block reaches a screen reader as code: a P holding Code, its lines as written
(read back with Poppler's structure dump, a reader we did not write)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import make_project, run_cli, seed

BODY = """\
## Schedule

```
Morning   1 tablet   with food
Night     2 tablets  before bed
```

Text after the `code span`.
"""


def test_a_code_block_is_a_paragraph_of_code(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"plan.md": seed("Plan", BODY)})
    assert run_cli("build", "--project", str(project), "--jobs", "1", "--format", "pdf",
                   "--format", "html").status == 0
    dump = subprocess.run(["pdfinfo", "-struct-text", str(project / "dist" / "en" / "plan.pdf")],
                          capture_output=True, text=True, check=True).stdout
    lines = [line.strip() for line in dump.splitlines()]
    start = lines.index("Code (inline)")
    assert lines[start - 1] == "P (block)"
    assert lines[start + 1:start + 3] == ['"Morning   1 tablet   with food"',
                                          '"Night     2 tablets  before bed"']
    assert lines.count("Code (inline)") == 2  # the code span too
