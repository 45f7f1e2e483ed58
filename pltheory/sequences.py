"""Sequences whose items are built on first access.

A group of order 10^6 has 500,001 real irreducibles and Fun(C_10^6) as many isotypic
components. Their numbers (frequencies, dimensions, multiplicities) are arrays computed in
one vectorised pass; the Python objects that present one of them (an
[`Irrep`][pltheory.irreducibles.irrep.Irrep], an isotypic component) cost microseconds each
and are made only for the items a caller looks at.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Generic, TypeVar, overload

T = TypeVar("T")


class LazySequence(Sequence[T], Generic[T]):
    """An immutable sequence of ``length`` items, item i being ``build(i)``, made on first
    access and kept (one object per index, so ``S[i] is S[i]``). Items with keys can be
    looked up by key without building the others, given ``position(key)`` (the index of
    the item with that key, or None).

    Indexing is O(1) after the first build of an item; iterating builds every item.

    Examples
    --------
    >>> from pltheory.sequences import LazySequence
    >>> squares = LazySequence(10**9, lambda i: i * i)      # nothing is built yet
    >>> len(squares), squares[3], squares[-1], squares[2:5]
    (1000000000, 9, 999999998000000001, [4, 9, 16])
    >>> words = LazySequence(3, ["a", "b", "c"].__getitem__, {"a": 0, "b": 1, "c": 2}.get)
    >>> words.find("c"), words.find("z")
    ('c', None)
    """

    def __init__(self, length: int, build: Callable[[int], T],
                 position: Callable[[str], int | None] | None = None) -> None:
        self._length = int(length)
        self._build = build
        self._position = position
        self._built: dict[int, T] = {}

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._length))]
        i = index.__index__()
        if i < 0:
            i += self._length
        if not 0 <= i < self._length:
            raise IndexError(f"index {index} out of range for a sequence of {self._length}")
        item = self._built.get(i)
        if item is None:
            item = self._built[i] = self._build(i)
        return item

    def find(self, key: str) -> T | None:
        """The item with this key, or None (needs ``position``)."""
        if self._position is None:
            raise TypeError("this sequence has no key lookup (no position function)")
        i = self._position(key)
        return None if i is None else self[i]

    def __eq__(self, other: object) -> bool:
        """Equal to a sequence (lazy, tuple or list) with equal items, in order."""
        if not isinstance(other, (LazySequence, tuple, list)):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other))

    __hash__ = None  # type: ignore[assignment]  # like a list: compared by items, not hashed

    def __iter__(self) -> Iterator[T]:
        return (self[i] for i in range(self._length))

    def __repr__(self) -> str:
        shown = ", ".join(repr(self[i]) for i in range(min(3, self._length)))
        return f"{type(self).__name__}([{shown}{', ...' if self._length > 3 else ''}], length={self._length})"
