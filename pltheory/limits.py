"""Resource limits: every request is sized before anything is allocated for it.

A computation whose main arrays would exceed `MEMORY_BUDGET` bytes is refused up front with
[`TooLargeError`][pltheory.errors.TooLargeError], whose message says how much memory the
request needs, the limit, and what to do instead. The estimates count the arrays that
dominate (an enumeration's element table, a probe's vectors, a label array), not Python's
small objects.

>>> check_memory(10**6, "a small table", "-")
>>> check_memory(10**12, "listing C1000000", "use generators")
Traceback (most recent call last):
...
pltheory.errors.TooLargeError: listing C1000000 needs about 1.0 TB of memory, more than the limit ...
"""

from __future__ import annotations

from .errors import TooLargeError

#: Bytes one request may allocate for its main arrays (2 GiB).
MEMORY_BUDGET = 2 * 1024**3

#: Bounds on training runs and on what a checkpoint record may declare: inputs and outputs
#: of a layer, shared parameters, tasks of a family and their examples, outer steps.
MAX_FEATURES = 100_000
MAX_SHARED = 10_000_000
MAX_TASKS = 200_000
MAX_EXAMPLES = 10_000
MAX_STEPS = 100_000_000

#: Most SGD steps of an MSR / MAML inner loop (``pltheory train --inner-steps``): each is
#: differentiated through by the outer step.
MAX_INNER_STEPS = 100

#: Most linear layers of an MSR / MAML model and of the ReLU networks of a synthetic task
#: family (``pltheory train --depth``): each adds a layer the inner loop adapts and the outer
#: step differentiates through.
MAX_LAYERS = 8

#: Default largest order for which a group's elements are listed
#: (``pltheory.groups.MAX_ELEMENTS``; here so that the command line's help needs no groups).
MAX_ELEMENTS = 100_000

#: Largest number of activation layers of an interaction graph (``depth``,
#: ``pltheory.interaction.MAX_DEPTH``; here so that the command line's help needs no sympy).
MAX_DEPTH = 16


def format_bytes(n: float) -> str:
    """'512 B', '3.2 MB', '6.4 GB' (decimal units).

    >>> format_bytes(512), format_bytes(3.2e6), format_bytes(2 * 1024**3)
    ('512 B', '3.2 MB', '2.1 GB')
    """
    for unit in ("B", "kB", "MB", "GB", "TB", "PB"):
        if n < 1000 or unit == "PB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    raise AssertionError  # pragma: no cover


def check_memory(nbytes: float, what: str, instead: str, *, error: type[TooLargeError] = TooLargeError) -> None:
    """Raise ``error`` if ``what`` needs more than `MEMORY_BUDGET` bytes (or an
    estimate that is not a number at all).

    >>> check_memory(8 * 1000**2, "a 1000 x 1000 matrix", "use a sparse one") is None
    True
    >>> check_memory(float("nan"), "a guess", "estimate it")
    Traceback (most recent call last):
    ...
    pltheory.errors.TooLargeError: a guess needs an unknown amount of memory, more than the limit of 2.1 GB; estimate it
    """
    if not (isinstance(nbytes, (int, float)) and nbytes <= MEMORY_BUDGET):  # NaN fails this too
        amount = f"about {format_bytes(nbytes)}" if isinstance(nbytes, (int, float)) and nbytes == nbytes \
            else "an unknown amount"
        raise error(f"{what} needs {amount} of memory, more than the limit of {format_bytes(MEMORY_BUDGET)}; {instead}")
