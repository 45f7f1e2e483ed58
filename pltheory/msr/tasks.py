"""Synthetic task families for meta-learning weight sharing.

A task is a linear map y = W x, or a small ReLU network of such maps; a family is many tasks
of a few examples each, split into meta-train and meta-test tasks. Everything is drawn from
a numpy Generator with a recorded seed, so a family is reproduced from its
`TaskFamily.spec`.

* [`translation_tasks`][pltheory.msr.tasks.translation_tasks] (Zhou, Knowles and Finn's 1-D experiment): x in R^70,
  y in R^68, y[p] = sum_j F[p, j] x[p + j] with F = C B; C (68 x k) is fixed for the
  family (all ones for k = 1, row-softmax of Gaussian entries otherwise), B (k x 3)
  Gaussian per task. Rank 1 is an exact convolution; 2 and 5 are partially
  translation equivariant.
* [`equivariant_tasks`][pltheory.msr.tasks.equivariant_tasks]: W a Gaussian combination of the orbit basis of
  Hom_G(Fun X, Fun X) for any G-set X: rotations (C_4) or rotations and flips (D_4) of
  periodic images with translations ([`image_gset`][pltheory.msr.tasks.image_gset]), S_n on
  n points, ...; with ``depth`` d > 1 each task is a G-equivariant ReLU network y = W_d
  relu(W_{d-1} ... relu(W_1 x)), every W_i such a combination.

A family's spec holds what regenerates it ([`family_from_spec`][pltheory.msr.tasks.family_from_spec]): for an
equivariant family the G-set by its structure, the group's generators and their permutations
of X (``generators`` and ``action``, lists of integers), so a family on any group, built
through the API, is rebuilt exactly ([`family_gset`][pltheory.msr.tasks.family_gset]); names
are kept for people.

Examples
--------
>>> tasks = translation_tasks(rank=2, num_tasks=10, seed=0)
>>> tasks.x.shape, tasks.y.shape, tasks.spec["C"].shape
((10, 20, 70), (10, 20, 68), (68, 2))
>>> again = family_from_spec(tasks.spec)
>>> bool((again.x == tasks.x).all() and (again.y == tasks.y).all())
True
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from ..equivariant import equivariant_basis
from ..errors import ArgumentError
from ..families import from_generators, group
from ..gsets import GSet
from ..limits import MAX_LAYERS, check_memory
from ..validate import check_choice, check_integer


@dataclass(frozen=True, eq=False)
class TaskFamily:
    """Tasks with inputs x (tasks, examples, in) and targets y (tasks, examples, out);
    tasks [0, num_train) are for meta-training, the rest for meta-testing. ``gset`` is the
    G-set X of an equivariant family (None for the translation family).

    >>> from pltheory.msr.tasks import translation_tasks
    >>> family = translation_tasks(num_tasks=10, inputs=6, seed=0)
    >>> family.name, family.num_train, family.in_features, family.out_features, family.gset
    ('translation rank 1', 8, 6, 4, None)
    """

    name: str
    x: np.ndarray
    y: np.ndarray
    num_train: int
    spec: dict = field(default_factory=dict)
    gset: GSet | None = None

    @property
    def in_features(self) -> int:
        return int(self.x.shape[2])

    @property
    def out_features(self) -> int:
        return int(self.y.shape[2])

    @property
    def depth(self) -> int:
        """Linear layers of each task's map (ReLU between them): 1 but for deeper
        [`equivariant_tasks`][pltheory.msr.tasks.equivariant_tasks] families."""
        return int(self.spec.get("depth", 1))

    def split(self, part: str) -> tuple[np.ndarray, np.ndarray]:
        """(x, y) of the "train" or "test" tasks.

        >>> from pltheory.msr.tasks import translation_tasks
        >>> x, y = translation_tasks(num_tasks=10, inputs=6, seed=0).split("test")
        >>> x.shape, y.shape
        ((2, 20, 6), (2, 20, 4))
        """
        part = check_choice(part, "part", ("train", "test"))
        sl = slice(0, self.num_train) if part == "train" else slice(self.num_train, None)
        return self.x[sl], self.y[sl]

    def label_variance(self) -> float:
        """Mean squared target over the test tasks: the MSE of predicting 0.

        >>> from pltheory.msr.tasks import translation_tasks
        >>> round(translation_tasks(num_tasks=10, inputs=6, seed=0).label_variance(), 2)
        1.14
        """
        return float(np.mean(self.split("test")[1] ** 2))


def _num_train(num_tasks: int, num_train: int | None) -> int:
    """80% of the tasks for meta-training by default, leaving at least one on each side."""
    if num_tasks < 2:
        raise ArgumentError(f"a task family needs at least 2 tasks (meta-train and meta-test), got {num_tasks}")
    train = num_train if num_train is not None else int(round(0.8 * num_tasks))
    return min(max(train, 1), num_tasks - 1)


def mixing_matrix(rank: int, rng: np.random.Generator, outputs: int = 68) -> np.ndarray:
    """C (outputs x rank): all ones for rank 1, else the row-softmax of Gaussian entries.

    >>> import numpy as np
    >>> from pltheory.msr.tasks import mixing_matrix
    >>> C = mixing_matrix(2, np.random.default_rng(0), outputs=3)
    >>> C.shape, bool(np.allclose(C.sum(axis=1), 1.0)), mixing_matrix(1, None, outputs=2).tolist()
    ((3, 2), True, [[1.0], [1.0]])
    """
    if rank == 1:
        return np.ones((outputs, 1))
    logits = rng.normal(size=(outputs, rank))
    weights = np.exp(logits - logits.max(axis=1, keepdims=True))
    return weights / weights.sum(axis=1, keepdims=True)


def family_bytes(num_tasks: int, examples: int, inputs: int, outputs: int) -> int:
    """Peak memory of generating a family: float64 inputs and targets, their float32
    copies and one temporary of the targets' size.

    >>> from pltheory.msr.tasks import family_bytes
    >>> family_bytes(10_000, 20, 70, 68)        # the default translation family: 662 MB
    662400000
    """
    return num_tasks * examples * (inputs + outputs) * 8 * 3


#: Tasks drawn at a time when a family keeps only some of its tasks.
DRAW_CHUNK = 512


def normal_rows(rng: np.random.Generator, shape: tuple[int, ...], keep: range | None = None,
                dtype: type = np.float64) -> np.ndarray:
    """``rng.standard_normal(size=shape, dtype=dtype)`` (for float64 the numbers of
    ``rng.normal(size=shape)``), or only its rows (first axis) in ``keep``. The rows are
    drawn `DRAW_CHUNK` at a time, which consumes the generator's stream exactly as one call
    does (a draw fills its array in order), so the kept rows are the same numbers and the
    stream goes on from the same place; memory O((kept + chunk) x row).

    >>> import numpy as np
    >>> whole = np.random.default_rng(0).normal(size=(1500, 3))
    >>> rng = np.random.default_rng(0)
    >>> part = normal_rows(rng, (1500, 3), range(1200, 1210))
    >>> after = np.random.default_rng(0).normal(size=4501)[-1]   # the draw after 1500 x 3
    >>> bool(np.array_equal(part, whole[1200:1210])), bool(rng.normal() == after)
    (True, True)
    >>> single = np.random.default_rng(1).standard_normal(size=(1100, 2), dtype=np.float32)
    >>> bool(np.array_equal(normal_rows(np.random.default_rng(1), (1100, 2), range(600, 605), np.float32),
    ...                     single[600:605]))
    True
    """
    if keep is None:
        return rng.standard_normal(size=shape, dtype=dtype)
    _check_keep(keep, shape[0])
    rows = []
    for start in range(0, shape[0], DRAW_CHUNK):
        block = rng.standard_normal(size=(min(DRAW_CHUNK, shape[0] - start), *shape[1:]), dtype=dtype)
        low, high = max(keep.start, start), min(keep.stop, start + block.shape[0])
        if low < high:
            rows.append(block[low - start:high - start])
    return np.concatenate(rows) if rows else np.empty((0, *shape[1:]), dtype=dtype)


def _check_keep(keep: object, rows: int) -> None:
    """Raise ArgumentError unless ``keep`` is a range of consecutive indices within 0 .. rows."""
    if not isinstance(keep, range) or keep.step != 1 or not 0 <= keep.start <= keep.stop <= rows:
        raise ArgumentError(f"keep must be a range of consecutive tasks within 0 .. {rows}, got {keep!r}")


def _kept(num_tasks: int, num_train: int, keep: range | None) -> tuple[int, int]:
    """How many tasks a family that keeps ``keep`` (all when None) holds, and how many of
    them are meta-training tasks."""
    if keep is None:
        return num_tasks, num_train
    _check_keep(keep, num_tasks)
    return len(keep), max(0, min(num_train, keep.stop) - keep.start)


def translation_tasks(rank: int = 1, *, num_tasks: int = 10_000, examples: int = 20, num_train: int | None = None,
                      inputs: int = 70, width: int = 3, seed: int = 0, keep: range | None = None) -> TaskFamily:
    """The 1-D translation family of rank ``rank`` (8,000 / 2,000 tasks by default).

    Parameters
    ----------
    rank : int
        The rank k of F = C B (1: an exact convolution).
    num_tasks, examples : int
        How many tasks, and examples per task.
    num_train : int, optional
        Meta-training tasks; 80% of the tasks by default (at least one on each side).
    inputs, width : int
        Size of x and taps of the filter; y has ``inputs - width + 1`` entries.
    seed : int
        Seed of the numpy Generator everything is drawn from.
    keep : range, optional
        Only these tasks (consecutive indices): the same numbers as the whole family's,
        drawn without holding it ([`normal_rows`][pltheory.msr.tasks.normal_rows]); the
        kept tasks below ``num_train`` are the meta-training ones.

    Returns
    -------
    TaskFamily
        With ``spec`` holding the parameters and the mixing matrix C.

    Examples
    --------
    For rank 1 every task is a convolution, y[p] = sum_j F[j] x[p + j]:

    >>> from pltheory.msr.tasks import translation_tasks
    >>> family = translation_tasks(rank=1, num_tasks=4, inputs=6, seed=0)
    >>> family.x.shape, family.y.shape, family.spec["C"].shape
    ((4, 20, 6), (4, 20, 4), (4, 1))
    """
    if rank < 1:
        raise ArgumentError(f"rank must be >= 1, got {rank}")
    held, train = _kept(num_tasks, _num_train(num_tasks, num_train), keep)
    check_memory(family_bytes(held, examples, inputs, inputs - width + 1),
                 f"a family of {held} translation tasks of {examples} examples", "use fewer tasks")
    rng = np.random.default_rng(seed)
    outputs = inputs - width + 1
    C = mixing_matrix(rank, rng, outputs)
    B = normal_rows(rng, (num_tasks, rank, width), keep)
    F = np.einsum("pr,trj->tpj", C, B)  # (tasks, outputs, width)
    x = normal_rows(rng, (num_tasks, examples, inputs), keep)
    y = np.zeros((held, examples, outputs))
    for j in range(width):  # y[t, n, p] = sum_j F[t, p, j] x[t, n, p + j], without a (t, n, p, j) array
        y += F[:, None, :, j] * x[:, :, j:j + outputs]
    spec = {"task": "translation", "rank": rank, "num_tasks": num_tasks, "examples": examples,
            "inputs": inputs, "width": width, "seed": seed, "C": C}
    return TaskFamily(f"translation rank {rank}", x.astype(np.float32), y.astype(np.float32), train, spec)


def translation_subspace(spec: Mapping) -> np.ndarray:
    """The true sharing subspace of a rank-k translation family, as vec(W) vectors: every
    task's W has W[p, p + j] = sum_r C[p, r] B[r, j], so the k x width matrices B span it
    through the vectors W_rj (W_rj[p, p + j] = C[p, r], else 0), one per r and tap j.
    Returns the (outputs x inputs, k x width) matrix of those vectors, row-major entries.

    >>> from pltheory.msr.tasks import translation_subspace, translation_tasks
    >>> translation_subspace(translation_tasks(rank=2, num_tasks=4, inputs=6, seed=0).spec).shape
    (24, 6)
    """
    C, inputs, width = np.asarray(spec["C"], dtype=float), int(spec["inputs"]), int(spec["width"])
    outputs = inputs - width + 1
    vectors = np.zeros((outputs, inputs, C.shape[1], width))
    p = np.arange(outputs)
    for j in range(width):
        vectors[p, p + j, :, j] = C
    return vectors.reshape(outputs * inputs, C.shape[1] * width)


def image_gset(size: int, flips: bool = False) -> GSet:
    """Pixels (row * size + column) of size x size periodic images under translations and
    90-degree rotations (p4 on the torus), with reflections too when ``flips``.

    >>> from pltheory.msr.tasks import image_gset
    >>> X, Y = image_gset(3), image_gset(3, flips=True)
    >>> X.size, X.group.name, X.group.order, Y.group.name, Y.group.order
    (9, 'p4 on 3x3', 36, 'p4m on 3x3', 72)
    """
    r, c = np.divmod(np.arange(size * size), size)
    gens = [((r + 1) % size) * size + c, r * size + (c + 1) % size, c * size + (-r) % size]
    if flips:
        gens.append(r * size + (-c) % size)
    name = f"{'p4m' if flips else 'p4'} on {size}x{size}"
    return GSet.natural(from_generators(gens, name=name))


def pixel_side(X: GSet) -> int | None:
    """s when the points of X are the pixels (row * s + column) of s x s periodic images,
    s >= 2, and X's generators include both unit translations (as [`image_gset`][pltheory.msr.tasks.image_gset]'s
    do): the families a 2-D convolution applies to. None otherwise.

    Examples
    --------
    >>> pixel_side(image_gset(5)), pixel_side(GSet.natural(from_generators([[1, 2, 3, 0]])))
    (5, None)
    """
    side = math.isqrt(X.size)
    if side < 2 or side * side != X.size:
        return None
    r, c = np.divmod(np.arange(X.size), side)
    shifts = (((r + 1) % side) * side + c, r * side + (c + 1) % side)
    return side if all((X.action == shift).all(axis=1).any() for shift in shifts) else None


def gset_structure(X: GSet) -> dict:
    """What rebuilds X exactly ([`family_gset`][pltheory.msr.tasks.family_gset]): its group's generators and their
    permutations of X, as lists of integers, with the group's and the set's names.

    Examples
    --------
    >>> gset_structure(GSet.natural(from_generators([[1, 2, 0]], name="rotation")))
    {'group': 'rotation', 'set': 'natural', 'generators': [[1, 2, 0]], 'action': [[1, 2, 0]]}
    """
    return {"group": X.group.name, "set": X.name,
            "generators": [[int(i) for i in g] for g in X.group.generators],
            "action": X.action.tolist()}


def family_gset(spec: Mapping, size: int | None = None) -> GSet:
    """The G-set an equivariant family was made on, from its spec (`TaskFamily.spec`
    or a checkpoint's task record): rebuilt from the group's ``generators`` and their
    ``action`` on X ([`gset_structure`][pltheory.msr.tasks.gset_structure]). Records written
    before those fields (library 0.1.0) name the group and the set instead; they are read by
    name, their image groups ("p4 on 6x6") with ``size`` = |X| pixels.

    Raises the errors of [`GSet`][pltheory.gsets.GSet] (not permutations, not an action)
    and of [`group`][pltheory.families.spec.group] (an unknown name).

    Examples
    --------
    >>> X = GSet.from_spec(from_generators([[1, 2, 3, 0]], name="quarter turns"), "pairs")
    >>> Y = family_gset(gset_structure(X))
    >>> Y.size, Y.group.order, bool((Y.action == X.action).all())
    (16, 4, True)
    """
    if spec.get("generators") is not None:
        G = from_generators(spec["generators"], name=spec.get("group") or "G")
        return GSet(G, spec["action"], name=spec.get("set") or "X")
    group_name, set_name = spec["group"], spec["set"]
    if group_name.startswith("p4") and size is not None:
        return image_gset(math.isqrt(size), flips=group_name.startswith("p4m"))
    return GSet.from_spec(group(group_name), set_name)


def family_from_spec(spec: Mapping, size: int | None = None, *, test_tasks: int | None = None) -> TaskFamily:
    """The task family a spec describes, regenerated from its seed: the translation family
    (rank, inputs, width) or an equivariant family on [`family_gset`][pltheory.msr.tasks.family_gset] (``size`` as
    there) of its ``depth`` (1 when the spec has none). With ``test_tasks``, only the first
    that many meta-test tasks (the same numbers; a family without meta-training tasks),
    which is all an analysis needs of a family of 10,000 tasks (or of 1,000 lifting tasks
    of 32 x 32 images, 2 GB).

    Examples
    --------
    >>> family = equivariant_tasks(GSet.natural(from_generators([[1, 2, 3, 0]])), num_tasks=10, seed=1)
    >>> bool((family_from_spec(family.spec).y == family.y).all())
    True
    >>> few = family_from_spec(family.spec, test_tasks=1)
    >>> few.num_train, bool((few.split("test")[1] == family.split("test")[1][:1]).all())
    (0, True)
    """
    if spec["task"] == "lifting":
        from .lifting import lifting_family_from_spec  # noqa: PLC0415 - lifting imports this module

        return lifting_family_from_spec(spec, keep=_test_range(spec, test_tasks))
    common = {"num_tasks": spec["num_tasks"], "examples": spec["examples"], "seed": spec["seed"],
              "num_train": spec.get("num_train"), "keep": _test_range(spec, test_tasks)}
    if spec["task"] == "translation":
        return translation_tasks(spec["rank"], inputs=spec["inputs"], width=spec["width"], **common)
    return equivariant_tasks(family_gset(spec, size), name=spec.get("name"), depth=spec.get("depth", 1), **common)


def _test_range(spec: Mapping, test_tasks: int | None) -> range | None:
    """The first ``test_tasks`` meta-test tasks of the family of ``spec`` (None: all tasks)."""
    if test_tasks is None:
        return None
    train = _num_train(spec["num_tasks"], spec.get("num_train"))
    return range(train, min(train + check_integer(test_tasks, "test_tasks", 1), spec["num_tasks"]))


def family_name(name: str, depth: int) -> str:
    """A family's name, with its depth when its tasks have more than one layer.

    >>> family_name("cyclic", 1), family_name("cyclic", 2)
    ('cyclic', 'cyclic, depth 2')
    """
    return name if depth == 1 else f"{name}, depth {depth}"


def equivariant_tasks(X: GSet, *, num_tasks: int = 2_000, examples: int = 20, num_train: int | None = None,
                      seed: int = 0, name: str | None = None, depth: int = 1,
                      keep: range | None = None) -> TaskFamily:
    """Tasks y = W x with W a Gaussian combination of the orbit basis of Hom_G(Fun X, Fun X),
    scaled so that E||W x||^2 = E||x||^2; with ``depth`` d > 1, G-equivariant ReLU networks
    y = W_d relu(W_{d-1} ... relu(W_1 x)).

    Every W_i has i.i.d. N(0, s^2) orbit coefficients: s^2 = |X| / |X x X| = 1 / |X| for
    W_1 (the one-layer family's), twice that (He's gain) for the layers after a ReLU, since
    relu halves E h^2 of a symmetric h. So E||h_i||^2 = E||x||^2 = |X| at every layer when
    each orbit of G on X x X meets each row at most once (C_n on n points: circulant W_i),
    and stays within a small factor otherwise. W_1 and x are drawn as for d = 1, the other
    layers' coefficients after them: depth 1 is the one-layer family, bit for bit, and the
    spec records ``depth`` only when it is above 1.

    Parameters
    ----------
    X : GSet
        The G-set; every task's map is G-equivariant on Fun(X).
    num_tasks, examples, num_train, seed :
        As for [`translation_tasks`][pltheory.msr.tasks.translation_tasks].
    name : str, optional
        The family's name; "G on X" (with the depth, [`family_name`][pltheory.msr.tasks.family_name]) by default.
    depth : int
        Linear layers of each task, 1 to `MAX_LAYERS`.
    keep : range, optional
        Only these tasks, as for [`translation_tasks`][pltheory.msr.tasks.translation_tasks].

    Returns
    -------
    TaskFamily
        With ``gset`` X and ``spec`` holding X by structure ([`gset_structure`][pltheory.msr.tasks.gset_structure]).

    Examples
    --------
    >>> import pltheory as pt
    >>> from pltheory.msr.tasks import equivariant_tasks
    >>> family = equivariant_tasks(pt.GSet.natural(pt.symmetric(3)), num_tasks=4, seed=0)
    >>> family.name, family.x.shape, family.spec["generators"]
    ('S3 on natural', (4, 20, 3), [[1, 0, 2], [1, 2, 0]])
    >>> deep = equivariant_tasks(pt.GSet.natural(pt.cyclic(8)), num_tasks=500, seed=0, depth=3)
    >>> deep.name, deep.spec["depth"], deep.depth, round(float((deep.y ** 2).mean()), 1)
    ('C8 on natural, depth 3', 3, 3, 1.0)
    """
    depth = check_integer(depth, "depth", 1, MAX_LAYERS)
    held, train = _kept(num_tasks, _num_train(num_tasks, num_train), keep)
    check_memory(family_bytes(held, examples, X.size, X.size) + held * X.size**2 * 8,
                 f"a family of {held} tasks on {X.size} points", "use fewer tasks or a smaller G-set")
    rng = np.random.default_rng(seed)
    basis = equivariant_basis(X, X)
    scale = np.sqrt(np.bincount(basis.labels.ravel(), minlength=basis.dim).sum() / X.size)
    coeffs = normal_rows(rng, (num_tasks, basis.dim), keep)
    coeffs /= scale
    W = coeffs[:, basis.labels]  # (tasks, |X|, |X|)
    x = normal_rows(rng, (num_tasks, examples, X.size), keep)
    y = np.einsum("tyx,tnx->tny", W, x)
    for _ in range(depth - 1):  # drawn after all a one-layer family draws, one layer at a time
        W = (normal_rows(rng, (num_tasks, basis.dim), keep) * (math.sqrt(2) / scale))[:, basis.labels]
        y = np.einsum("tyx,tnx->tny", W, np.maximum(y, 0.0))
    spec = {"task": "equivariant", **gset_structure(X), "num_tasks": num_tasks, "examples": examples, "seed": seed}
    if depth > 1:
        spec["depth"] = depth
    return TaskFamily(name or family_name(f"{X.group.name} on {X.name}", depth), x.astype(np.float32),
                      y.astype(np.float32), train, spec, gset=X)
