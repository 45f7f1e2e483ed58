"""Every numerical tolerance of pltheory, named once.

Exact data (orbits, permutations, integer characters) needs none; floating-point results
are compared with these. Functions that users may tune take the tolerance as a named
argument whose default is the constant here. Values are for float64 unless a float32
twin is given.

>>> CHARACTER_TOL < INVARIANT_TOL
True
"""

from __future__ import annotations

# ------------------------------------------------ characters and representations
#: Two character values (or a trace and a dimension) are equal within this absolute
#: tolerance; characters of orthogonal matrices of dimension d are sums of d roots of
#: unity, so float64 rounding leaves them within about d * 1e-15 of the exact value.
CHARACTER_TOL = 1e-8

#: A measured character value (from an isotypic projector) names an irreducible when it is
#: this close to the irreducible's exact value at every sampled element.
CHARACTER_MATCH_TOL = 1e-6

#: Decimal digits to which characters are rounded only to *sort* irreducibles of one
#: dimension into a stable order (labels "2a", "2b", ...); never used to decide equality.
CHARACTER_SORT_DIGITS = 6

#: Decimals of the characters that name an irreducible built from a copy in Fun(X) (its
#: key; characters are algebraic integers, computed to about 1e-10).
KEY_DIGITS = 4

#: Numerical eigenvalues are recognised as roots of unity zeta_m^k within this distance.
ROOT_TOL = 1e-6

#: Absolute tolerance on the invariants (character norm, Frobenius-Schur sum) of a
#: certified eigenspace in the general irreducible algorithm.
INVARIANT_TOL = 1e-6

#: Relative gap between sorted eigenvalues of a random commutant element that starts a new
#: eigenspace in the general algorithm.
EIGENVALUE_GAP = 1e-7

#: Random commutant elements the general algorithm tries before it gives up.
SEPARATION_ATTEMPTS = 8

#: Relative gap between sorted eigenvalues of a random combination of class matrices below
#: which they form one cluster, split again by another combination on its span (a small
#: problem). Wider than EIGENVALUE_GAP so that every eigenvector kept is accurate to about
#: 1e-16 / 1e-4 relative, and the characters computed from it to far within MULTIPLICITY_TOL.
CLASS_ALGEBRA_GAP = 1e-4

#: The multiplicity m_j = (1/o) sum_k chi(g^k) zeta_o^(-jk) of the eigenvalue zeta_o^j of
#: rho(g), computed from numerical character values, counts as the integer nearest to it
#: when within this (the class-algebra character tables round their values this way).
MULTIPLICITY_TOL = 1e-6

#: The antisymmetric part K of a random element of End_G(V) for a type-C irreducible V,
#: scaled to J = sqrt(dim) K / ||K||, is V's complex structure when |J^2 + I| <= this.
COMPLEX_STRUCTURE_TOL = 1e-8

#: rcond of the null space that gives the centre of a centralizer algebra End_G(Fun X)
#: (the commutant of random elements, in the orthonormal orbit basis).
ALGEBRA_TOL = 1e-9

#: Eigenvalues of the Gram matrix E^T E of the commutator equations (squared singular
#: values, relative to the squared size of the multiplications) below which a direction
#: is a candidate for the centre; the candidates are then cut by ALGEBRA_TOL on the
#: singular values themselves. Generous: squaring leaves rounding at about 1e-16.
CENTRE_CANDIDATE = 1e-8

#: Singular values of U^T Z (the centre projected onto a candidate ideal spanned by U) above
#: which a direction counts as central in the ideal: 1 for a direction inside, 0 outside.
CENTRE_OVERLAP = 0.5

#: How far tr(e_V) = m_V dim V may be from an integer in the centralizer algebra.
INTEGRALITY_TOL = 1e-6

#: Entrywise tolerance of the identities e^2 = e and J^2 = -lambda e of a candidate ideal.
IDEMPOTENT_TOL = 1e-8

#: rcond of the null space of the commutant equations rho(s) M = M rho(s).
NULL_SPACE_RCOND = 1e-9

#: Matrices given for the generators satisfy a relation when equal within this absolute
#: tolerance (``Representation.homomorphism_failure``).
HOMOMORPHISM_ATOL = 1e-9

#: Random projections tried per copy of an irreducible when building a symmetry-adapted
#: basis (each succeeds with probability 1; the limit only stops a numerical failure).
COPY_ATTEMPTS = 20

#: A copy of an irreducible found by projection is new when the smallest eigenvalue of the
#: Gram matrix of the copies exceeds this fraction of its trace.
GRAM_TOL = 1e-8

# ----------------------------------------------------------------- equivariance
#: Largest relative equivariance error max_s ||P_s W - W P_s|| / ||W|| that
#: ``assert_equivariant`` accepts for float64 weights, and for float32 weights (whose
#: entries carry 6e-8 relative rounding).
EQUIVARIANCE_TOL = 1e-9
EQUIVARIANCE_TOL_FLOAT32 = 1e-5

#: The relative tolerance of every equivariance check by the dtype of the values compared
#: (a weight, or the outputs f(P_g x) and P_g f(x) of a callable or torch module), relative
#: to the norm of the output, in units of rounding (float64 2.2e-16, float32 1.2e-7,
#: float16 9.8e-4, bfloat16 7.8e-3): about 4.5e6 for float64 and 84 for float32, room for
#: the different summation order a permuted input gets in a deep network; only 20 and 13
#: for float16 and bfloat16, which are coarse: a half-precision layer with a weight off by
#: 1e-2 can pass them. Dtypes not listed (integers, exact values) use float64's.
EQUIVARIANCE_TOLS = {
    "float64": EQUIVARIANCE_TOL,
    "float32": EQUIVARIANCE_TOL_FLOAT32,
    "float16": 2e-2,
    "bfloat16": 1e-1,
}

#: Singular values below this (relative) count as zero in the dense reference methods
#: (``nullspace_basis``, ``reynolds_basis``).
DENSE_RANK_TOL = 1e-8

# ------------------------------------------------------------------ activations
#: A change of slope between neighbouring samples of a callable activation larger than
#: this (relative to the slopes, at least 1) can mark a kink ...
KINK_TOL = 1e-6

#: ... if it is also this many times the median change over the KINK_WINDOW samples on
#: either side (smooth curvature changes gradually; a kink stands out).
KINK_SPIKE = 10.0
KINK_WINDOW = 5

#: Relative tolerance of the sampled property tests of a callable activation.
PROPERTY_RTOL = 1e-9

#: Tolerances on an activation's outputs are at least this many units of their precision
#: (machine epsilon): float32 outputs carry 1e-7 relative noise, float64 ones 2e-16, so
#: the same code serves both.
PRECISION_MARGIN = 1000.0

# --------------------------------------------------------- analysis of learned weights
#: A candidate symmetry explains a learned sharing U when their containment (the mean
#: cos^2 of the principal angles between U's column space and the candidate's) exceeds
#: this: the 90% containment rule.
EXPLAINED = 0.9

#: ... and when no candidate contains U by more than this much more: a smaller subspace
#: that holds 90% of U but misses a whole direction (p4m inside p4 on 6 x 6 pixels holds
#: 10 of p4's 11 dimensions) does not explain a U that a larger candidate holds entirely.
EXPLAINED_MARGIN = 0.05

#: Singular values of a learned sharing below this fraction of the largest do not count
#: towards its numerical rank (learned weights are noisy at about 1e-6).
SHARING_RCOND = 1e-5

#: Entries of a learned weight within this fraction of its value range share a value.
PATTERN_TOL = 0.05

#: In a frequency flow, an input component whose energy is at most this share of the
#: total counts as empty (it sends nothing through the activation).
FLOW_TOL = 1e-12

#: Two components' frequencies (Dirichlet energies on the generators' Schreier graph, at
#: most 4 per generator) closer than this are the same frequency; a component below it is
#: invariant.
FREQUENCY_TOL = 1e-9

# ------------------------------------------------------------ interaction graphs
#: Default relative energy below which a probe counts a target as not reached.
PROBE_TOL = 1e-20

#: Amplitudes probed when the activation is not positively homogeneous, in units of its
#: scale (`Activation.scale`) times sqrt(|X|). Deliberately not round numbers: a constant
#: vector of a round amplitude would sit exactly on a round breakpoint.
AMPLITUDES = (0.1173, 1.173, 11.73)

#: An activated vector h = f(u) - f(0) is rounding noise, not a signal, when
#: ||h|| <= ROUNDING_MARGIN * eps * (||f'(u) u|| + ||f(u)|| + ||f(0) 1||), eps the
#: precision of f's values: the error that relative perturbations of u and of the values of
#: size eps cause (entries of u that differ from a kink only in their last bits). It counts
#: as zero and reaches no component.
ROUNDING_MARGIN = 4096.0

#: Relative step of the central difference that measures ||f'(u) u|| for a callable (PL
#: activations know their slopes).
SENSITIVITY_STEP = 1e-6

#: Relative distance below which a probe entry counts as sitting on a breakpoint; such a
#: probe is rescaled by `NUDGE` until no entry is that close.
ON_BREAKPOINT = 1e-9

#: Factor by which a probe sitting on a breakpoint is rescaled, and how many times.
NUDGE = 1.0 + 2.0**-6
NUDGE_ATTEMPTS = 64

#: Random integer vectors (entries -3..3) tried as witnesses, besides the point indicators.
WITNESS_CANDIDATES = 64

#: Characters count as integers when within this of their rounding.
INTEGER_CHARACTER_TOL = 1e-6

#: Rows of a source basis shorter than this are zero (the point carries no coordinate).
ZERO_ROW = 1e-12

#: Angles (radians) closer than this are one boundary between cones.
SAME_ANGLE = 1e-9
