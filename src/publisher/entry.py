"""The `publisher` command's entry point: stop cleanly on a signal from the first moment.

Importing the command line takes a fraction of a second; a Ctrl-C or SIGTERM in that
time would otherwise print a traceback.  Until `cli.main` installs its own handlers,
a signal ends the process quietly with status 128 + N (nothing has been written yet).
"""

import os
import signal
import sys


def _stop(signum, frame) -> None:
    print(f"publisher: stopped by {signal.Signals(signum).name} before it started",
          file=sys.stderr)
    os._exit(128 + signum)


def main() -> int:
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, _stop)
    from .cli import main as run
    return run()
