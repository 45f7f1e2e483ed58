"""Real irreducible representations and character tables of finite groups.

Every finite group has finitely many real irreducible representations V up to
isomorphism. Each has a *type*, the division algebra D = End_G(V):

* R (real type): V (x) C is a complex irreducible W; chi_V = chi_W; dim_R V = dim_C W.
* C (complex type): V (x) C = W + conj(W) with W not self-conjugate; chi_V = 2 Re chi_W;
  dim_R V = 2 dim_C W.
* H (quaternionic type): V (x) C = W + W; chi_V = 2 chi_W; dim_R V = 2 dim_C W.

<chi_V, chi_V> = dim_R End_G(V) = 1, 2, 4 tells the type; it agrees with the
Frobenius-Schur indicator (1/|G|) sum_g chi_W(g^2) = 1, 0, -1 of W.

Matrices are real and orthogonal. Exact families (cyclic groups and products of cyclic
groups) have closed forms; every other enumerable group goes through the *general
algorithm*: a random symmetric element S of the commutant of the regular
representation (a symmetrised convolution A[y, x] = c(y^-1 x)) has, generically, one
copy of a real irreducible per eigenspace; eigenspaces with equal characters are
isomorphic, and restricting the regular representation to one eigenspace gives the
irreducible's matrices.

Example
-------
>>> from pltheory.groups import group
>>> [(V.label, V.dim, V.type) for V in irreps(group("C6"))]
[('0', 1, 'R'), ('1', 2, 'C'), ('2', 2, 'C'), ('3', 1, 'R')]
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

import numpy as np
import sympy

from .errors import GroupTooLargeError
from .groups import ConjugacyClass, FiniteGroup, cycle_notation
from .reps import Representation

IrrepType = Literal["R", "C", "H"]

#: dim_R End_G(V) for each type.
ENDOMORPHISM_DIM = {"R": 1, "C": 2, "H": 4}

#: Largest order the general (regular representation) algorithm accepts.
GENERAL_MAX_ORDER = 2000

#: Tolerance for recognising numerical eigenvalues as roots of unity.
ROOT_TOL = 1e-6


@dataclass(frozen=True, eq=False)
class Irrep:
    """A real irreducible representation of ``group``.

    Attributes
    ----------
    label:
        Its name: the frequency for cyclic groups ("0", "1", ...), the frequency tuple
        for products of cyclic groups ("(1,0)"), otherwise dimension and a letter ("2a").
    type:
        "R", "C" or "H": End_G(V) is the reals, complex numbers or quaternions.
    matrices:
        (num_generators, dim, dim) real orthogonal matrices of the generators.
    frequency:
        For cyclic groups the integer k, for products of cyclic groups the tuple.
    """

    group: FiniteGroup
    label: str
    type: IrrepType
    matrices: np.ndarray
    frequency: int | tuple[int, ...] | None = None
    complex_structure: np.ndarray | None = field(default=None, repr=False)

    @property
    def dim(self) -> int:
        """Real dimension."""
        return int(self.matrices.shape[1])

    @property
    def complex_dim(self) -> int:
        """Dimension of a complex irreducible constituent W of V (x) C."""
        return self.dim if self.type == "R" else self.dim // 2

    @property
    def endomorphism_dim(self) -> int:
        """dim_R End_G(V): 1, 2 or 4."""
        return ENDOMORPHISM_DIM[self.type]

    def __repr__(self) -> str:
        return f"Irrep({self.label!r}, dim={self.dim}, type={self.type}, group={self.group.name})"

    @cached_property
    def representation(self) -> Representation:
        return Representation(self.group, self.matrices, name=self.label)

    def element_matrices(self) -> np.ndarray:
        """rho(g) for every g in ``group.elements()``."""
        return self.representation.element_matrices()

    def matrix(self, g) -> np.ndarray:
        return self.representation.matrix(g)

    def character(self) -> np.ndarray:
        """The real character chi_V(g) for every g in ``group.elements()``."""
        return self.representation.character()

    @cached_property
    def generator_orders(self) -> tuple[int, ...]:
        """Order of rho(g_s) for each generator s (for C_n: n / gcd(n, k))."""
        orders = []
        for mat in self.matrices:
            power, m = mat.copy(), 1
            while not np.allclose(power, np.eye(self.dim), atol=1e-8):
                power, m = power @ mat, m + 1
            orders.append(m)
        return tuple(orders)

    @cached_property
    def kernel(self) -> FiniteGroup:
        """ker rho = {g : rho(g) = I}, a normal subgroup."""
        chars = self.character()
        members = np.flatnonzero(np.isclose(chars, self.dim, atol=1e-8))
        return self.group.subgroup_from_indices(members, name=f"ker {self.label}")


def irreps(G: FiniteGroup, *, seed: int = 0) -> list[Irrep]:
    """The real irreducible representations of G, trivial first, each up to isomorphism.

    Products of cyclic groups (C_n, C_n x C_m, ...) use closed forms; other groups the
    general algorithm (orders up to :data:`GENERAL_MAX_ORDER`). Cached on the group.

    >>> from pltheory.groups import group
    >>> sum(V.complex_dim ** 2 * (2 if V.type == "C" else 1) for V in irreps(group("D5")))
    10
    """
    cached = G.__dict__.get("_irreps")
    if cached is None:
        cached = _abelian_irreps(G) if _cyclic_factors(G) else _general_irreps(G, seed)
        G.__dict__["_irreps"] = cached
    return cached


def _cyclic_factors(G: FiniteGroup) -> list[int] | None:
    """The n_i if G = C_n1 x ... x C_nm as built by ``cyclic``/``direct_product``."""
    factors = G.factors or (G,)
    orders = []
    for F in factors:
        m = re.fullmatch(r"C(\d+)", F.name)
        if m is None or F.num_generators != 1:
            return None
        orders.append(int(m.group(1)))
    return orders


def _rotation(theta: float) -> np.ndarray:
    c, s = math.cos(theta), math.sin(theta)
    return np.array([[c, -s], [s, c]])


def _abelian_irreps(G: FiniteGroup) -> list[Irrep]:
    """C_n1 x ... x C_nm: the characters k -> exp(2 pi i sum_j k_j a_j / n_j), paired
    with their conjugates -k. A self-conjugate k (2k = 0) gives a 1-dim real irrep with
    values +-1; otherwise {k, -k} gives the 2-dim rotation irrep (type C), generator j
    rotating by 2 pi k_j / n_j, labelled by the lexicographically smaller of k and -k."""
    ns = _cyclic_factors(G)
    result = []
    for k in np.ndindex(*ns):
        neg = tuple((-kj) % n for kj, n in zip(k, ns))
        if neg < k:
            continue
        angles = [2 * math.pi * kj / n for kj, n in zip(k, ns)]
        freq = int(k[0]) if len(ns) == 1 else tuple(int(v) for v in k)
        label = str(freq) if len(ns) == 1 else "(" + ",".join(map(str, k)) + ")"
        if neg == k:
            mats = np.array([[[round(math.cos(a))]] for a in angles], dtype=float)
            result.append(Irrep(G, label, "R", mats, freq))
        else:
            mats = np.array([_rotation(a) for a in angles])
            result.append(Irrep(G, label, "C", mats, freq, complex_structure=_rotation(math.pi / 2)))
    return result


def _general_irreps(G: FiniteGroup, seed: int) -> list[Irrep]:
    if G.order > GENERAL_MAX_ORDER:
        raise GroupTooLargeError(
            f"the general irreducible-representation algorithm works on the regular "
            f"representation and accepts groups of order up to {GENERAL_MAX_ORDER}; "
            f"{G.name} has order {G.order}"
        )
    rng = np.random.default_rng(seed)
    N = G.order
    mult = np.array([G.left_multiplication_by(i) for i in range(N)])  # mult[i, j] = idx(e_i e_j)
    inv = np.argmax(mult == 0, axis=1)
    reps = [c.elements[0] for c in G.conjugacy_classes()]
    sizes = np.array([c.size for c in G.conjugacy_classes()])
    left_inverse = np.array([np.argsort(t) for t in G.left_multiplication()])
    for _ in range(8):  # a new random element if an accidental degeneracy merged copies
        c = rng.normal(size=N)
        A = c[mult[inv]]  # A[y, x] = c(y^-1 x) commutes with left multiplication
        eigvals, vecs = np.linalg.eigh(A + A.T)
        scale = max(1.0, float(np.abs(eigvals).max()))
        cuts = np.flatnonzero(np.diff(eigvals) > 1e-7 * scale) + 1
        found: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
        total = 0
        ok = True
        for block in np.split(np.arange(N), cuts):
            Q = vecs[:, block]
            chars = np.array([np.sum(Q[mult[g]] * Q) for g in reps])
            norm = float(np.dot(chars, chars * sizes) / N)
            if round(norm) not in (1, 2, 4) or abs(norm - round(norm)) > 1e-6:
                ok = False
                break
            key = tuple(np.round(chars, 6))
            if key not in found:
                mats = np.array([Q.T @ Q[li] for li in left_inverse])
                found[key] = (mats, chars)
                total += Q.shape[1] ** 2 // round(norm)
        if ok and total == N:
            break
    else:  # pragma: no cover - probability zero
        raise ArithmeticError(f"could not separate the irreducibles of {G.name}")
    items = []
    for mats, chars in found.values():
        norm = round(float(np.dot(chars, chars * sizes) / N))
        kind = {1: "R", 2: "C", 4: "H"}[norm]
        items.append((mats, chars, kind))
    # trivial first, then by dimension, type, and character values
    items.sort(key=lambda it: (it[0].shape[1], "RCH".index(it[2]), tuple(-np.round(it[1], 6))))
    result, counts = [], {}
    for mats, chars, kind in items:
        d = mats.shape[1]
        letter = chr(ord("a") + counts.get(d, 0))
        counts[d] = counts.get(d, 0) + 1
        result.append(Irrep(G, f"{d}{letter}", kind, mats))
    return result


def _complex_structure(V: Irrep) -> np.ndarray:
    """J in End_G(V) with J^2 = -I for a type-C irrep (closed form if known, else the
    G-average of a random antisymmetric matrix, which for type C is a multiple of J)."""
    if V.complex_structure is not None:
        return V.complex_structure
    rng = np.random.default_rng(1)
    M = rng.normal(size=(V.dim, V.dim))
    M = M - M.T
    mats = V.element_matrices()
    J = np.einsum("gij,jk,glk->il", mats, M, mats) / len(mats)
    return J / math.sqrt(-np.trace(J @ J) / V.dim)


def _root_of_unity_sum(eigenvalues: np.ndarray, m: int) -> sympy.Expr:
    """sum_j zeta_m^{k_j} for eigenvalues e^{2 pi i k_j / m} of a matrix of order m."""
    exponents = np.round(np.angle(eigenvalues) * m / (2 * math.pi)).astype(int) % m
    roots = np.exp(2j * math.pi * exponents / m)
    if np.abs(roots - eigenvalues).max(initial=0.0) > ROOT_TOL:
        raise ArithmeticError("eigenvalues are not roots of unity of the element's order")
    total = sum(sympy.exp(2 * sympy.pi * sympy.I * sympy.Rational(int(k), m)) for k in exponents)
    return sympy.nsimplify(sympy.expand_complex(total)) if total != 0 else sympy.Integer(0)


@dataclass(frozen=True)
class CharacterTable:
    """The complex character table of G: one row per complex irreducible, one column
    per conjugacy class; values exact (sympy) and numeric.

    Attributes
    ----------
    classes:
        The conjugacy classes (columns), as in ``G.conjugacy_classes()``.
    labels:
        Row labels: a real irreducible's label, with ``*`` for the conjugate of a type-C
        one (for cyclic groups the frequency -k instead).
    real_labels, types:
        The real irreducible each row belongs to, and its type.
    values:
        sympy Matrix of exact values.
    """

    group: FiniteGroup
    classes: list[ConjugacyClass]
    labels: list[str]
    real_labels: list[str]
    types: list[str]
    values: sympy.Matrix

    @cached_property
    def numeric(self) -> np.ndarray:
        return np.array(self.values.evalf(), dtype=complex)

    @property
    def dims(self) -> list[int]:
        return [int(v) for v in self.values[:, 0]]

    def frobenius_schur(self) -> list[int]:
        """(1/|G|) sum_g chi(g^2) per row: 1 (real), 0 (complex), -1 (quaternionic)."""
        G = self.group
        el = G.elements()
        squares = G.indices(np.take_along_axis(el, el, axis=1))  # g o g
        class_of = np.empty(G.order, dtype=int)
        for j, c in enumerate(self.classes):
            class_of[c.elements] = j
        counts = np.bincount(class_of[squares], minlength=len(self.classes))
        return [int(round((self.numeric[i] @ counts).real / G.order)) for i in range(len(self.labels))]

    def __str__(self) -> str:
        head = ["class"] + [cycle_notation(c.representative) for c in self.classes]
        sizes = ["size"] + [str(c.size) for c in self.classes]
        rows = [[f"{l} ({t})"] + [sympy.sstr(v) for v in self.values.row(i)]
                for i, (l, t) in enumerate(zip(self.labels, self.types))]
        table = [head, sizes] + rows
        widths = [max(len(r[j]) for r in table) for j in range(len(head))]
        return "\n".join("  ".join(cell.rjust(w) for cell, w in zip(r, widths)) for r in table)


def character_table(G: FiniteGroup, *, seed: int = 0) -> CharacterTable:
    """The complex character table, computed from the real irreducibles.

    A type-R irreducible gives one row (chi_V), a type-H one row (chi_V / 2), a type-C
    one two conjugate rows, the characters of the +i and -i eigenspaces of its complex
    structure J. Exact values: the eigenvalues of rho(g) are m-th roots of unity for g
    of order m, so rounding them to zeta_m^k and adding in sympy is exact.

    >>> from pltheory.groups import group
    >>> print(character_table(group("S3")))
     class  ()  (0 1)  (0 1 2)
      size   1      3        2
    1a (R)   1      1        1
    1b (R)   1     -1        1
    2a (R)   2      0       -1
    """
    classes = G.conjugacy_classes()
    labels, real_labels, types, rows = [], [], [], []
    for V in irreps(G, seed=seed):
        if V.type == "C":
            J = _complex_structure(V)
            vals, vecs = np.linalg.eigh(1j * J)  # J v = i v  <=>  (iJ) v = -v
            parts = [vecs[:, vals < 0], vecs[:, vals > 0]]
            names = _conjugate_labels(V)
        else:
            parts, names = [None], [V.label]
        for B, name in zip(parts, names):
            row = []
            for c in classes:
                rho = V.matrix(c.representative)
                if B is not None:
                    rho = B.conj().T @ rho @ B
                value = _root_of_unity_sum(np.linalg.eigvals(rho), c.element_order)
                row.append(value / 2 if V.type == "H" else value)
            labels.append(name)
            real_labels.append(V.label)
            types.append(V.type)
            rows.append(row)
    return CharacterTable(G, classes, labels, real_labels, types, sympy.Matrix(rows))


def _conjugate_labels(V: Irrep) -> list[str]:
    if V.frequency is None:
        return [V.label, V.label + "*"]
    ns = _cyclic_factors(V.group)
    k = V.frequency if isinstance(V.frequency, tuple) else (V.frequency,)
    neg = tuple((-kj) % n for kj, n in zip(k, ns))
    text = [str(v[0]) if len(v) == 1 else "(" + ",".join(map(str, v)) + ")" for v in (k, neg)]
    return text
