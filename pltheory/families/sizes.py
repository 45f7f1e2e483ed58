"""Size limits of the families' constructors and of group specifications."""

from __future__ import annotations

import numpy as np

from ..errors import GroupSpecError
from ..permutations import MAX_DEGREE

#: Largest n for S_n and A_n (their order n! is computed exactly).
MAX_SYMMETRIC_DEGREE = 100_000

#: Largest number of generator entries (generators x degree) a specification may build.
MAX_GENERATOR_ENTRIES = 50_000_000


def check_family_size(letter: str, n: object, smallest: int, largest: int = MAX_DEGREE) -> int:
    """``n`` as an int with smallest <= n <= largest, else [`GroupSpecError`][pltheory.errors.GroupSpecError] naming
    the family (``letter``).

    >>> check_family_size("D", 4, 3)
    4
    """
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < smallest:
        hint = " (D1 = C2, D2 = C2xC2)" if letter == "D" else ""
        raise GroupSpecError(f"{letter}n needs an integer n >= {smallest}{hint}, got {n!r}")
    if n > largest:
        raise GroupSpecError(f"{letter}{n}: n may be at most {largest}")
    return int(n)


def check_degree(degree: int, generators: int = 1) -> None:
    """Refuse a specification whose groups would act on too many points (more than
    [`MAX_DEGREE`][pltheory.permutations.MAX_DEGREE]) or need too many generator entries
    (more than [`MAX_GENERATOR_ENTRIES`][pltheory.families.sizes.MAX_GENERATOR_ENTRIES]):
    [`GroupSpecError`][pltheory.errors.GroupSpecError].

    >>> check_degree(8, 2) is None
    True
    >>> check_degree(10**7)
    Traceback (most recent call last):
    ...
    pltheory.errors.GroupSpecError: a group on 10000000 points exceeds the limit of 1000000 points
    """
    if degree > MAX_DEGREE:
        raise GroupSpecError(f"a group on {degree} points exceeds the limit of {MAX_DEGREE} points")
    if degree * generators > MAX_GENERATOR_ENTRIES:
        raise GroupSpecError(
            f"up to {generators} generators on {degree} points exceed the limit of "
            f"{MAX_GENERATOR_ENTRIES} generator entries"
        )
