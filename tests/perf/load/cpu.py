"""CPU time of process trees and of the whole machine, read from Linux /proc.

A tree is a process and its live descendants, plus what the children it has
already reaped used (cutime/cstime): gunicorn's workers under its master, the
PostgreSQL backends under the postmaster, including those that ended.
"""

from __future__ import annotations

import os
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")
PROC = Path("/proc")


def _stat_fields(pid: int) -> list[str] | None:
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # The command name is in parentheses and may hold spaces: split after it.
    return text[text.rindex(")") + 2 :].split()


def _children_of() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        fields = _stat_fields(int(entry.name))
        if fields is not None:
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    return children


def tree_seconds(pids: list[int]) -> float:
    """CPU seconds (user + system) used so far by these processes' trees."""
    children = _children_of()
    total, seen, todo = 0, set(), list(pids)
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        fields = _stat_fields(pid)
        if fields is None:
            continue
        # utime, stime, cutime, cstime are fields 14-17 of stat (11-14 here).
        utime, stime, cutime, cstime = (int(v) for v in fields[11:15])
        total += utime + stime + (cutime + cstime if pid in pids else 0)
        todo.extend(children.get(pid, []))
    return total / TICKS


def machine_ticks() -> tuple[int, int]:
    """(busy, total) CPU ticks of every core since boot (the first line of /proc/stat)."""
    values = [int(v) for v in (PROC / "stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    total = sum(values[:8])  # guest time is already inside user time
    return total - idle, total


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, as uptime prints them."""
    return ", ".join(PROC.joinpath("loadavg").read_text().split()[:3])


class Meter:
    """CPU used between start() and stop(): by the server's trees, by this process
    and by the whole machine, in seconds and as a share of the cores."""

    def __init__(self, server_pids: list[int]) -> None:
        self.server_pids = server_pids
        self.began: dict | None = None
        self.figures: dict = {}

    def _now(self) -> dict:
        busy, total = machine_ticks()
        times = os.times()
        return {
            "server": tree_seconds(self.server_pids),
            "generator": times.user + times.system,
            "busy": busy,
            "total": total,
            "wall": times.elapsed,
            "load": load_average(),
        }

    def start(self) -> None:
        self.began = self._now()

    def stop(self) -> dict:
        if self.began is None:
            return {}
        end, began = self._now(), self.began
        wall = max(end["wall"] - began["wall"], 1e-9)
        cores = os.cpu_count() or 1
        machine_busy = (end["busy"] - began["busy"]) / TICKS
        server = end["server"] - began["server"]
        generator = end["generator"] - began["generator"]
        self.figures = {
            "seconds": wall,
            "cores": cores,
            "server_cpu_s": server,
            "generator_cpu_s": generator,
            "machine_busy_cpu_s": machine_busy,
            "other_cpu_s": max(0.0, machine_busy - server - generator),
            # Shares of one core (1.0 = one core all the time).
            "server_cores": server / wall,
            "generator_cores": generator / wall,
            "machine_busy_share": machine_busy / (wall * cores),
            "load_at_start": began["load"],
            "load_at_end": end["load"],
        }
        return self.figures
