"""Atomic file writes: a reader sees the old file or the new one, never half of one.

Every writer of the package goes through :func:`write_bytes` (or :func:`write_text`): the
data goes to a temporary file in the target's folder (same file system, so the rename is
atomic), is flushed to disk (``fsync``) and renamed over the target with
:func:`os.replace`. On any failure, the temporary file is removed and the target is left
as it was. The file gets the permissions a plain ``open(path, "w")`` would give it (those
of the file it replaces, else the default under the process's umask), not the private
``0o600`` of a temporary file. A file another program wrote (papermill's notebook, a
calibration's staging folder) is moved into place by :func:`move_into_place`.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["move_into_place", "write_bytes", "write_text"]


def _read_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


#: The process's umask, read once at import (reading it means setting it, which is not
#: safe while threads write files).
_UMASK = _read_umask()


def _mode_for(path: Path) -> int:
    """Permissions for the new file: the replaced file's, else 0o666 under the umask."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return 0o666 & ~_UMASK


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically, creating its folder if needed.

    Parameters
    ----------
    path : str or Path
        The file to write (replaced if it exists).
    data : bytes
        Its new content.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    OSError
        The folder cannot be made or the file cannot be written; nothing is left behind
        and an existing file keeps its content.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            os.fchmod(f.fileno(), _mode_for(path))
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_text(path: str | Path, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically (see :func:`write_bytes`).

    Parameters
    ----------
    path : str or Path
        The file to write (replaced if it exists).
    text : str
        Its new content.
    encoding : str
        Text encoding (UTF-8 unless told).

    Returns
    -------
    Path
        ``path``.
    """
    return write_bytes(path, text.encode(encoding))


def move_into_place(src: str | Path, dest: str | Path) -> Path:
    """Move a finished file over ``dest`` atomically (same file system), flushed first.

    For files written by another program to a temporary name beside ``dest``.

    Parameters
    ----------
    src : str or Path
        The finished file (it is gone afterwards).
    dest : str or Path
        Where it goes (replaced if it exists).

    Returns
    -------
    Path
        ``dest``.
    """
    src, dest = Path(src), Path(dest)
    with open(src, "rb") as f:
        os.fsync(f.fileno())
    os.replace(src, dest)
    return dest
