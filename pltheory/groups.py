"""Finite groups given by permutation generators.

Conventions
-----------
A group G acts faithfully on its *domain* {0, ..., d-1}. An element is a permutation
stored as an integer array ``g`` with ``g[x] = g.x``. Products compose right to left,
``(g h).x = g.(h.x)``, so ``G.multiply(g, h) == g[h]``.

Order, membership and stabilisers come from sympy's Schreier-Sims implementation and
need only the generators. Operations that need every element (conjugacy classes, normal
subgroups, the regular G-set) enumerate the group once, breadth first from the identity,
and cache the result; above ``max_elements`` they raise :class:`GroupTooLargeError`.

Examples
--------
>>> G = group("C4xC4")
>>> G.order, G.degree, G.is_abelian()
(16, 8, True)
>>> len(symmetric(4).conjugacy_classes())
5
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from sympy.combinatorics import Permutation, PermutationGroup

from .errors import (
    ArgumentError,
    GroupSpecError,
    GroupTooLargeError,
    InvalidPermutationError,
    NotAnElementError,
    PLTheoryError,
)
from .limits import check_memory
from .orbits import orbit_labels
from .schreier import generators_commute, group_contains, group_order, permutation_order, sympy_group
from .validate import check_instance, check_integer

#: Default largest order for which a group's elements are listed.
MAX_ELEMENTS = 100_000

#: Largest domain a group built from a specification may act on.
MAX_DEGREE = 1_000_000

#: Largest n for S_n and A_n (their order n! is computed exactly).
MAX_SYMMETRIC_DEGREE = 100_000

#: Largest number of generator entries (generators x degree) a specification may build.
MAX_GENERATOR_ENTRIES = 50_000_000

PermutationLike = Sequence[int] | np.ndarray | Permutation


def check_group(G: object, name: str = "G") -> FiniteGroup:
    """``G`` if it is a :class:`FiniteGroup`, else :class:`ArgumentError` (say, a spec
    string where a group object is expected: use ``pltheory.group(spec)``)."""
    return check_instance(G, name, FiniteGroup, "a group (pltheory.FiniteGroup; build one with pltheory.group)")


def as_permutation(perm: PermutationLike, degree: int | None = None) -> np.ndarray:
    """Return ``perm`` as a read-only int64 array after checking it is a permutation.

    >>> as_permutation([2, 0, 1]).tolist()
    [2, 0, 1]
    """
    if isinstance(perm, Permutation):
        perm = perm.array_form + list(range(perm.size, degree or perm.size))
    try:
        arr = np.array(perm)
    except (TypeError, ValueError) as exc:
        raise InvalidPermutationError(f"not a permutation: {perm!r}") from exc
    if arr.ndim != 1 or arr.size == 0 or not np.issubdtype(arr.dtype, np.integer):
        raise InvalidPermutationError(
            f"a permutation is a non-empty list of integers, got {_short(perm)}"
        )
    arr = arr.astype(np.int64)
    if degree is not None and arr.size != degree:
        raise InvalidPermutationError(
            f"permutation {_short(perm)} has degree {arr.size}, expected {degree}"
        )
    if not np.array_equal(np.sort(arr), np.arange(arr.size)):
        raise InvalidPermutationError(
            f"{_short(perm)} is not a permutation of 0..{arr.size - 1}"
        )
    arr.flags.writeable = False
    return arr


def _short(obj: object, limit: int = 60) -> str:
    text = repr(obj.tolist() if isinstance(obj, np.ndarray) else obj)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def cycle_notation(perm: np.ndarray) -> str:
    """Write a permutation in cycle notation on 0-based points, fixed points omitted.

    >>> cycle_notation(np.array([1, 2, 0, 3]))
    '(0 1 2)'
    >>> cycle_notation(np.array([0, 1]))
    '()'
    """
    perm = as_permutation(perm)
    seen = np.zeros(len(perm), dtype=bool)
    cycles = []
    for start in range(len(perm)):
        if seen[start] or perm[start] == start:
            continue
        cycle, x = [], start
        while not seen[x]:
            seen[x] = True
            cycle.append(str(int(x)))
            x = perm[x]
        cycles.append("(" + " ".join(cycle) + ")")
    return "".join(cycles) or "()"


def parse_natural(text: str, what: str, maximum: int,
                  error: type[PLTheoryError] = InvalidPermutationError) -> int:
    """A non-negative decimal integer of at most ``maximum``, read without ever converting
    a longer string (Python refuses integers of more than 4,300 digits with a traceback).

    >>> parse_natural("12", "n", 100)
    12
    """
    text = text.strip()
    if not text.isascii() or not text.isdigit():
        raise error(f"{what} must be a non-negative integer, got {text[:40]!r}")
    if len(text.lstrip("0")) > len(str(maximum)) or int(text) > maximum:
        raise error(f"{what} exceeds the limit of {maximum} (got {text[:20]}{'...' if len(text) > 20 else ''})")
    return int(text)


def parse_cycles(text: str, degree: int) -> np.ndarray:
    """Parse cycle notation on 0-based points, e.g. ``"(0 1 2)(3 4)"`` or ``"(0,1)"``.

    A product of cycles is read right to left, like every product in this library:
    ``"(0 1)(1 2)"`` is (0 1) o (1 2), which applies (1 2) first.

    >>> parse_cycles("(0 2)", 3).tolist()
    [2, 1, 0]
    >>> parse_cycles("(0 1)(1 2)", 3).tolist()
    [1, 2, 0]
    """
    if not isinstance(text, str):
        raise InvalidPermutationError(f"cycles are written as a string such as '(0 1 2)', got {_short(text)}")
    degree = check_integer(degree, "degree", 1, MAX_DEGREE)
    text = text.strip()
    if not re.fullmatch(r"(\(\s*[0-9]+(?:[\s,]+[0-9]+)*\s*\)|\(\s*\))+", text):
        raise InvalidPermutationError(
            f"cannot read {text!r} as cycles on 0-based points, e.g. '(0 1 2)(3 4)'"
        )
    perm = np.arange(degree)
    for body in re.findall(r"\(([^)]*)\)", text):
        points = [parse_natural(p, "a point", degree - 1) for p in re.split(r"[\s,]+", body.strip()) if p]
        if len(set(points)) != len(points) or any(p >= degree for p in points):
            raise InvalidPermutationError(
                f"cycle ({body}) repeats a point or leaves the domain 0..{degree - 1}"
            )
        cycle = np.arange(degree)
        cycle[points] = np.roll(points, -1)
        perm = perm[cycle]  # perm o cycle: the rightmost cycle acts first
    return as_permutation(perm)


@dataclass(frozen=True)
class ConjugacyClass:
    """A conjugacy class: its representative, size, element order and members.

    ``elements`` are indices into :meth:`FiniteGroup.elements`.
    """

    representative: np.ndarray
    size: int
    element_order: int
    elements: np.ndarray

    def __repr__(self) -> str:
        return (
            f"ConjugacyClass({cycle_notation(self.representative)}, size={self.size}, "
            f"order={self.element_order})"
        )


@dataclass(frozen=True)
class _Enumeration:
    """All elements listed breadth first from the identity, with the search tree.

    ``elements[i] = generators[gen[i]] o elements[parent[i]]`` for i > 0, and
    ``left[s][i]`` is the index of ``generators[s] o elements[i]``.
    """

    elements: np.ndarray
    parent: np.ndarray
    gen: np.ndarray
    depth: np.ndarray
    left: np.ndarray
    index: dict[bytes, int]


class FiniteGroup:
    """A finite group generated by permutations of {0, ..., degree-1}.

    Parameters
    ----------
    generators:
        Permutations of one degree (arrays, lists or sympy ``Permutation``).
        An empty list needs ``degree`` and gives the trivial group.
    name:
        Name used in reprs and reports, e.g. ``"C4xC4"``.
    order:
        The order, if known; it is checked against Schreier-Sims (a wrong order raises
        :class:`InvalidPermutationError`). The library's constructors, which know their
        orders in closed form, skip the check.

    Notes
    -----
    The attributes ``factors`` (the factor groups of :func:`direct_product`, factor i on
    its own block of the domain) and ``family`` (``("C", n)``, ``("D", n)``, ``("S", n)``,
    ``("A", n)`` from :func:`cyclic`, :func:`dihedral`, :func:`symmetric`,
    :func:`alternating`, promising the generators listed there, which the closed forms
    rely on) are set only by those constructors; a group from other generators has
    neither.

    Examples
    --------
    >>> G = from_generators([[1, 2, 0]])
    >>> G.order
    3
    """

    def __init__(
        self,
        generators: Iterable[PermutationLike],
        *,
        degree: int | None = None,
        name: str | None = None,
        order: int | None = None,
        _factors: Sequence[FiniteGroup] = (),
        _family: tuple[str, int] | None = None,
        _trusted_order: int | None = None,
    ) -> None:
        if isinstance(generators, (str, bytes)):
            raise InvalidPermutationError(f"generators must be a list of permutations, got {_short(generators)}; "
                                          f"use pltheory.group for a specification string")
        try:
            gens = list(generators)
        except TypeError:
            raise InvalidPermutationError(
                f"generators must be a list of permutations, got {_short(generators)}") from None
        if degree is not None:
            degree = check_integer(degree, "degree", 1, MAX_DEGREE)
        if name is not None and not isinstance(name, str):
            raise InvalidPermutationError(f"name must be a string, got {_short(name)}")
        if not gens:
            if degree is None:
                raise InvalidPermutationError("a group without generators needs a degree >= 1")
            gens = [np.arange(degree)]
        sizes = [g.size if isinstance(g, Permutation) else len(g) if hasattr(g, "__len__") else None
                 for g in gens]
        if None in sizes:
            raise InvalidPermutationError(f"generators must be permutations, got {gens!r}"[:200])
        if degree is None:
            degree = max(sizes) if isinstance(gens[0], Permutation) else sizes[0]
        elif any(isinstance(g, Permutation) and g.size > degree for g in gens):
            raise InvalidPermutationError(f"a generator moves points beyond degree {degree}")
        arrays = [as_permutation(g, degree) for g in gens]
        self.generators: tuple[np.ndarray, ...] = tuple(arrays)
        self.degree: int = int(degree)
        self.name: str = name or f"<{', '.join(cycle_notation(g) for g in arrays)}>"
        self.factors: tuple[FiniteGroup, ...] = tuple(_factors)
        self.family: tuple[str, int] | None = _family
        #: Largest order for which operations may list all elements.
        self.max_elements: int = MAX_ELEMENTS
        if _trusted_order is not None:
            self.__dict__["order"] = int(_trusted_order)
        elif order is not None:
            if not isinstance(order, (int, np.integer)) or isinstance(order, bool) or order < 1:
                raise InvalidPermutationError(f"order must be a positive integer, got {order!r}")
            if int(order) != self.order:
                raise InvalidPermutationError(f"the generators generate a group of order {self.order}, not {order}")

    # ----------------------------------------------------------------- basic data
    @property
    def num_generators(self) -> int:
        return len(self.generators)

    @cached_property
    def sympy(self) -> PermutationGroup:
        """The same group as a ``sympy.combinatorics.PermutationGroup`` (its algorithms are
        offered up to :data:`~pltheory.schreier.SIMS_MAX_DEGREE` points)."""
        return sympy_group(np.array(self.generators), self.name)

    @cached_property
    def order(self) -> int:
        """|G|: in closed form for the library's families, else from the generators by
        :func:`pltheory.schreier.group_order` (direct factors on disjoint points, cyclic,
        abelian transitive and symmetric/alternating groups recognised; Schreier-Sims for
        the rest)."""
        return group_order(np.array(self.generators), self.name)

    def __len__(self) -> int:
        return self.order

    @property
    def identity(self) -> np.ndarray:
        ident = np.arange(self.degree)
        ident.flags.writeable = False
        return ident

    def __repr__(self) -> str:
        order = self.__dict__.get("order")
        order_text = f"order={format_order(order)}, " if order is not None else ""
        return (
            f"FiniteGroup({self.name!r}, {order_text}degree={self.degree}, "
            f"generators={self.num_generators})"
        )

    def __eq__(self, other: object) -> bool:
        """Groups are equal when they have the same degree and the same generators."""
        if not isinstance(other, FiniteGroup):
            return NotImplemented
        return self.degree == other.degree and len(self.generators) == len(
            other.generators
        ) and all(np.array_equal(a, b) for a, b in zip(self.generators, other.generators))

    def __hash__(self) -> int:
        return self._hash

    @cached_property
    def _hash(self) -> int:
        return hash((self.degree, b"".join(g.tobytes() for g in self.generators)))

    # --------------------------------------------------------------- arithmetic
    def multiply(self, g: PermutationLike, h: PermutationLike) -> np.ndarray:
        """The product g h (apply h first): ``(g h)[x] = g[h[x]]``."""
        g, h = as_permutation(g, self.degree), as_permutation(h, self.degree)
        return as_permutation(g[h])

    def inverse(self, g: PermutationLike) -> np.ndarray:
        """The inverse permutation g^-1."""
        return as_permutation(np.argsort(as_permutation(g, self.degree)))

    def contains(self, g: PermutationLike) -> bool:
        """Whether the permutation g lies in G (:func:`pltheory.schreier.group_contains`)."""
        g = as_permutation(g, self.degree)
        return group_contains(np.array(self.generators), g, self.name)

    def is_abelian(self) -> bool:
        """Whether all generators commute (then all elements do).

        A direct product is abelian iff its factors are. Otherwise only generators whose
        supports (moved points) overlap are compared, on the union of their supports:
        generators moving disjoint points commute. Raises :class:`TooLargeError` when
        those comparisons would exceed :data:`~pltheory.schreier.COMMUTE_WORK`.
        """
        if self.factors:
            return all(F.is_abelian() for F in self.factors)
        return generators_commute(np.array(self.generators), self.name)

    def subgroup(self, elements: Iterable[PermutationLike], name: str | None = None) -> FiniteGroup:
        """The subgroup generated by ``elements``, which must lie in G.

        >>> symmetric(4).subgroup([[1, 0, 2, 3]]).order
        2
        """
        gens = [as_permutation(g, self.degree) for g in elements]
        for g in gens:
            if not self.contains(g):
                raise NotAnElementError(f"{cycle_notation(g)} is not an element of {self.name}")
        return FiniteGroup(gens, degree=self.degree, name=name)

    def subgroup_from_indices(self, indices: Iterable[int], name: str | None = None) -> FiniteGroup:
        """The subgroup generated by the elements at ``indices`` of :meth:`elements`,
        with a small generating set (at most log2 of its order elements)."""
        gens, mask = self._generate(self._element_indices(indices))
        el = self.elements()
        return FiniteGroup([el[i] for i in gens], degree=self.degree, _trusted_order=int(mask.sum()), name=name)

    def irreps(self, seed: int = 0) -> list:
        """The real irreducible representations (see :func:`pltheory.irreps.irreps`)."""
        from .irreps import irreps  # noqa: PLC0415 - irreps builds on this module

        return irreps(self, seed=seed)

    def stabilizer(self, point: int) -> FiniteGroup:
        """The stabiliser of a point of the domain, by Schreier-Sims (sympy)."""
        point = check_integer(point, "point", 0, self.degree - 1)
        stab = self.sympy.stabilizer(point)
        return FiniteGroup(
            [g.array_form for g in stab.generators],
            degree=self.degree,
            name=f"Stab_{self.name}({point})",
            _trusted_order=stab.order(),
        )

    # -------------------------------------------------------------- enumeration
    def _require_enumerable(self, max_elements: int | None) -> None:
        limit = self.max_elements if max_elements is None else max_elements
        instead = ("operations that need only generators still work (order, orbits, equivariant_basis, project, "
                   "G-sets other than regular/cosets/conjugation)")
        if self.order > limit:
            raise GroupTooLargeError(
                f"{self.name} has {format_order(self.order)} elements, more than the limit {limit} for listing "
                f"them; {instead}, or raise the limit (G.max_elements, --max-elements)"
            )
        check_memory(enumeration_bytes(self.order, self.degree, self.num_generators),
                     f"listing the {format_order(self.order)} elements of {self.name} (each a permutation of "
                     f"{self.degree} points)", instead, error=GroupTooLargeError)

    def _enumeration(self, max_elements: int | None = None) -> _Enumeration:
        cached = self.__dict__.get("_enumerated")
        if cached is not None:
            return cached
        self._require_enumerable(max_elements)
        n, d, k = self.order, self.degree, self.num_generators
        elements = np.empty((n, d), dtype=np.int64)
        parent = np.full(n, -1, dtype=np.int64)
        gen = np.full(n, -1, dtype=np.int64)
        depth = np.zeros(n, dtype=np.int64)
        left = np.empty((k, n), dtype=np.int64)
        elements[0] = np.arange(d)
        index = {elements[0].tobytes(): 0}
        size, frontier, level = 1, [0], 0
        while frontier:
            level += 1
            nxt = []
            block = elements[frontier]
            for s, perm in enumerate(self.generators):
                images = perm[block]
                for i, row in zip(frontier, images):
                    key = row.tobytes()
                    j = index.get(key)
                    if j is None:
                        j = index[key] = size
                        elements[j], parent[j], gen[j], depth[j] = row, i, s, level
                        nxt.append(j)
                        size += 1
                    left[s, i] = j
            frontier = nxt
        if size != n:  # pragma: no cover - would mean sympy's order is wrong
            raise RuntimeError(f"enumerated {size} elements, expected {n}")
        elements.flags.writeable = False
        result = _Enumeration(elements, parent, gen, depth, left, index)
        self.__dict__["_enumerated"] = result
        return result

    def elements(self, max_elements: int | None = None) -> np.ndarray:
        """All elements as an (order, degree) array, identity first, breadth first.

        Raises :class:`GroupTooLargeError` above ``max_elements`` (default: the
        group's ``max_elements`` attribute, initially :data:`MAX_ELEMENTS`).
        """
        if max_elements is not None:
            max_elements = check_integer(max_elements, "max_elements", 1)
        return self._enumeration(max_elements).elements

    def _element_indices(self, indices: object) -> np.ndarray:
        """Indices into :meth:`elements` (integers in 0..order-1), else ArgumentError."""
        arr = np.asarray(indices) if not isinstance(indices, (str, bytes)) else np.array(None)
        if arr.ndim > 1 or (arr.size and not np.issubdtype(arr.dtype, np.integer)):
            raise ArgumentError(f"element indices must be integers, got {_short(indices)}")
        arr = arr.astype(np.int64).ravel()
        if arr.size and (arr.min() < 0 or arr.max() >= self.order):
            raise ArgumentError(f"element indices must lie in 0..{self.order - 1}, got {_short(indices)}")
        return arr

    def index(self, g: PermutationLike) -> int:
        """Position of g in :meth:`elements`."""
        g = as_permutation(g, self.degree)
        j = self._enumeration().index.get(g.tobytes())
        if j is None:
            raise NotAnElementError(f"{cycle_notation(g)} is not an element of {self.name}")
        return j

    def indices(self, rows: np.ndarray) -> np.ndarray:
        """Positions in :meth:`elements` of the rows of an (m, degree) array of elements."""
        index = self._enumeration().index
        rows = np.asarray(rows) if not isinstance(rows, (str, bytes)) else np.array(None)
        if rows.ndim != 2 or rows.shape[1] != self.degree or not np.issubdtype(rows.dtype, np.integer):
            raise ArgumentError(f"rows of elements must be an integer array of shape (m, {self.degree}), "
                                f"got {_short(rows)}")
        rows = np.ascontiguousarray(rows, dtype=np.int64)
        try:
            return np.fromiter((index[r.tobytes()] for r in rows), dtype=np.int64, count=len(rows))
        except KeyError:
            bad = next(r for r in rows if r.tobytes() not in index)
            raise NotAnElementError(
                f"{cycle_notation(bad)} is not an element of {self.name}"
            ) from None

    def word(self, g: PermutationLike) -> list[int]:
        """Generator indices [s_1, ..., s_m] with g = gen[s_1] o ... o gen[s_m] (shortest)."""
        return self._word_of_index(self.index(g))

    def left_multiplication(self) -> np.ndarray:
        """(num_generators, order) array: ``[s, i]`` is the index of gen[s] o elements[i]."""
        return self._enumeration().left

    def _word_of_index(self, i: int) -> list[int]:
        en = self._enumeration()
        word = []
        while i > 0:
            word.append(int(en.gen[i]))
            i = int(en.parent[i])
        return word

    def left_multiplication_by(self, i: int) -> np.ndarray:
        """Index map j -> index of elements[i] o elements[j].

        With elements[i] = gen[s_1] o ... o gen[s_m], the map is L_{s_1} o ... o L_{s_m},
        composed from the generators' tables without any lookups.
        """
        i = check_integer(i, "i", 0, self.order - 1)
        left = self._enumeration().left
        table = np.arange(self.order)
        for s in reversed(self._word_of_index(i)):
            table = left[s][table]
        return table

    def images_on_elements(
        self, generator_images: np.ndarray, compose: Callable[[np.ndarray, np.ndarray], np.ndarray]
    ) -> np.ndarray:
        """Extend images of the generators to all elements along the search tree.

        ``generator_images[s]`` is the image of generator s (a permutation, a matrix ...);
        ``compose(a, batch)`` multiplies image a onto a stack of images (a after batch).
        Returns ``images`` with ``images[i]`` the image of ``elements()[i]`` computed
        along a shortest word. This is the homomorphism *if* one exists; check it with
        :meth:`homomorphism_failure`.
        """
        en = self._enumeration()
        generator_images = self._generator_images(generator_images, compose)
        shape = generator_images.shape[1:]
        images = np.empty((self.order, *shape), dtype=generator_images.dtype)
        images[0] = _identity_like(generator_images[0])
        for level in range(1, int(en.depth.max(initial=0)) + 1):
            at_level = en.depth == level
            for s in range(self.num_generators):
                idx = np.flatnonzero(at_level & (en.gen == s))
                if idx.size:
                    images[idx] = compose(generator_images[s], images[en.parent[idx]])
        return images

    def _generator_images(self, generator_images: object, compose: object) -> np.ndarray:
        """One image per generator as an array, and a callable compose, else ArgumentError."""
        try:
            images = np.asarray(generator_images)
        except (TypeError, ValueError):
            images = np.array(None)
        if images.ndim < 1 or images.shape[0] != self.num_generators or images.dtype == object:
            raise ArgumentError(f"expected an image for each of the {self.num_generators} generators, got "
                                f"{_short(generator_images)}")
        if not callable(compose):
            raise ArgumentError("compose must be a function composing an image with a stack of images")
        return images

    def homomorphism_failure(
        self,
        generator_images: np.ndarray,
        compose: Callable[[np.ndarray, np.ndarray], np.ndarray],
        equal: Callable[[np.ndarray, np.ndarray], np.ndarray],
    ) -> str | None:
        """Check that generator images define a homomorphism; describe a failing relation.

        The images are extended along a spanning tree of the Cayley graph; the map is a
        homomorphism iff every other Cayley edge is respected, i.e. image(s) image(g) =
        image(s g) for every generator s and element g (Schreier's lemma: these relations
        generate all relations). ``equal(a, b)`` compares stacks elementwise, returning one
        bool per stacked image.

        Returns ``None`` for a homomorphism, else a relation such as ``"g1*g0 = g0*g1"``
        that the images violate.
        """
        en = self._enumeration()
        if not callable(equal):
            raise ArgumentError("equal must be a function comparing two stacks of images")
        images = self.images_on_elements(generator_images, compose)
        for s in range(self.num_generators):
            ok = equal(images[en.left[s]], compose(generator_images[s], images))
            if not np.all(ok):
                i = int(np.flatnonzero(~np.asarray(ok))[0])
                j = int(en.left[s][i])
                lhs = _word_text([s] + self._word_of_index(i))
                rhs = _word_text(self._word_of_index(j))
                return f"{lhs} = {rhs}"
        return None

    # ------------------------------------------------------- class structure
    def conjugation(self) -> np.ndarray:
        """(num_generators, order) array: ``[s, i]`` is the index of s g_i s^-1."""
        cached = self.__dict__.get("_conjugation")
        if cached is None:
            el = self.elements()
            cached = np.array(
                [self.indices(s[el[:, np.argsort(s)]]) for s in self.generators]
            )
            self.__dict__["_conjugation"] = cached
        return cached

    def conjugacy_classes(self) -> list[ConjugacyClass]:
        """Conjugacy classes, sorted by element order, then size; identity first.

        A class is an orbit of G acting on itself by conjugation, found from the
        generators' conjugation maps like any other orbit.
        """
        cached = self.__dict__.get("_classes")
        if cached is not None:
            return cached
        labels, count = orbit_labels(self.conjugation())
        el = self.elements()
        order = np.argsort(labels, kind="stable")
        groups = np.split(order, np.cumsum(np.bincount(labels, minlength=count))[:-1])
        classes = [ConjugacyClass(el[m[0]], int(m.size), permutation_order(el[m[0]]), m) for m in groups]
        classes.sort(key=lambda cl: (cl.element_order, cl.size))
        self.__dict__["_classes"] = classes
        return classes

    def class_index(self) -> np.ndarray:
        """``index[i]``: the position in :meth:`conjugacy_classes` of the class of element i."""
        cached = self.__dict__.get("_class_index")
        if cached is None:
            cached = np.empty(self.order, dtype=np.int64)
            for j, c in enumerate(self.conjugacy_classes()):
                cached[c.elements] = j
            cached.flags.writeable = False
            self.__dict__["_class_index"] = cached
        return cached

    def _generate(self, candidates: Iterable[int], gens: Sequence[int] = ()) -> tuple[list[int], np.ndarray]:
        """Subgroup generated by ``gens`` and ``candidates`` (element indices).

        Returns a generating list (candidates already in the subgroup are dropped, so it
        has at most log2 |G| entries) and the boolean mask of the subgroup's elements.
        """
        gens = list(gens)
        mask = self._closure(gens)
        for c in candidates:
            if not mask[c]:
                gens.append(int(c))
                mask = self._closure(gens)
        return gens, mask

    def _closure(self, generator_indices: Sequence[int]) -> np.ndarray:
        """Boolean mask over elements of the subgroup H generated by the given elements.

        H is the orbit of the identity under left multiplication by the generators of H
        (the other orbits are the right cosets Hg).
        """
        if not generator_indices:
            mask = np.zeros(self.order, dtype=bool)
            mask[0] = True
            return mask
        labels, _ = orbit_labels([self.left_multiplication_by(i) for i in generator_indices])
        return labels == labels[0]

    def normal_subgroups(self) -> list[FiniteGroup]:
        """All normal subgroups, sorted by order (trivial first, G last).

        A normal subgroup is the join of the normal closures <C> of the conjugacy classes
        C it contains, so the list is the closure of {1} under joins with the <C>.
        """
        cached = self.__dict__.get("_normal")
        if cached is not None:
            return cached
        class_gens = [self._generate(cl.elements)[0] for cl in self.conjugacy_classes()[1:]]
        found: dict[bytes, list[int]] = {self._closure([]).tobytes(): []}
        todo: list[list[int]] = [[]]
        while todo:
            gens = todo.pop()
            for extra in class_gens:
                joined, mask = self._generate(extra, gens)
                key = mask.tobytes()
                if key not in found:
                    found[key] = joined
                    todo.append(joined)
        el = self.elements()
        result = []
        for key, gens in found.items():
            size = int(np.frombuffer(key, dtype=bool).sum())
            name = f"N{size}" if 1 < size < self.order else ("1" if size == 1 else self.name)
            result.append(FiniteGroup([el[i] for i in gens], degree=self.degree, _trusted_order=size, name=name))
        result.sort(key=lambda N: N.order)
        self.__dict__["_normal"] = result
        return result


def enumeration_bytes(order: int, degree: int, generators: int) -> int:
    """Memory of listing a group: the (order, degree) element table, the index of its rows
    (one bytes key of 8 * degree bytes and a dictionary entry per element), the
    multiplication table by the generators and the search tree."""
    return order * (16 * degree + 8 * generators + 200)


def _identity_like(image: np.ndarray) -> np.ndarray:
    """The identity of the same kind as ``image``: a permutation or a square matrix."""
    if image.ndim == 1:
        return np.arange(image.shape[0])
    return np.eye(image.shape[0], dtype=image.dtype)


def _word_text(word: Sequence[int]) -> str:
    return "*".join(f"g{s}" for s in word) or "e"


# ---------------------------------------------------------------- constructors
def from_generators(
    generators: Iterable[PermutationLike], *, degree: int | None = None, name: str | None = None
) -> FiniteGroup:
    """The permutation group generated by ``generators`` (arrays, lists or sympy perms).

    >>> from_generators([[1, 0, 2], [0, 2, 1]]).order
    6
    """
    return FiniteGroup(generators, degree=degree, name=name)


def cyclic(n: int) -> FiniteGroup:
    """C_n generated by the rotation x -> x + 1 mod n of {0, ..., n-1}."""
    _check_size("C", n, 1)
    return FiniteGroup([np.roll(np.arange(n), -1)], name=f"C{n}", _trusted_order=n, _family=("C", n))


def dihedral(n: int) -> FiniteGroup:
    """D_n of order 2n: symmetries of the regular n-gon, rotation x -> x+1 and reflection x -> -x (mod n).

    Needs n >= 3 (D_1 is C2 and D_2 is C2xC2, which do not act faithfully on an n-gon).
    """
    _check_size("D", n, 3)
    rotation = np.roll(np.arange(n), -1)
    reflection = (-np.arange(n)) % n
    return FiniteGroup([rotation, reflection], name=f"D{n}", _trusted_order=2 * n, _family=("D", n))


def symmetric(n: int) -> FiniteGroup:
    """S_n on {0, ..., n-1}, generated by (0 1) and (0 1 ... n-1)."""
    _check_size("S", n, 1, MAX_SYMMETRIC_DEGREE)
    gens = [] if n == 1 else [_cycle(n, [0, 1]), _cycle(n, list(range(n)))][: 1 if n == 2 else 2]
    return FiniteGroup(gens, degree=n, name=f"S{n}", _trusted_order=math.factorial(n), _family=("S", n))


def alternating(n: int) -> FiniteGroup:
    """A_n on {0, ..., n-1}, generated by (0 1 2) and (0 1 ... n-1) (n odd) or (1 ... n-1) (n even)."""
    _check_size("A", n, 1, MAX_SYMMETRIC_DEGREE)
    if n < 3:
        return FiniteGroup([], degree=n, name=f"A{n}", _trusted_order=1, _family=("A", n))
    gens = [_cycle(n, [0, 1, 2])]
    if n > 3:
        gens.append(_cycle(n, list(range(n)) if n % 2 else list(range(1, n))))
    return FiniteGroup(gens, name=f"A{n}", _trusted_order=math.factorial(n) // 2, _family=("A", n))


def direct_product(*groups: FiniteGroup) -> FiniteGroup:
    """G_1 x ... x G_m acting on the disjoint union of the domains (factor i on block i).

    >>> direct_product(cyclic(4), cyclic(4)).order
    16
    """
    if not groups:
        raise GroupSpecError("direct_product needs at least one group")
    for i, G in enumerate(groups):
        check_group(G, f"factor {i}")
    factors = [f for G in groups for f in (G.factors or (G,))]
    total = sum(G.degree for G in factors)
    gens, offset = [], 0
    for G in factors:
        for g in G.generators:
            perm = np.arange(total)
            perm[offset : offset + G.degree] = g + offset
            gens.append(perm)
        offset += G.degree
    order = math.prod(G.order for G in factors) if all("order" in G.__dict__ for G in factors) else None
    return FiniteGroup(
        gens, degree=total, name="x".join(G.name for G in factors), _trusted_order=order, _factors=factors
    )


def _cycle(n: int, points: list[int]) -> np.ndarray:
    perm = np.arange(n)
    perm[points] = np.roll(points, -1)
    return perm


def _check_size(letter: str, n: int, smallest: int, largest: int = MAX_DEGREE) -> None:
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < smallest:
        hint = " (D1 = C2, D2 = C2xC2)" if letter == "D" else ""
        raise GroupSpecError(f"{letter}n needs an integer n >= {smallest}{hint}, got {n!r}")
    if n > largest:
        raise GroupSpecError(f"{letter}{n}: n may be at most {largest}")


def _check_degree(degree: int, generators: int = 1) -> None:
    if degree > MAX_DEGREE:
        raise GroupSpecError(f"a group on {degree} points exceeds the limit of {MAX_DEGREE} points")
    if degree * generators > MAX_GENERATOR_ENTRIES:
        raise GroupSpecError(
            f"up to {generators} generators on {degree} points exceed the limit of "
            f"{MAX_GENERATOR_ENTRIES} generator entries"
        )


def json_order(n: int) -> int | str:
    """The order as a JSON integer, or as a string such as '3.32e+5735' beyond 10^30.

    >>> json_order(24), json_order(math.factorial(40))
    (24, '8.16e+47')
    """
    return n if n < 10**30 else format_order(n)


def format_order(n: int) -> str:
    """Write a possibly astronomically large integer briefly: 479001600, 3.31e+5735.

    >>> format_order(math.factorial(2000))
    '3.32e+5735'
    """
    if n < 10**30:
        return str(n)
    shift = max(n.bit_length() - 60, 0)
    log10 = math.log10(n >> shift) + shift * math.log10(2)
    exponent = int(log10)
    return f"{10 ** (log10 - exponent):.2f}e+{exponent}"


_FAMILIES: dict[str, Callable[[int], FiniteGroup]] = {
    "C": cyclic, "D": dihedral, "S": symmetric, "A": alternating,
}
_SPEC_FORMS = (
    "a product of factors Cn (cyclic), Dn (dihedral of order 2n), Sn (symmetric), "
    "An (alternating), each optionally raised to a power, joined by 'x' "
    "(e.g. C8, C4xC4, C4^2, D6, S5, A5, C2xS3), or generators in angle brackets separated "
    "by ';', as cycles on 0-based points or image lists (e.g. '<(0 1 2)(3 4);(0 1)>', '<[1,2,0]>')"
)


def group(spec: str) -> FiniteGroup:
    """Parse a group specification such as ``"C8"``, ``"C4xC4"``, ``"C4^2"``, ``"D6"``,
    ``"S5"``, ``"A5"`` or ``"C2xS3"``.

    >>> group("C4^2").name
    'C4xC4'
    >>> group("D6").order
    12
    >>> group("<(0 1 2 3);(0 2)>").order
    8
    """
    if not isinstance(spec, str) or not spec.strip():
        raise GroupSpecError(f"empty group specification; expected {_SPEC_FORMS}")
    if spec.strip().startswith("<"):
        return _group_from_generator_spec(spec.strip())
    parsed = []
    for token in re.split(r"\s*[x×*]\s*", spec.strip()):
        m = re.fullmatch(r"([CDSA])([0-9]+)(?:\^([0-9]+))?", token)
        if m is None:
            raise GroupSpecError(f"cannot parse group {spec!r} (at {token!r}); expected {_SPEC_FORMS}")
        family = m.group(1)
        n = parse_natural(m.group(2), f"n in {token[:40]!r}", MAX_DEGREE, GroupSpecError)
        power = parse_natural(m.group(3) or "1", f"the power in {token[:40]!r}", MAX_DEGREE, GroupSpecError)
        if power < 1:
            raise GroupSpecError(f"power in {token!r} must be at least 1")
        parsed.append((family, n, power))
    count = sum(power for _, _, power in parsed)
    _check_degree(sum(n * power for _, n, power in parsed), 2 * count)
    factors = [_FAMILIES[family](n) for family, n, power in parsed for _ in range(power)]
    return factors[0] if len(factors) == 1 else direct_product(*factors)


def _group_from_generator_spec(spec: str) -> FiniteGroup:
    """``<g1;g2;...>`` with each g in cycle notation or as an image list ``[1,2,0]``."""
    if not spec.endswith(">"):
        raise GroupSpecError(f"generators must be enclosed in <...>, got {spec!r}")
    texts = [t.strip() for t in spec[1:-1].split(";") if t.strip()]
    if not texts:
        raise GroupSpecError(f"no generators in {spec!r}; expected {_SPEC_FORMS}")
    lists = [t for t in texts if t.startswith("[")]
    cycles = [t for t in texts if not t.startswith("[")]
    images = []
    for t in lists:
        if not re.fullmatch(r"\[\s*[0-9]+(?:[\s,]+[0-9]+)*\s*\]", t):
            raise InvalidPermutationError(f"cannot read {t!r} as an image list such as [1,2,0]")
        images.append([parse_natural(v, "an image", MAX_DEGREE - 1, GroupSpecError) for v in re.findall(r"[0-9]+", t)])
    points = [parse_natural(v, "a point", MAX_DEGREE - 1, GroupSpecError)
              for t in cycles for v in re.findall(r"[0-9]+", t)]
    degrees = {len(img) for img in images}
    if len(degrees) > 1:
        raise InvalidPermutationError(f"image lists in {spec!r} have different degrees {sorted(degrees)}")
    degree = degrees.pop() if degrees else max(points, default=0) + 1
    _check_degree(degree, len(texts))
    if points and max(points) >= degree:
        raise InvalidPermutationError(f"cycles in {spec!r} move point {max(points)}, beyond degree {degree}")
    gens = [as_permutation(img, degree) for img in images] + [parse_cycles(t, degree) for t in cycles]
    return FiniteGroup(gens, degree=degree, name=spec)
