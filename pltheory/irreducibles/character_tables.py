"""Complex character tables: the table value, exact cyclotomic values, and the table
computed from the real irreducibles.

A type-R irreducible gives one row (chi_V), a type-H one row (chi_V / 2), a type-C one two
conjugate rows, the characters of the +i and -i eigenspaces of its complex structure J,
the one whose first non-real value has a positive imaginary part first.
The eigenvalues of rho(g) are m-th roots of unity for g of order m, so rounding them to
zeta_m^k (within `ROOT_TOL`) and adding in sympy is exact. Groups given by generators get
their tables from the class algebra instead, without irreducibles
([`burnside_dixon`][pltheory.irreducibles.burnside_dixon]).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np
import sympy

from .. import young
from ..errors import NumericalError
from ..groups import ConjugacyClass, FiniteGroup, check_group
from ..permutations import cycle_notation, cycle_type
from ..tolerances import CHARACTER_TOL, ROOT_TOL
from .irrep import Irrep


def _complex_structure(V: Irrep) -> np.ndarray:
    """J in End_G(V) with J^2 = -I for a type-C irrep."""
    return math.sqrt(V.dim) * V.endomorphism_basis[1]


def _root_of_unity_sums(eigenvalues: np.ndarray, orders: np.ndarray) -> list[sympy.Expr]:
    """sum_j zeta_m^{k_j} for each row of eigenvalues e^{2 pi i k_j / m} of a matrix of
    order m (the matching entry of ``orders``)."""
    m = np.asarray(orders)[:, None]
    exponents = np.round(np.angle(eigenvalues) * m / (2 * math.pi)).astype(int) % m
    roots = np.exp(2j * math.pi * exponents / m)
    if np.abs(roots - eigenvalues).max(initial=0.0) > ROOT_TOL:
        raise NumericalError("eigenvalues are not roots of unity of the element's order")
    return [_exact_root_sum(int(mi), tuple(sorted(row))) for mi, row in zip(orders, exponents.tolist())]


@dataclass(frozen=True)
class CyclotomicValues:
    """Exact character values sum_t c_t zeta_m^(e_t), kept as integer arrays: ``exponents``
    and ``coefficients`` have shape (rows, classes, terms). Families whose characters are
    sums of a few roots of unity (C_n and products: one root; D_n: zeta^a + zeta^-a) build
    tables this way in O(rows x classes), the class algebra with m the exponent of G and
    the eigenvalue multiplicities of rho(g) as coefficients; values become sympy
    expressions only when asked for.

    Examples
    --------
    >>> import numpy as np
    >>> v = CyclotomicValues(4, np.array([[[0], [1]]]), np.array([[[1], [1]]]))
    >>> v.numeric().round(6).tolist(), v.exact(0, 1)
    ([[(1+0j), 1j]], I)
    """

    order: int
    exponents: np.ndarray
    coefficients: np.ndarray

    def numeric(self) -> np.ndarray:
        """The values as a complex array (rows x classes)."""
        roots = np.exp(2j * np.pi * (self.exponents % self.order) / self.order)
        return (self.coefficients * roots).sum(axis=-1)

    def exact(self, i: int, j: int) -> sympy.Expr:
        """Value (i, j) as a simplified sympy expression (memoised per distinct sum)."""
        return _cyclotomic_sum(self.order, *self._terms(i, j))

    def text(self, i: int, j: int) -> str:
        """Value (i, j) as text, e.g. '-1/2 + sqrt(5)/2' (memoised per distinct sum: a table
        of C_n has n distinct values among its n^2)."""
        return _cyclotomic_text(self.order, *self._terms(i, j))

    def _terms(self, i: int, j: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """The exponents (mod the order) of the positive and of the negative terms."""
        positive, negative = [], []
        for e, c in zip(self.exponents[i, j].tolist(), self.coefficients[i, j].tolist()):
            (positive if c > 0 else negative).extend([e % self.order] * abs(c))
        return tuple(sorted(positive)), tuple(sorted(negative))

    def matrix(self) -> sympy.Matrix:
        rows, cols = self.exponents.shape[:2]
        return sympy.Matrix(rows, cols, lambda i, j: self.exact(i, j))


@lru_cache(maxsize=65536)
def _cyclotomic_sum(m: int, positive: tuple[int, ...], negative: tuple[int, ...]) -> sympy.Expr:
    return _exact_root_sum(m, positive) - _exact_root_sum(m, negative)


@lru_cache(maxsize=65536)
def _cyclotomic_text(m: int, positive: tuple[int, ...], negative: tuple[int, ...]) -> str:
    return str(_cyclotomic_sum(m, positive, negative))


@lru_cache(maxsize=4096)
def _exact_root_sum(m: int, exponents: tuple[int, ...]) -> sympy.Expr:
    """sum_k zeta_m^k over the exponents, simplified (memoised: tables repeat values); a
    repeated exponent is one term times its count (a degree d is d copies of zeta^0)."""
    total = sum(count * sympy.exp(2 * sympy.pi * sympy.I * sympy.Rational(k, m))
                for k, count in Counter(exponents).items())
    return sympy.nsimplify(sympy.expand_complex(total)) if total != 0 else sympy.Integer(0)


@dataclass(frozen=True)
class CharacterTable:
    """The complex character table of G: one row per complex irreducible, one column
    per conjugacy class; values exact (sympy) and numeric.

    Attributes
    ----------
    classes:
        The conjugacy classes (columns): ``G.conjugacy_classes()`` for tables computed from
        the irreducibles or the class algebra; tables by formula list their classes in
        their own order (element order, then size), each with its representative, and
        carry their indicators.
    keys:
        Row keys: a real irreducible's key, with ``*`` for the conjugate of a type-C
        one (for cyclic groups the frequency -k instead); for groups without formulas the
        row keyed like V is the one whose first non-real value has a positive imaginary
        part ([`is_first_conjugate`][pltheory.irreducibles.character_tables.is_first_conjugate]).
    real_keys, types:
        The real irreducible each row belongs to, and its type.
    data:
        The exact values: a sympy Matrix, an integer array for families whose characters
        are integers (S_n), or
        [`CyclotomicValues`][pltheory.irreducibles.character_tables.CyclotomicValues] (C_n,
        products, D_n, and the class-algebra tables of groups given by generators), turned
        into sympy only when `values` is asked for.
    indicators:
        The Frobenius-Schur indicators when the family knows them (else computed by
        `frobenius_schur`, which lists the group).

    Examples
    --------
    >>> import pltheory as pt
    >>> T = character_table(pt.group("C4"))      # V_1 (type C) gives the rows 1 and 3
    >>> T.keys, T.real_keys, T.types
    (('0', '1', '3', '2'), ('0', '1', '1', '2'), ('R', 'C', 'C', 'R'))
    >>> T.values.row(1)
    Matrix([[1, -1, I, -I]])
    """

    group: FiniteGroup
    classes: tuple[ConjugacyClass, ...]
    keys: tuple[str, ...]
    real_keys: tuple[str, ...]
    types: tuple[str, ...]
    data: sympy.Matrix | np.ndarray | CyclotomicValues
    indicators: tuple[int, ...] | None = None

    @cached_property
    def values(self) -> sympy.Matrix:
        """The exact values as a sympy Matrix (rows x classes)."""
        if isinstance(self.data, np.ndarray):
            return sympy.Matrix(self.data.tolist())
        if isinstance(self.data, CyclotomicValues):
            return self.data.matrix()
        return self.data

    def _row(self, i: int) -> list:
        """Row i of exact values, without building the whole sympy matrix."""
        if isinstance(self.data, np.ndarray):
            return self.data[i].tolist()
        if isinstance(self.data, CyclotomicValues):
            return [self.data.exact(i, j) for j in range(len(self.classes))]
        return list(self.values.row(i))

    def _texts(self, i: int) -> list[str]:
        """Row i as text (memoised per value for cyclotomic data)."""
        if isinstance(self.data, CyclotomicValues):
            return [self.data.text(i, j) for j in range(len(self.classes))]
        return [str(v) for v in self._row(i)]

    def as_dict(self) -> dict:
        """The JSON form: the classes, and one row per complex irreducible with its key, the
        real irreducible it belongs to, its type and its exact values as strings.

        >>> import pltheory as pt
        >>> rows = character_table(pt.group("C4")).as_dict()["rows"]
        >>> rows[1]
        {'key': '1', 'real_irrep': '1', 'type': 'C', 'values': ['1', '-1', 'I', '-I']}
        """
        return {"classes": [c.as_dict() for c in self.classes],
                "rows": [{"key": key, "real_irrep": real, "type": kind,
                          "values": self._texts(i)}
                         for i, (key, real, kind) in enumerate(zip(self.keys, self.real_keys, self.types))]}

    @cached_property
    def numeric(self) -> np.ndarray:
        """The values as a complex array (rows x classes)."""
        if isinstance(self.data, np.ndarray):
            return self.data.astype(complex)
        if isinstance(self.data, CyclotomicValues):
            return self.data.numeric()
        return np.array(self.values.evalf(), dtype=complex)

    @property
    def dims(self) -> list[int]:
        """The complex dimension of each row, chi(1)."""
        return [int(round(v.real)) for v in self.numeric[:, 0]]

    def frobenius_schur(self) -> list[int]:
        """(1/|G|) sum_g chi(g^2) per row: 1 (real), 0 (complex), -1 (quaternionic).
        Lists the group: O(|G| degree) plus a row-times-class-counts product per row.

        >>> import pltheory as pt
        >>> character_table(pt.group("C4")).frobenius_schur()
        [1, 0, 0, 1]
        """
        if self.indicators is not None:
            return list(self.indicators)
        G = self.group
        el = G.elements()
        squares = G.indices(np.take_along_axis(el, el, axis=1))  # g o g
        counts = np.bincount(G.class_index()[squares], minlength=len(self.classes))
        return [int(round((self.numeric[i] @ counts).real / G.order)) for i in range(len(self.keys))]

    def __str__(self) -> str:
        head = ["class"] + [cycle_notation(c.representative) for c in self.classes]
        sizes = ["size"] + [str(c.size) for c in self.classes]
        rows = [[f"{l} ({t})"] + [sympy.sstr(v) for v in self._row(i)]
                for i, (l, t) in enumerate(zip(self.keys, self.types))]
        table = [head, sizes] + rows
        widths = [max(len(r[j]) for r in table) for j in range(len(head))]
        return "\n".join("  ".join(cell.rjust(w) for cell, w in zip(r, widths)) for r in table)


def character_table(G: FiniteGroup, *, seed: int = 0) -> CharacterTable:
    """The complex character table: the family's (by formula for C_n and products, D_n and
    S_n; by the class algebra for groups given by generators,
    [`class_algebra`][pltheory.irreducibles.burnside_dixon.class_algebra]), else
    [`character_table_from_irreps`][pltheory.irreducibles.character_tables.character_table_from_irreps]
    of ``G.irreps(seed)``.

    >>> import pltheory as pt
    >>> print(character_table(pt.group("S3")))
          class  ()  (0 1)  (0 1 2)
           size   1      3        2
        (3) (R)   1      1        1
      (2,1) (R)   2      0       -1
    (1,1,1) (R)   1     -1        1
    """
    check_group(G, "G")
    known = G.structure.character_table(G)
    if known is not None:
        return known
    return character_table_from_irreps(G, G.irreps(seed))


def character_table_from_irreps(G: FiniteGroup, irreps: Sequence[Irrep]) -> CharacterTable:
    """The complex character table computed from the real irreducibles of G.

    A type-R irreducible gives one row (chi_V), a type-H one row (chi_V / 2), a type-C
    one two conjugate rows, the characters of the +i and -i eigenspaces of its complex
    structure J: first the one whose first non-real value has a positive imaginary part
    ([`is_first_conjugate`][pltheory.irreducibles.character_tables.is_first_conjugate]),
    keyed like V, then its conjugate (``G.structure.conjugate_key(V)``). Exact values: the
    eigenvalues of rho(g) are m-th roots of unity for g of order m, so rounding them to
    zeta_m^k and adding in sympy is exact. O(#classes dim^3) per irreducible.

    >>> import pltheory as pt
    >>> G = pt.group("A4")
    >>> character_table_from_irreps(G, G.irreps()).keys
    ('1a', '2a', '2a*', '3a')
    """
    check_group(G, "G")
    classes = G.conjugacy_classes()
    keys, real_keys, types, rows = [], [], [], []
    for V in irreps:
        if V.type == "C":
            J = _complex_structure(V)
            vals, vecs = np.linalg.eigh(1j * J)  # J v = i v  <=>  (iJ) v = -v
            parts = [_character_values(V, B, classes) for B in (vecs[:, vals < 0], vecs[:, vals > 0])]
            if not is_first_conjugate(np.array(parts[0], dtype=complex)):
                parts.reverse()
            names = [V.key, V.group.structure.conjugate_key(V)]
        else:
            parts, names = [_character_values(V, None, classes)], [V.key]
        for values, name in zip(parts, names):
            keys.append(name)
            real_keys.append(V.key)
            types.append(V.type)
            rows.append(values)
    return CharacterTable(G, classes, tuple(keys), tuple(real_keys), tuple(types), sympy.Matrix(rows))


def is_first_conjugate(row: np.ndarray) -> bool:
    """Whether a complex character (values on the classes) comes first in its conjugate
    pair: its first value that is not real (beyond `CHARACTER_TOL`)
    has a positive imaginary part. True for a real character.

    >>> is_first_conjugate(np.array([2, -1 + 1j, -1 - 1j])), is_first_conjugate(np.array([2, -1 - 1j, -1 + 1j]))
    (True, False)
    """
    imaginary = np.imag(row)
    nonreal = np.flatnonzero(np.abs(imaginary) > CHARACTER_TOL)
    return bool(nonreal.size == 0 or imaginary[nonreal[0]] > 0)


def _character_values(V: Irrep, B: np.ndarray | None, classes: tuple[ConjugacyClass, ...]) -> list[sympy.Expr]:
    """Exact values on the classes of the complex irreducible in V: on the subspace B
    (type C), half of chi_V (type H), chi_V (type R; Murnaghan-Nakayama for S_n)."""
    if V.partition is not None:
        return [sympy.Integer(young.murnaghan_nakayama(V.partition, cycle_type(c.representative)))
                for c in classes]
    rho = V.element_matrices()[[int(c.elements[0]) for c in classes]]  # rho(representative)
    if B is not None:
        rho = B.conj().T @ rho @ B
    values = _root_of_unity_sums(np.linalg.eigvals(rho), np.array([c.element_order for c in classes]))
    return [v / 2 for v in values] if V.type == "H" else values
