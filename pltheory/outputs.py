"""Writing outputs: never over a user's file without ``force``, parents created as
``mkdir -p`` would, always atomically, with ordinary permissions.

Every file the library or the command line writes goes through :func:`write_file`: the
content is written to a temporary file beside the target, which is then renamed over it
(``os.replace``, atomic on one file system), so a reader or a crash never sees a half
written file. Temporary files are made private by :func:`tempfile.mkstemp`; before the
rename they get the permissions a new file gets under the user's umask (0644 for the
usual umask 022). A directory of outputs (a checkpoint, a report) is built in a
:func:`scratch_directory` beside its target and moved into place.

A target that exists, even as a dangling symbolic link, is replaced only with
``force``; a missing parent directory is created; a parent that is a file, or a
directory that cannot be written, raises :class:`~pltheory.errors.OutputError` with a
one-line message.

Examples
--------
>>> import tempfile, pathlib
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> write_text(root / "new" / "dir" / "a.txt", "hello").read_text()
'hello'
>>> write_text(root / "new" / "dir" / "a.txt", "again")
Traceback (most recent call last):
...
pltheory.errors.OutputError: ... exists; pass --force to overwrite it
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import OutputError


def umask() -> int:
    """The process's umask (read by setting and restoring it)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def prepare_output(path: str | os.PathLike, *, force: bool = False, directory: bool = False) -> Path:
    """Check that ``path`` may be written and create its missing parent directories.

    An existing path (a dangling symbolic link included) needs ``force``; an existing file
    where a directory is wanted, or the other way round, is refused even with ``force``.
    """
    path = Path(path)
    if not str(path).strip():
        raise OutputError("an output path is empty")
    if os.path.lexists(path):
        if directory and not path.is_dir():
            raise OutputError(f"{path} exists and is not a directory")
        if not directory and path.is_dir():
            raise OutputError(f"{path} is a directory; give a file name")
        if not directory and not force:
            raise OutputError(f"{path} exists; pass --force to overwrite it")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise OutputError(f"cannot create the directory {path.parent}: a part of it is a file") from None
    except PermissionError:
        raise OutputError(f"cannot create the directory {path.parent}: permission denied") from None
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write in {path.parent}: permission denied")
    return path


@contextmanager
def atomic_file(path: str | os.PathLike) -> Iterator[Path]:
    """A temporary file beside ``path`` (same suffix, so writers that read the format off
    the name work), renamed over ``path`` with umask permissions when the block succeeds
    and removed when it fails."""
    path = Path(path)
    handle, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, 0o666 & ~umask())
        os.replace(temporary, path)
    finally:
        if temporary.exists():
            temporary.unlink()


def write_file(path: str | os.PathLike, write: Callable[[Path], object], *, force: bool = False) -> Path:
    """Write an output file atomically: ``write(temporary_path)`` fills a temporary file
    that then replaces ``path`` (see the module docstring). Returns the path."""
    path = prepare_output(path, force=force)
    with atomic_file(path) as temporary:
        write(temporary)
    return path


def write_text(path: str | os.PathLike, text: str, *, force: bool = False) -> Path:
    """Write a UTF-8 text file atomically (see :func:`write_file`)."""
    return write_file(path, lambda temporary: temporary.write_text(text, encoding="utf-8"), force=force)


@contextmanager
def scratch_directory(parent: str | os.PathLike, prefix: str = ".pltheory-") -> Iterator[Path]:
    """A new directory in ``parent`` with umask permissions, to be filled and then moved
    into place by the caller; removed with its contents if the block fails or it is still
    there at the end."""
    scratch = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    os.chmod(scratch, 0o777 & ~umask())
    try:
        yield scratch
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
