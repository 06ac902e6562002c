"""CPU seconds of every process a command starts, and when each lived (Linux).

    .venv/bin/python benchmarks/process_tree.py .venv/bin/publisher build --project DIR --jobs 2

Runs the command and reads /proc every 50 ms: for each process of its tree, the last
CPU time (user + system) seen, the seconds after the start when it was first and last
seen, and its command line.  A process that lives less than 50 ms may be missed or
under-counted (the compilers WeasyPrint's library lookup ran were, at ~0.16 CPU s in
all); the build's main process, fork server and workers live for seconds.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent, CPU seconds) of a running process."""
    try:
        text = open(f"/proc/{pid}/stat").read()
    except OSError:
        return None
    fields = text[text.rfind(")") + 2:].split()
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK


def tree_cpu(root: int) -> dict[int, float]:
    """CPU seconds of ``root`` and of every running process below it, by process id."""
    by_parent: dict[int, list[tuple[int, float]]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit() and (found := _stat(int(name))) is not None:
            by_parent.setdefault(found[0], []).append((int(name), found[1]))
    own = _stat(root)
    tree, stack = ({root: own[1]} if own else {}), [root]
    while stack:
        for pid, cpu in by_parent.get(stack.pop(), []):
            tree[pid] = cpu
            stack.append(pid)
    return tree


def main(command: list[str]) -> None:
    started = time.perf_counter()
    process = subprocess.Popen(command)
    seen: dict[int, tuple[float, str, float, float]] = {}
    while process.poll() is None:
        now = time.perf_counter() - started
        for pid, cpu in tree_cpu(process.pid).items():
            try:
                line = open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ")
            except OSError:
                continue
            first = seen.get(pid, (0.0, "", now, now))[2]
            seen[pid] = (cpu, line[:90].decode(errors="replace"), first, now)
        time.sleep(0.05)
    total = 0.0
    for pid, (cpu, line, first, last) in sorted(seen.items()):
        total += cpu
        print(f"{pid:>7} {cpu:6.2f} s CPU  seen {first:5.1f}-{last:5.1f} s  {line}")
    print(f"total {total:.2f} CPU s, {time.perf_counter() - started:.2f} s wall")


if __name__ == "__main__":
    main(sys.argv[1:])
