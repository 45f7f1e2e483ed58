"""Reading untrusted array files: the header is checked before anything is allocated.

[`read_npy`][pltheory.inputs.read_npy] reads a ``.npy`` file written by ``numpy.save``. It refuses pickled
objects (``allow_pickle=False``), non-numeric dtypes, an empty or truncated file, and any
header that promises more data than the file holds or than [`MAX_ARRAY_BYTES`][pltheory.inputs.MAX_ARRAY_BYTES], with
one-line [`InputFileError`][pltheory.errors.InputFileError] messages; a 192-byte file
claiming 10^10 elements is refused from its header alone.

>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as folder:
...     path = pathlib.Path(folder) / "w.npy"
...     np.save(path, np.eye(2))
...     read_npy(path).tolist()
[[1.0, 0.0], [0.0, 1.0]]
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np

from .errors import InputFileError
from .limits import MEMORY_BUDGET

#: Largest array [`read_npy`][pltheory.inputs.read_npy] loads.
MAX_ARRAY_BYTES = MEMORY_BUDGET // 4


def read_npy(path: str | os.PathLike) -> np.ndarray:
    """The array in a .npy file, after checking its header (module docstring); anything
    else raises [`InputFileError`][pltheory.errors.InputFileError].

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder) / "w.npy"
    ...     np.save(path, np.arange(3))
    ...     read_npy(path).tolist()
    [0, 1, 2]
    >>> read_npy("no-such-file.npy")
    Traceback (most recent call last):
    ...
    pltheory.errors.InputFileError: no-such-file.npy is not a file
    """
    path = Path(path)
    if not path.is_file():
        raise InputFileError(f"{path} is not a file")
    size = path.stat().st_size
    with open(path, "rb") as handle:
        try:
            version = np.lib.format.read_magic(handle)
            reader = {(1, 0): np.lib.format.read_array_header_1_0,
                      (2, 0): np.lib.format.read_array_header_2_0}.get(version)
            if reader is None:
                raise ValueError(f"unknown .npy version {version}")
            shape, _, dtype = reader(handle, max_header_size=10_000)
        except (ValueError, EOFError, OSError, SyntaxError) as exc:
            raise InputFileError(f"{path} is not a numpy .npy file (numpy.save format): {_first_line(exc)}") from None
        offset = handle.tell()
    if dtype.hasobject or dtype.kind not in "biufc":
        raise InputFileError(f"{path} holds {dtype} values; expected numbers (pickled objects are never loaded)")
    nbytes = math.prod(shape) * dtype.itemsize
    if nbytes > MAX_ARRAY_BYTES:
        raise InputFileError(f"{path} declares a {' x '.join(map(str, shape))} array of {nbytes:.3g} bytes, more "
                             f"than the limit {MAX_ARRAY_BYTES:.3g}")
    if offset + nbytes != size:
        raise InputFileError(f"{path} is truncated or padded: its header declares {nbytes} bytes of data, the file "
                             f"holds {size - offset}")
    try:
        return np.load(path, allow_pickle=False)
    except (ValueError, OSError, EOFError) as exc:
        raise InputFileError(f"{path} could not be read: {_first_line(exc)}") from None


def _first_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200]
