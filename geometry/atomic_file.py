"""Atomic file replacement, the one way the project writes a file a user may rely on.

Every writer (site files, meshes, plans, images, results) writes to a temporary file in the target's
folder, flushes it to disk and renames it over the target in one step (``os.replace``). A failure at
any point leaves the previous file as it was and no temporary file behind. The new file keeps the
permissions of the file it replaces, or gets ``0o644`` when it is new (``mkstemp`` would leave
``0o600``); the process umask is not read, since reading it means changing it, which is not safe
in a threaded server.

This module sits in the lowest layer so that every layer above can use it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["NEW_FILE_MODE", "replacing", "write_bytes_atomic", "write_text_atomic"]

#: Permissions of a newly created file: owner read/write, everyone else read.
NEW_FILE_MODE = 0o644


@contextmanager
def replacing(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success, move it over ``path`` atomically.

    Parameters
    ----------
    path : str or os.PathLike
        The file to create or replace; its folder is created if missing.

    Yields
    ------
    pathlib.Path
        An empty temporary file with the same suffix as ``path``, for the caller to write.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "note.txt"
    >>> with replacing(target) as tmp:
    ...     _ = tmp.write_text("hello")
    >>> target.read_text()
    'hello'
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=target.suffix, dir=target.parent
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        try:
            mode = target.stat().st_mode & 0o777
        except FileNotFoundError:
            mode = NEW_FILE_MODE
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically; return the path."""
    with replacing(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def write_text_atomic(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` as UTF-8 with Unix line ends to ``path`` atomically; return the path."""
    with replacing(path) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    return Path(path)
