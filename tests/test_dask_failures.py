"""On a Dask cluster, a handout whose task fails there (a worker it killed, a lost
connection, an error outside render_job) is that handout's failure, not the build's."""

from __future__ import annotations

from pathlib import Path

from publisher import workers
from publisher.build import BuildOptions, build

from test_incremental import project


def test_a_task_that_fails_on_the_cluster_costs_only_its_handout(tmp_path: Path,
                                                                 monkeypatch) -> None:
    from distributed import LocalCluster

    root = project(tmp_path)
    real = workers.render_on_worker

    def fails_for_other(job, project, config):
        if job.handout.slug == "other":
            raise RuntimeError("worker lost")  # as distributed raises KilledWorker
        return real(job, project, config)

    # Threads in this process, so that the workers run the function patched here.
    monkeypatch.setattr(workers, "render_on_worker", fails_for_other)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                      dashboard_address=None) as cluster:
        result = build(BuildOptions(project=root, scheduler=cluster.scheduler_address))
    assert result.rendered == 4 and result.failed == 2
    published = {(e.slug, e.locale) for e in result.manifest.handouts}
    assert published == {("care", "en"), ("care", "es")}
    messages = [str(p) for p in result.problems if p.is_error]
    assert len(messages) == 2 and all(
        "on the cluster: RuntimeError: worker lost" in m for m in messages), messages
