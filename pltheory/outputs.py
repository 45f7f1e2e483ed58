"""Writing outputs: never over a user's file without ``force``, parents created as
``mkdir -p`` would, always atomically, with ordinary permissions.

Every single file the library, the command line and the analysis scripts write goes
through [`write_file`][pltheory.outputs.write_file]: the content is written to a temporary file beside the target,
which is then renamed over it (``os.replace``, atomic on one file system), so a reader or a
crash never sees a half written file. Temporary files are made private by `tempfile.mkstemp`; before
the rename they get the permissions of the file they replace, or for a new file those the
user's umask gives (0644 for the usual umask 022). A directory of outputs (a checkpoint, a
report) is built in a [`scratch_directory`][pltheory.outputs.scratch_directory] beside its
target and moved into place by [`publish`][pltheory.outputs.publish]. This module is the
only one that renames files into place.

A target that exists, even as a dangling symbolic link, is replaced only with
``force``; a symbolic link is then replaced by the file (its target is not written
through). A missing parent directory is created; a parent that is a file, a directory
that cannot be written or a name the file system refuses raises
[`OutputError`][pltheory.errors.OutputError] with a one-line message.

Examples
--------
>>> import tempfile, pathlib
>>> folder = tempfile.TemporaryDirectory()
>>> root = pathlib.Path(folder.name)
>>> write_text(root / "new" / "dir" / "a.txt", "hello").read_text()
'hello'
>>> write_text(root / "new" / "dir" / "a.txt", "again")
Traceback (most recent call last):
...
pltheory.errors.OutputError: ... exists; pass --force to overwrite it
>>> folder.cleanup()
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import OutputError
from .validate import check_flag


def umask() -> int:
    """The process's umask: from /proc/self/status where Linux has it (reading it there
    changes nothing), else by setting and restoring it.

    >>> import os
    >>> mask = umask()
    >>> mask == os.umask(mask)
    True
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def prepare_output(path: str | os.PathLike, *, force: bool = False, directory: bool = False) -> Path:
    """Check that ``path`` may be written and create its missing parent directories.

    An existing path (a dangling symbolic link included) needs ``force``; an existing file
    where a directory is wanted, or the other way round, is refused even with ``force``.

    Parameters
    ----------
    path : str or os.PathLike
        The file or directory to be written.
    force : bool
        Whether an existing ``path`` may be replaced.
    directory : bool
        Whether ``path`` is to be a directory (then an existing directory is accepted).

    Returns
    -------
    Path
        ``path``, its parent directories created.

    Raises
    ------
    OutputError
        If ``path`` exists without ``force``, has the wrong kind, or its parent cannot be
        created or written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = prepare_output(pathlib.Path(folder) / "a" / "b.txt")
    ...     path.parent.is_dir(), path.exists()
    (True, False)
    """
    path = as_path(path)
    force = check_flag(force, "force")
    try:
        os.lstat(path)
    except FileNotFoundError:
        pass
    except OSError as exc:  # a name too long, a parent that is a file, ...
        if not isinstance(exc, NotADirectoryError):
            raise OutputError(f"cannot use {str(path)[:200]} as an output: {exc.strerror}") from None
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
    except OSError as exc:  # permission denied, a read-only or virtual file system (/proc), ...
        raise OutputError(f"cannot create the directory {path.parent}: {exc.strerror or exc}") from None
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write in {path.parent}: permission denied")
    return path


@contextmanager
def atomic_file(path: str | os.PathLike) -> Iterator[Path]:
    """A temporary file beside ``path`` (same suffix, so writers that read the format off
    the name work), renamed over ``path`` with umask permissions when the block succeeds
    and removed when it fails.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder) / "a.txt"
    ...     with atomic_file(path) as temporary:
    ...         _ = temporary.write_text("done")
    ...         path.exists()
    ...     path.read_text()
    False
    'done'
    """
    path = Path(path)
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.stem[:100]}.", suffix=path.suffix[:20], dir=path.parent)
    except OSError as exc:
        raise OutputError(f"cannot create a file in {path.parent}: {exc.strerror}") from None
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        replaced = path.stat() if path.is_file() and not path.is_symlink() else None
        os.chmod(temporary, (replaced.st_mode & 0o777) if replaced else 0o666 & ~umask())
        try:
            os.replace(temporary, path)
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {exc.strerror}") from None
    finally:
        if temporary.exists():
            temporary.unlink()


def remove_stale_scratch(parent: str | os.PathLike, prefix: str) -> list[Path]:
    """Remove the directories ``PREFIX<pid>-*`` in ``parent`` whose process is gone.

    Returns the directories removed.

    >>> import os, tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     (pathlib.Path(folder) / f".pltheory-{os.getpid()}-live").mkdir()
    ...     remove_stale_scratch(folder, ".pltheory-")
    []
    """
    removed = []
    for entry in Path(parent).glob(f"{prefix}*-*"):
        pid_text = entry.name[len(prefix):].split("-", 1)[0]
        if not (entry.is_dir() and not entry.is_symlink() and pid_text.isdigit()) or _running(int(pid_text)):
            continue
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry)
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # another user's process, or a number we cannot check: leave it
    return True


def as_path(path: object) -> Path:
    """``path`` (a str or os.PathLike naming a file) as a Path, else OutputError.

    >>> as_path("out/a.txt").name
    'a.txt'
    >>> as_path("")
    Traceback (most recent call last):
    ...
    pltheory.errors.OutputError: an output path must be a non-empty name without NUL characters, got ''
    """
    if not isinstance(path, (str, os.PathLike)) or isinstance(os.fspath(path), bytes):
        raise OutputError(f"an output path must be a string or a path, got {type(path).__name__}")
    text = os.fspath(path)
    if not text.strip() or "\0" in text:
        raise OutputError(f"an output path must be a non-empty name without NUL characters, got {text[:60]!r}")
    return Path(text)


def write_file(path: str | os.PathLike, write: Callable[[Path], object], *, force: bool = False) -> Path:
    """Write an output file atomically: ``write(temporary_path)`` fills a temporary file
    that then replaces ``path`` (see the module docstring).

    Parameters
    ----------
    path : str or os.PathLike
        The file to write; its missing parent directories are created.
    write : callable
        Called with the temporary file's path, which it fills.
    force : bool
        Whether an existing ``path`` may be replaced.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    OutputError
        If ``path`` exists without ``force`` or cannot be written ([`prepare_output`][pltheory.outputs.prepare_output]).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import numpy as np
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = write_file(pathlib.Path(folder) / "w.npy", lambda temporary: np.save(temporary, np.eye(2)))
    ...     np.load(path).tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    if not callable(write):
        raise OutputError("write must be a function that fills the temporary file it is given")
    path = prepare_output(path, force=force)
    with atomic_file(path) as temporary:
        write(temporary)
    return path


def write_text(path: str | os.PathLike, text: str, *, force: bool = False) -> Path:
    """Write a UTF-8 text file atomically (see [`write_file`][pltheory.outputs.write_file]); returns the path.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = write_text(pathlib.Path(folder) / "a.txt", "one")
    ...     path = write_text(path, "two", force=True)
    ...     path.read_text()
    'two'
    """
    if not isinstance(text, str):
        raise OutputError(f"text must be a string, got {type(text).__name__}")
    return write_file(path, lambda temporary: temporary.write_text(text, encoding="utf-8"), force=force)


@contextmanager
def scratch_directory(parent: str | os.PathLike, prefix: str = ".pltheory-") -> Iterator[Path]:
    """A new directory ``PREFIX<pid>-XXXX`` in ``parent`` with umask permissions, to be
    filled and then moved into place by the caller; removed with its contents if the block
    fails or it is still there at the end. Scratch directories of the same prefix left by
    processes that no longer run (killed mid-write) are removed first.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     with scratch_directory(folder) as scratch:
    ...         scratch.parent == pathlib.Path(folder), scratch.is_dir()
    ...     scratch.exists()
    (True, True)
    False
    """
    parent = as_path(parent)
    if not isinstance(prefix, str) or "/" in prefix or os.sep in prefix or "\0" in prefix:
        raise OutputError(f"a scratch prefix is a plain name, got {str(prefix)[:40]!r}")
    if not parent.is_dir():
        raise OutputError(f"{parent} is not a directory")
    remove_stale_scratch(parent, prefix)
    try:
        scratch = Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=parent))
    except OSError as exc:
        raise OutputError(f"cannot create a directory in {parent}: {exc.strerror or exc}") from None
    os.chmod(scratch, 0o777 & ~umask())
    try:
        yield scratch
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def publish(scratch: str | os.PathLike, directory: str | os.PathLike, *, last: Collection[str] = ()) -> list[str]:
    """Move the files of a filled scratch directory into ``directory``, each by an atomic
    rename.

    A ``directory`` that does not exist is created by renaming the scratch directory itself
    (one atomic step); otherwise the files are renamed into it one by one, those named in
    ``last`` at the end (a page after the figures it shows), replacing files of the same
    name and leaving every other file of ``directory`` alone. Both directories must be on
    one file system (a [`scratch_directory`][pltheory.outputs.scratch_directory] beside the target is).

    Parameters
    ----------
    scratch:
        The directory holding the new files (plain files only).
    directory:
        Where they go.
    last:
        Names moved after all the others.

    Returns
    -------
    list of str
        The names moved, in the order they were moved.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = tempfile.TemporaryDirectory()
    >>> root = pathlib.Path(folder.name)
    >>> with scratch_directory(root) as scratch:
    ...     _ = (scratch / "a.txt").write_text("a"), (scratch / "index.html").write_text("page")
    ...     publish(scratch, root / "out", last={"index.html"})
    ['a.txt', 'index.html']
    >>> print(sorted(p.name for p in (root / "out").iterdir()))
    ['a.txt', 'index.html']
    >>> folder.cleanup()
    """
    scratch, directory = Path(scratch), as_path(directory)
    names = sorted((p.name for p in scratch.iterdir()), key=lambda name: (name in last, name))
    try:
        if not os.path.lexists(directory):
            os.replace(scratch, directory)
            return names
        for name in names:
            os.replace(scratch / name, directory / name)
    except OSError as exc:
        raise OutputError(f"cannot move the new files into {directory}: {exc.strerror or exc}") from None
    return names
