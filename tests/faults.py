"""Faults for tests: a small disk that fills up, a disk made read-only.

A tmpfs mounted for one test (root mounts it, as CI runs; the test is skipped where
mounting is not allowed). ``fill`` takes every free byte so the next write fails with
ENOSPC; ``make_read_only`` remounts it read-only."""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

FILLER = ".filler"


def mount_tmpfs(where: Path, options: str = "size=2m") -> Iterator[Path]:
    where.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False, capture_output=True)


def fill(disk: Path) -> Path:
    """Write until the disk is full; returns the filler file (delete it to free the disk)."""
    filler = disk / FILLER
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        for size in (65536, 4096, 1):  # smaller writes take the last partial block too
            block = b"\0" * size
            while True:
                try:
                    os.write(fd, block)
                except OSError as exc:
                    assert exc.errno == errno.ENOSPC
                    break
    finally:
        os.close(fd)
    assert os.statvfs(disk).f_bavail == 0
    return filler


def make_read_only(disk: Path) -> None:
    done = subprocess.run(["mount", "-o", "remount,ro", str(disk)], capture_output=True)
    assert done.returncode == 0, done.stderr


def make_writable(disk: Path) -> None:
    done = subprocess.run(["mount", "-o", "remount,rw", str(disk)], capture_output=True)
    assert done.returncode == 0, done.stderr
