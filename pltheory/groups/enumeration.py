"""Listing a permutation group: breadth-first search of its Cayley graph.

The elements of G = `<s_1, ..., s_k>` are the vertices of the Cayley graph, with an edge g
-> s g for every generator s. A breadth-first search from the identity lists every element
once, with a shortest word for each (the search tree) and the table of left multiplication
by the generators. Everything that needs all elements (words, the regular action,
homomorphisms defined on generators, conjugacy classes) is built on this table. Time O(|G| d
k) and memory [`enumeration_bytes`][pltheory.groups.enumeration.enumeration_bytes] for |G|
elements of degree d and k generators.

Examples
--------
>>> import numpy as np
>>> E = enumerate_elements((np.array([1, 2, 0]),), 3)
>>> E.elements.tolist(), E.word_of_index(2)
([[0, 1, 2], [1, 2, 0], [2, 0, 1]], [0, 0])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import ArgumentError
from ..validate import shown


def enumeration_bytes(order: int, degree: int, generators: int) -> int:
    """Memory of listing a group: the (order, degree) element table, the index of its rows
    (one bytes key of 8 * degree bytes and a dictionary entry per element), the
    multiplication table by the generators and the search tree.

    >>> enumeration_bytes(6, 3, 2)
    1584
    """
    return order * (16 * degree + 8 * generators + 200)


@dataclass(frozen=True)
class Enumeration:
    """All elements of a group listed breadth first from the identity, with the search tree.

    Attributes
    ----------
    elements:
        (order, degree) read-only array; row 0 is the identity.
    parent, gen, depth:
        ``elements[i] = generators[gen[i]] o elements[parent[i]]`` for i > 0, at
        distance ``depth[i]`` from the identity.
    left:
        (num_generators, order): ``left[s][i]`` is the index of ``generators[s] o elements[i]``.
    index:
        The position of each element, keyed by its bytes.

    Examples
    --------
    >>> import numpy as np
    >>> E = enumerate_elements((np.array([1, 2, 3, 0]),), 4)
    >>> E.order, E.parent.tolist(), E.depth.tolist(), E.left.tolist()
    (4, [-1, 0, 1, 2], [0, 1, 2, 3], [[1, 2, 3, 0]])
    """

    elements: np.ndarray
    parent: np.ndarray
    gen: np.ndarray
    depth: np.ndarray
    left: np.ndarray
    index: dict[bytes, int]

    @property
    def order(self) -> int:
        """|G|, the number of elements listed."""
        return int(self.elements.shape[0])

    def word_of_index(self, i: int) -> list[int]:
        """Generator indices [s_1, ..., s_m] with elements[i] = gen[s_1] o ... o gen[s_m],
        a shortest such word. O(m).

        >>> import numpy as np
        >>> enumerate_elements((np.array([1, 0, 2]), np.array([1, 2, 0])), 6).word_of_index(5)
        [1, 1]
        """
        word = []
        while i > 0:
            word.append(int(self.gen[i]))
            i = int(self.parent[i])
        return word

    def left_multiplication_by(self, i: int) -> np.ndarray:
        """Index map j -> index of elements[i] o elements[j].

        With elements[i] = gen[s_1] o ... o gen[s_m], the map is L_{s_1} o ... o L_{s_m},
        composed from the generators' tables without any lookups: O(m |G|).

        >>> import numpy as np
        >>> enumerate_elements((np.array([1, 2, 3, 0]),), 4).left_multiplication_by(3)
        array([3, 0, 1, 2])
        """
        table = np.arange(self.order)
        for s in reversed(self.word_of_index(i)):
            table = self.left[s][table]
        return table

    def images_on_elements(self, generator_images: np.ndarray,
                           compose: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> np.ndarray:
        """Extend one image per generator to all elements along the search tree
        (``images[i]`` is the image of ``elements[i]``, composed along a shortest word).

        >>> import numpy as np
        >>> E = enumerate_elements((np.array([1, 2, 0]),), 3)
        >>> E.images_on_elements(np.array([[2, 0, 1]]), lambda a, b: a[b]).tolist()
        [[0, 1, 2], [2, 0, 1], [1, 2, 0]]
        """
        images = np.empty((self.order, *generator_images.shape[1:]), dtype=generator_images.dtype)
        images[0] = _identity_like(generator_images[0])
        for level in range(1, int(self.depth.max(initial=0)) + 1):
            at_level = self.depth == level
            for s in range(generator_images.shape[0]):
                idx = np.flatnonzero(at_level & (self.gen == s))
                if idx.size:
                    images[idx] = compose(generator_images[s], images[self.parent[idx]])
        return images

    def homomorphism_failure(self, generator_images: np.ndarray,
                             compose: Callable[[np.ndarray, np.ndarray], np.ndarray],
                             equal: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> str | None:
        """``None`` if the generator images define a homomorphism, else a relation such
        as ``"g1*g0 = g0*g1"`` that they violate.

        The images are extended along the search tree; the map is a homomorphism iff every
        other Cayley edge is respected, image(s) image(g) = image(s g) for every generator
        s and element g (Schreier's lemma: these relations generate all relations).

        >>> import numpy as np
        >>> E = enumerate_elements((np.array([1, 2, 0]),), 3)
        >>> eq = lambda a, b: np.all(a == b, axis=-1)
        >>> E.homomorphism_failure(np.array([[1, 0]]), lambda a, b: a[b], eq)   # C3 -> C2
        'g0*g0*g0 = e'
        """
        images = self.images_on_elements(generator_images, compose)
        for s in range(generator_images.shape[0]):
            ok = np.asarray(equal(images[self.left[s]], compose(generator_images[s], images)))
            if not np.all(ok):
                i = int(np.flatnonzero(~ok)[0])
                lhs = _word_text([s] + self.word_of_index(i))
                return f"{lhs} = {_word_text(self.word_of_index(int(self.left[s][i])))}"
        return None

    def positions(self, rows: np.ndarray) -> np.ndarray:
        """Positions of the rows of an (m, degree) int64 array of elements; KeyError names
        none, the caller reports the first row missing.

        >>> import numpy as np
        >>> enumerate_elements((np.array([1, 2, 0]),), 3).positions(np.array([[2, 0, 1]]))
        array([2])
        """
        return np.fromiter((self.index[r.tobytes()] for r in rows), dtype=np.int64, count=len(rows))


def enumerate_elements(generators: Sequence[np.ndarray], order: int) -> Enumeration:
    """Breadth-first search of the Cayley graph of `<generators>` from the identity
    (module docstring). ``order`` is |G|, known beforehand (Schreier-Sims or closed form).
    Time O(|G| d k) for degree d and k generators.

    >>> import numpy as np
    >>> enumerate_elements((np.array([1, 0, 2]), np.array([1, 2, 0])), 6).elements[:3].tolist()
    [[0, 1, 2], [1, 0, 2], [1, 2, 0]]
    """
    d, k = generators[0].size, len(generators)
    elements = np.empty((order, d), dtype=np.int64)
    parent = np.full(order, -1, dtype=np.int64)
    gen = np.full(order, -1, dtype=np.int64)
    depth = np.zeros(order, dtype=np.int64)
    left = np.empty((k, order), dtype=np.int64)
    elements[0] = np.arange(d)
    index = {elements[0].tobytes(): 0}
    size, frontier, level = 1, [0], 0
    while frontier:
        level += 1
        nxt = []
        block = elements[frontier]
        for s, perm in enumerate(generators):
            for i, row in zip(frontier, perm[block]):
                key = row.tobytes()
                j = index.get(key)
                if j is None:
                    j = index[key] = size
                    elements[j], parent[j], gen[j], depth[j] = row, i, s, level
                    nxt.append(j)
                    size += 1
                left[s, i] = j
        frontier = nxt
    if size != order:  # pragma: no cover - would mean the order is wrong
        raise RuntimeError(f"enumerated {size} elements, expected {order}")
    for table in (elements, parent, gen, depth, left):
        table.flags.writeable = False
    return Enumeration(elements, parent, gen, depth, left, index)


def order_up_to(generators: Sequence[np.ndarray], bound: int) -> int | None:
    """|`<generators>`| if it is at most ``bound``, else None: a breadth-first search of the
    Cayley graph stopped after bound + 1 elements. O(bound d k) time and about 4 bound d
    bytes (keys and frontier as int16), however large the group (Schreier-Sims can take minutes on a wreath product of
    degree 120).

    >>> import numpy as np
    >>> gens = (np.array([1, 0, 2]), np.array([1, 2, 0]))     # S_3
    >>> order_up_to(gens, 6), order_up_to(gens, 5)
    (6, None)
    """
    dtype = np.int16 if generators[0].size <= 2**15 else np.int32  # the keys kept: 2 bytes per point
    generators = [np.asarray(g, dtype=dtype) for g in generators]
    seen = {np.arange(generators[0].size, dtype=dtype).tobytes()}
    frontier = [np.arange(generators[0].size, dtype=dtype)]
    while frontier:
        nxt = []
        for g in frontier:
            for perm in generators:
                h = perm[g]
                key = h.tobytes()
                if key not in seen:
                    seen.add(key)
                    nxt.append(h)
                    if len(seen) > bound:
                        return None
        frontier = nxt
    return len(seen)


def checked_images(generator_images: object, compose: object, num_generators: int) -> np.ndarray:
    """One image per generator as an array, with a callable ``compose``, else ArgumentError.

    >>> checked_images([[1, 0]], lambda a, b: a[b], 1).shape
    (1, 2)
    """
    try:
        images = np.asarray(generator_images)
    except (TypeError, ValueError):
        images = np.array(None)
    if images.ndim < 1 or images.shape[0] != num_generators or images.dtype == object:
        raise ArgumentError(f"expected an image for each of the {num_generators} generators, got "
                            f"{shown(generator_images)}")
    if not callable(compose):
        raise ArgumentError("compose must be a function composing an image with a stack of images")
    return images


def _identity_like(image: np.ndarray) -> np.ndarray:
    """The identity of the same kind as ``image``: a permutation or a square matrix."""
    if image.ndim == 1:
        return np.arange(image.shape[0])
    return np.eye(image.shape[0], dtype=image.dtype)


def _word_text(word: Sequence[int]) -> str:
    return "*".join(f"g{s}" for s in word) or "e"
