"""One writer at a time in a parameter folder: an exclusive lock around every save,
restore and calibration.

The lock is ``fcntl.flock`` on a hidden file beside the folder (``.NAME.lock`` in its
parent; beside, not inside, so that a calibration writing the folder afresh holds the same
lock as a save inside it). It is held by a process (or a thread's open file) until the
block ends, and released by the operating system if the holder dies, so a crashed writer
never leaves the folder locked. A writer that cannot get the lock within ``timeout_s``
gets a :class:`FolderBusy` error saying so; nothing is written.

A writer that replaces several files (a calibration) stages them in a folder beside the
target (:func:`staging_folder`) and moves them in with :func:`commit_staged`: a list of the
files is written and flushed first, then each file is moved over its old one. A writer
killed part-way leaves its staging folder; the next holder of the lock finishes the moves
if the list was written (roll forward) or deletes the staging folder if it was not (roll
back: nothing had been moved), so the folder is never left half old, half new.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .atomic import move_into_place
from .errors import ScenarioError

__all__ = ["FolderBusy", "commit_staged", "folder_lock", "lock_path", "staging_folder"]

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
            finish_interrupted(folder)
            yield path
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


#: The list of files a staging folder moves in, written when staging is complete.
COMMIT_LIST = ".commit.json"


def _staging_prefix(folder: Path) -> str:
    return f".staged-{folder.name}-"


def staging_folder(folder: str | Path) -> Path:
    """A new, empty staging folder beside ``folder`` (same file system, so moves are
    atomic renames), to be filled and then passed to :func:`commit_staged`."""
    folder = Path(folder).resolve()
    folder.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=_staging_prefix(folder), dir=folder.parent))


def commit_staged(staged: Path, folder: str | Path, files: list[Path]) -> None:
    """Move ``files`` (paths inside ``staged``) to the same places in ``folder``, then
    delete ``staged``. Call it holding :func:`folder_lock`. The list is written and flushed
    before the first move, so a writer killed part-way is finished by the next holder of
    the lock."""
    rel = [str(Path(f).relative_to(staged)) for f in files]
    listing = staged / COMMIT_LIST
    with open(listing, "w", encoding="utf-8") as fh:
        json.dump({"folder": str(Path(folder).resolve()), "files": rel}, fh)
        fh.flush()
        os.fsync(fh.fileno())
    _apply(staged, Path(folder).resolve())


def _apply(staged: Path, folder: Path) -> None:
    listing = json.loads((staged / COMMIT_LIST).read_text(encoding="utf-8"))
    for rel in listing["files"]:
        src = staged / rel
        if src.exists():  # moved already by the writer that was killed
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            move_into_place(src, folder / rel)
    shutil.rmtree(staged, ignore_errors=True)


def finish_interrupted(folder: str | Path) -> list[str]:
    """Finish or undo what a killed writer of ``folder`` left (call it holding the lock):
    staging folders with their list written are moved in, those without are deleted.
    Returns what was done, one line a staging folder."""
    folder = Path(folder).resolve()
    done = []
    if not folder.parent.is_dir():
        return done
    for staged in sorted(folder.parent.glob(_staging_prefix(folder) + "*")):
        if (staged / COMMIT_LIST).is_file():
            _apply(staged, folder)
            done.append(f"{staged.name}: finished moving in")
        else:
            shutil.rmtree(staged, ignore_errors=True)
            done.append(f"{staged.name}: incomplete, deleted")
    return done
