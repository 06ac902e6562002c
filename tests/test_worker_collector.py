"""A job runs with the cyclic garbage collector paused, and what it left is collected
when it ends (collector.paused)."""

from __future__ import annotations

import gc
from pathlib import Path

from conftest import make_project, seed

from publisher.build import BuildOptions, BuildResult, load_stage, plan_jobs, plan_stage
from publisher.cache import no_cache
from publisher.config import load_config
from publisher.render_handout import render_job, start_worker


def test_a_job_is_collected_once_at_its_end(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", {"a.md": seed("A", "Some text.\n" * 40)})
    config = load_config(project)
    options = BuildOptions(project=project, jobs=1, formats=("html", "pdf"))
    documents = load_stage(options, config, no_cache(), BuildResult())
    (job,) = plan_jobs(plan_stage(options, config, documents, no_cache(), BuildResult())
                       .handouts, config, options.formats)
    start_worker(project, config)
    render_job(job)  # warm
    collections: list[int] = []

    def seen(phase: str, info: dict) -> None:
        if phase == "start":
            collections.append(info["generation"])

    gc.callbacks.append(seen)
    try:
        rendered = render_job(job)
    finally:
        gc.callbacks.remove(seen)
    assert not rendered.failed and rendered.pages
    assert collections == [0] and gc.isenabled()
    gc.disable()  # a caller that paused the collector itself keeps it paused
    try:
        render_job(job)
        assert not gc.isenabled()
    finally:
        gc.enable()
