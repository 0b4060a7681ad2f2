"""A tiny filesystem for disk-full drills: a tmpfs mounted on a folder (needs
root, as in CI; the drill is skipped with the reason elsewhere)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def tiny_filesystem(folder: Path, size: str = "64k") -> Iterator[Path]:
    folder.mkdir(exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small filesystem here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False, timeout=30)


def grow(folder: Path, size: str = "16m") -> None:
    subprocess.run(
        ["mount", "-o", f"remount,size={size}", str(folder)], check=True, timeout=30
    )
