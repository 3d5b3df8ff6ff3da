"""One writer at a time in a parameter folder: an exclusive lock around every save,
restore and calibration.

The lock is ``fcntl.flock`` on a hidden file beside the folder (``.NAME.lock`` in its
parent; beside, not inside, so that a calibration writing the folder afresh holds the same
lock as a save inside it). It is held by a process (or a thread's open file) until the
block ends, and released by the operating system if the holder dies, so a crashed writer
never leaves the folder locked. A writer that cannot get the lock within ``timeout_s``
gets a :class:`FolderBusy` error saying so; nothing is written.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import ScenarioError

__all__ = ["FolderBusy", "folder_lock", "lock_path"]

#: Seconds a writer waits for the folder before giving up (a save takes well under one).
TIMEOUT_S = 20.0


class FolderBusy(ScenarioError):
    """Another writer kept the parameter folder locked for longer than the timeout."""


def lock_path(folder: str | Path) -> Path:
    """The lock file of ``folder``: ``.NAME.lock`` in its parent."""
    folder = Path(folder).resolve()
    return folder.parent / f".{folder.name}.lock"


@contextmanager
def folder_lock(folder: str | Path, timeout_s: float = TIMEOUT_S) -> Iterator[Path]:
    """Hold the exclusive lock of ``folder`` for the block.

    Parameters
    ----------
    folder : str or Path
        A parameter folder (it need not exist yet: a first calibration locks it too).
    timeout_s : float
        How long to wait for another writer, seconds.

    Yields
    ------
    Path
        The lock file.

    Raises
    ------
    FolderBusy
        The lock was not free within ``timeout_s``.
    """
    path = lock_path(folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise FolderBusy(
                        f"{Path(folder).name}: another save or calibration has held the folder "
                        f"for more than {timeout_s:g} s; nothing was written, try again"
                    ) from None
                time.sleep(0.02)
        try:
            yield path
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
