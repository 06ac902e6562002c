"""The render time limit holds even when its alarm lands where Python swallows
exceptions: in a finalizer run by the garbage collector (as it did in WeasyPrint's
``FontConfiguration.__del__``) or a C library's callback."""

from __future__ import annotations

import dataclasses
import time
from types import SimpleNamespace

import pytest

from publisher import render_handout
from publisher.config import Config


class SlowFinalizer:
    """An object whose finalizer is running when the alarm comes."""

    def __del__(self) -> None:
        time.sleep(0.4)


def slow_render(job):
    SlowFinalizer()  # dropped at once: its __del__ runs, and the alarm lands in it
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:  # then plain Python work, long past the limit
        sum(range(1000))
    return "rendered in full"


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # the lost one
def test_an_alarm_swallowed_by_a_finalizer_still_stops_the_handout(
        monkeypatch: pytest.MonkeyPatch) -> None:
    config = Config()
    config = dataclasses.replace(config, limits=dataclasses.replace(config.limits,
                                                                    render_seconds=0.2))
    monkeypatch.setitem(render_handout._worker, "config", config)
    monkeypatch.setattr(render_handout, "_render", slow_render)
    job = SimpleNamespace(handout=SimpleNamespace(locale="en",
                                                  document=SimpleNamespace(path="x.md")),
                          formats=("pdf",))
    started = time.monotonic()
    result = render_handout.render_job(job)
    assert result != "rendered in full" and result.failed
    assert "took longer than 0.2 s" in result.problems[0].message
    assert time.monotonic() - started < 2
