"""MSR's rotation and rotation+flip experiment with exact grid symmetries: lifting convolutions.

Zhou, Knowles and Finn (ICLR 2021, Sec. 5.2) meta-learn the sharing of a group convolution
that *lifts* a one-channel image to ``fields`` copies of the regular representation of a
point group H: a task is y = K * x with a random H-equivariant filter bank K (3 x 3 taps),
and a model adapts its filter bank to each task from one example.

The point groups here are the exact symmetries of the pixel grid: H = C_4 (``"p4"``, the
four 90-degree rotations) or H = D_4 (``"p4m"``, with reflections). The paper used 45-degree
rotations (C_8): those are not symmetries of the grid (a rotated 3 x 3 filter falls between
pixels) and need interpolated steerable filters, which this module does not use.

Conventions
-----------
* Taps t = 3 a + b of a 3 x 3 filter sit at offsets d = (a - 1, b - 1) (row, column); a
  lifting layer is the circular cross-correlation y[o, p] = sum_t K[o, t] x[p + d_t] on
  s x s periodic images (pixel p = row * s + column, indices mod s). Periodic (circular)
  padding keeps the output s x s and makes the symmetry exact on the torus, translations
  included; the paper used no padding (30 x 30 outputs), whose borders break it.
* H acts on Z^2 by integer 2 x 2 matrices: the rotation r(a, b) = (b, -a) (a quarter turn,
  ``np.rot90(image, -1)`` up to a translation) and, for D_4, the reflection m(a, b) = (a, -b)
  (``np.flip(image, -1)`` up to a translation). Elements are listed by
  [`point_group`][pltheory.msr.lifting.point_group], the identity first; on images (h.x)[p]
  = x[h^-1 p] (about pixel 0, mod s).
* Output channel o = f |H| + g is field f at group element g; h acts on channels by left
  multiplication, (f, g) -> (f, h g), and on outputs by (h.y)[(f, g), p] = y[(f, h^-1 g), h^-1 p].
* The lifting constraint (Cohen and Welling 2016): K * (h.x) = h.(K * x) for every h iff
  K[(f, h g), h.d] = K[(f, g), d], i.e. K[(f, g), d] = psi_f(g^-1 d) for ``fields`` free
  filters psi_f. H acts freely on (channel, tap) pairs, so the fixed subspace has dimension
  ``fields`` x 9 = 27 for both groups ([`lifting_sharing`][pltheory.msr.lifting.lifting_sharing]).

Examples
--------
>>> U = lifting_sharing("p4")
>>> U.shape, int(U.sum()), int(np.linalg.matrix_rank(U))
((108, 27), 108, 27)
>>> family = lifting_tasks("p4m", num_tasks=4, size=6, seed=0)
>>> family.x.shape, family.y.shape, family.spec["group"]
((4, 20, 36), (4, 20, 864), 'p4m')
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ..errors import ArgumentError
from ..limits import check_memory
from ..validate import check_choice, check_integer
from .layers import uniform_v0
from .tasks import TaskFamily, _kept, _num_train, normal_rows

#: The point groups: p4 (C_4, quarter turns) and p4m (D_4, quarter turns and reflections).
GROUPS = ("p4", "p4m")

#: Generators of each point group as integer matrices acting on (row, column) offsets.
ROTATION = np.array([[0, 1], [-1, 0]])
REFLECTION = np.array([[1, 0], [0, -1]])
GENERATORS = {"p4": (ROTATION,), "p4m": (ROTATION, REFLECTION)}

#: The 3 x 3 taps' offsets (row, column), tap t = 3 a + b at (a - 1, b - 1).
OFFSETS = np.array([(a - 1, b - 1) for a in range(3) for b in range(3)])

#: The layer kinds [`lifting_layer`][pltheory.msr.lifting.lifting_layer] builds: MAML-Conv, MSR-Conv, the true
#: symmetry.
LIFTING_KINDS = ("conv", "msr-conv", "equivariant")

#: Tasks generated at a time by [`lifting_tasks`][pltheory.msr.lifting.lifting_tasks]
#: (float32 temporaries of this many tasks).
CHUNK = 4


def point_group(group: str) -> np.ndarray:
    """The elements of H as integer matrices (|H|, 2, 2), the identity first, then the
    closure of the generators in breadth-first order (words in the generators).

    Examples
    --------
    >>> [m.tolist() for m in point_group("p4")]
    [[[1, 0], [0, 1]], [[0, 1], [-1, 0]], [[-1, 0], [0, -1]], [[0, -1], [1, 0]]]
    >>> len(point_group("p4m"))
    8
    """
    group = check_choice(group, "group", GROUPS)
    elements = [np.eye(2, dtype=int)]
    known = {elements[0].tobytes()}
    frontier = list(elements)
    while frontier:
        new = []
        for g in frontier:
            for s in GENERATORS[group]:
                h = s @ g
                if h.tobytes() not in known:
                    known.add(h.tobytes())
                    new.append(h)
        elements += new
        frontier = new
    return np.array(elements)


def _index(elements: np.ndarray, matrix: np.ndarray) -> int:
    """The position of ``matrix`` among the elements."""
    return int(np.flatnonzero((elements == matrix).all(axis=(1, 2)))[0])


def multiplication_table(group: str) -> np.ndarray:
    """table[h, g] = index of the product h g (|H| x |H|): row h is left multiplication.

    >>> multiplication_table("p4").tolist()
    [[0, 1, 2, 3], [1, 2, 3, 0], [2, 3, 0, 1], [3, 0, 1, 2]]
    """
    elements = point_group(group)
    return np.array([[_index(elements, h @ g) for g in elements] for h in elements])


def generator_indices(group: str) -> list[int]:
    """The positions of the generators (rotation, then reflection) among the elements.

    >>> generator_indices("p4"), generator_indices("p4m")
    ([1], [1, 2])
    """
    elements = point_group(group)
    return [_index(elements, s) for s in GENERATORS[check_choice(group, "group", GROUPS)]]


def tap_action(group: str) -> np.ndarray:
    """``act[h][t]`` is the tap h.t: (|H|, 9) permutations of the 3 x 3 taps about the centre.

    Examples
    --------
    >>> tap_action("p4")[1].reshape(3, 3).tolist()     # where each tap goes under a quarter turn
    [[2, 5, 8], [1, 4, 7], [0, 3, 6]]
    """
    moved = np.einsum("hij,tj->hti", point_group(group), OFFSETS) + 1  # (|H|, 9, 2) in 0..2
    return moved[..., 0] * 3 + moved[..., 1]


def filter_bank_action(group: str, fields: int = 3) -> np.ndarray:
    """The action of H's generators on the filter-bank index set (channel, tap), point
    o * 9 + t with o = f |H| + g: ``act[s][(f, g, t)] = (f, s g, s.t)``, one row per generator
    ([`generator_indices`][pltheory.msr.lifting.generator_indices]), as [`GSet`][pltheory.gsets.GSet] stores actions.

    >>> act = filter_bank_action("p4", fields=1)
    >>> act.shape, act[0, :9].tolist()                 # (g = e, tap t) -> (g = r, r.t)
    ((1, 36), [11, 14, 17, 10, 13, 16, 9, 12, 15])
    """
    fields = check_integer(fields, "fields", 1)
    table, taps = multiplication_table(group), tap_action(group)
    order = len(table)
    f, g, t = np.meshgrid(np.arange(fields), np.arange(order), np.arange(9), indexing="ij")
    return np.array([((f * order + table[s][g]) * 9 + taps[s][t]).ravel() for s in generator_indices(group)])


def lifting_sharing(group: str, fields: int = 3) -> np.ndarray:
    """The (c_out * 9, fields * 9) 0/1 orbit-indicator matrix U of H-equivariant lifting
    filter banks, c_out = fields |H|: vec(K) = U v with v (fields, 9) the filters psi_f,
    K[(f, g), g.t] = psi_f[t]. Column f * 9 + t is the orbit of (f, e, t); rows are
    (channel, tap) row-major, as ``K.ravel()`` of a (c_out, 9) bank.

    >>> U = lifting_sharing("p4m", fields=1)
    >>> U.shape, U.sum(axis=0).tolist() == [8.0] * 9      # each orbit: one entry per element
    ((72, 9), True)
    """
    fields = check_integer(fields, "fields", 1)
    taps = tap_action(group)
    order = len(taps)
    check_memory(8 * order * (9 * fields) ** 2, f"the lifting sharing matrix of {fields} fields", "use fewer fields")
    U = np.zeros((fields, order, 9, fields, 9))
    f, g, t = np.meshgrid(np.arange(fields), np.arange(order), np.arange(9), indexing="ij")
    U[f, g, taps[g, t], f, t] = 1.0
    return U.reshape(fields * order * 9, fields * 9)


def act_on_images(x: np.ndarray, group: str, h: int) -> np.ndarray:
    """h.x for images x (..., s, s): (h.x)[p] = x[h^-1 p], pixel coordinates mod s.

    >>> x = np.arange(9).reshape(3, 3)
    >>> act_on_images(x, "p4", 1).tolist()      # a quarter turn about pixel 0
    [[0, 6, 3], [1, 7, 4], [2, 8, 5]]
    """
    s = x.shape[-1]
    inverse = np.linalg.inv(point_group(group)[h]).round().astype(int)
    rows, cols = np.meshgrid(np.arange(s), np.arange(s), indexing="ij")
    source = np.einsum("ij,jrc->irc", inverse, np.stack([rows, cols])) % s
    return x[..., source[0], source[1]]


def act_on_outputs(y: np.ndarray, group: str, h: int, fields: int = 3) -> np.ndarray:
    """h.y for lifted outputs y (..., c_out, s, s): (h.y)[(f, g), p] = y[(f, h^-1 g), h^-1 p].

    >>> y = np.arange(4 * 4).reshape(4, 2, 2)                  # one field of p4 on 2 x 2 images
    >>> act_on_outputs(y, "p4", 1, fields=1)[:, 0, 0].tolist()   # channel g <- channel r^-1 g
    [12, 0, 4, 8]
    """
    table = multiplication_table(group)
    order = len(table)
    inverse = int(np.flatnonzero(table[:, h] == 0)[0])
    source = (np.arange(fields)[:, None] * order + table[inverse][None, :]).ravel()
    return act_on_images(y[..., source, :, :], group, h)


def lifting_conv(x: torch.Tensor, bank: torch.Tensor, size: int) -> torch.Tensor:
    """Each task's circular lifting convolution: x (T, N, s * s), bank (T, c_out, 9) ->
    (T, N, c_out * s * s), one ``conv2d`` call with the tasks as groups.

    >>> x = torch.zeros(1, 1, 9); x[0, 0, 0] = 1.0              # a point at pixel 0
    >>> bank = torch.arange(9.0).reshape(1, 1, 9)
    >>> lifting_conv(x, bank, 3).reshape(3, 3).tolist()       # y[p] = K[d] where p + d = 0
    [[4.0, 3.0, 5.0], [1.0, 0.0, 2.0], [7.0, 6.0, 8.0]]
    """
    tasks, examples = x.shape[0], x.shape[1]
    channels = bank.shape[1]
    images = x.reshape(tasks, examples, size, size).transpose(0, 1)  # (N, T, s, s): tasks as channels
    images = F.pad(images, (1, 1, 1, 1), mode="circular")
    out = F.conv2d(images, bank.reshape(tasks * channels, 1, 3, 3), groups=tasks)  # (N, T c_out, s, s)
    return out.reshape(examples, tasks, channels * size * size).transpose(0, 1)


def lifting_bytes(num_tasks: int, examples: int, size: int, channels: int) -> int:
    """Memory of a lifting family: float32 inputs and targets, and float32 temporaries
    (padded images, outputs) of `CHUNK` tasks.

    >>> lifting_bytes(2000, 20, 32, 12)          # p4, 3 fields: 2.1 GB, just under the 2 GiB limit
    2138439680
    >>> lifting_bytes(1000, 20, 32, 24)          # p4m: 2,000 tasks would need 4.1 GB
    2064384000
    """
    per_task = examples * size * size * (1 + channels)
    return num_tasks * per_task * 4 + min(CHUNK, num_tasks) * per_task * 4 * 2


def lifting_tasks(group: str = "p4", *, num_tasks: int = 1_000, examples: int = 20, size: int = 32, fields: int = 3,
                  num_train: int | None = None, seed: int = 0, keep: range | None = None) -> TaskFamily:
    """Tasks y = K * x: a circular lifting convolution of Gaussian images with a random
    H-equivariant filter bank per task.

    K = U v (U [`lifting_sharing`][pltheory.msr.lifting.lifting_sharing]) with v ~ N(0, 1/9)
    per task (scale 1/3), so every output pixel is a sum of 9 products of unit Gaussians
    with weights of variance 1/9: E y^2 = 1. Images are drawn in float32 and convolved in
    float32 (`CHUNK` tasks at a time), so a family is never held twice.

    Parameters
    ----------
    group : str
        "p4" (C_4) or "p4m" (D_4).
    num_tasks, examples : int
        How many tasks (1,000 by default, where the paper had 10,000 / 2,000: at 32 x 32 a
        p4m family takes 2 GB per 1,000 tasks), and examples (images) per task.
    size : int
        Images are size x size, periodic; outputs c_out x size x size, c_out = fields |H|.
    fields : int
        Copies of the regular representation in the output.
    num_train : int, optional
        Meta-training tasks; 80% by default.
    seed : int
        Seed of the numpy Generator: the coefficients of all tasks first, then the images.
    keep : range, optional
        Only these tasks, as for [`translation_tasks`][pltheory.msr.tasks.translation_tasks].

    Returns
    -------
    TaskFamily
        x (tasks, examples, size^2), y (tasks, examples, c_out size^2) in float32, and a
        spec that regenerates it ([`lifting_family_from_spec`][pltheory.msr.lifting.lifting_family_from_spec]).

    Raises
    ------
    TooLargeError
        When the arrays need more than the memory budget (p4m at 32 x 32 takes 2 GB per
        1,000 tasks).

    Examples
    --------
    >>> family = lifting_tasks("p4", num_tasks=4, size=8, seed=0)
    >>> family.name, family.y.shape, family.spec["task"], family.spec["fields"]
    ('lifting p4', (4, 20, 768), 'lifting', 3)
    """
    group = check_choice(group, "group", GROUPS)
    num_tasks = check_integer(num_tasks, "num_tasks", 2)
    examples, size = check_integer(examples, "examples", 2), check_integer(size, "size", 3)
    fields = check_integer(fields, "fields", 1)
    U = lifting_sharing(group, fields)
    channels = U.shape[0] // 9
    held, train = _kept(num_tasks, _num_train(num_tasks, num_train), keep)
    check_memory(lifting_bytes(held, examples, size, channels),
                 f"a lifting family of {held} tasks of {examples} {size} x {size} images",
                 "use fewer tasks or smaller images")
    rng = np.random.default_rng(seed)
    coeffs = rng.normal(scale=1 / 3, size=(num_tasks, U.shape[1]))  # every task's: a few numbers each
    if keep is not None:
        coeffs = coeffs[keep.start:keep.stop]
    banks = torch.as_tensor((coeffs @ U.T).reshape(held, channels, 9), dtype=torch.float32)
    x = normal_rows(rng, (num_tasks, examples, size * size), keep, dtype=np.float32)
    y = np.empty((held, examples, channels * size * size), dtype=np.float32)
    with torch.no_grad():
        for start in range(0, held, CHUNK):
            stop = min(start + CHUNK, held)
            y[start:stop] = lifting_conv(torch.from_numpy(x[start:stop]), banks[start:stop], size).numpy()
    spec = {"task": "lifting", "group": group, "num_tasks": num_tasks, "examples": examples, "size": size,
            "fields": fields, "num_train": _num_train(num_tasks, num_train), "seed": seed}
    return TaskFamily(f"lifting {group}", x, y, train, spec)


def lifting_family_from_spec(spec: Mapping, keep: range | None = None) -> TaskFamily:
    """The lifting family a spec describes (`TaskFamily.spec` of [`lifting_tasks`][pltheory.msr.lifting.lifting_tasks]),
    or only the tasks in ``keep``.

    >>> family = lifting_tasks("p4", num_tasks=3, size=4, seed=2)
    >>> bool((lifting_family_from_spec(family.spec).y == family.y).all())
    True
    >>> bool((lifting_family_from_spec(family.spec, keep=range(2, 3)).y == family.y[2:]).all())
    True
    """
    if spec.get("task") != "lifting":
        raise ArgumentError(f"not a lifting family spec: task {spec.get('task')!r}")
    return lifting_tasks(spec["group"], num_tasks=spec["num_tasks"], examples=spec["examples"], size=spec["size"],
                         fields=spec["fields"], num_train=spec.get("num_train"), seed=spec["seed"], keep=keep)


class LiftingConv(nn.Module):
    """A circular lifting convolution 1 -> c_out channels, 3 x 3 taps, with vec(K) = U v.

    The same interface as [`SharedLinear`][pltheory.msr.layers.SharedLinear]: ``forward(x
    (T, N, s^2), v (T, k)) -> (T, N, c_out s^2)``; ``weight(v)`` is each task's filter bank
    (T, c_out, 9), never a dense matrix; ``effective_sharing()`` the (c_out * 9, k) U.

    Parameters
    ----------
    size : int
        Images are size x size.
    out_channels : int
        c_out.
    sharing : array, optional
        A fixed U (c_out * 9, k); ``None``: every tap free (k = c_out * 9, MAML-Conv).
    kind : str
        The name the model reports.

    Examples
    --------
    >>> layer = LiftingConv(8, 12, lifting_sharing("p4"), kind="equivariant p4")
    >>> layer, layer(torch.ones(2, 5, 64), torch.zeros(2, 27)).shape
    (LiftingConv(equivariant p4: 64 -> 768, k=27), torch.Size([2, 5, 768]))
    """

    def __init__(self, size: int, out_channels: int, sharing: np.ndarray | None = None, kind: str = "conv") -> None:
        super().__init__()
        self.size, self.out_channels, self.kind = size, out_channels, kind
        self.in_features, self.out_features = size * size, out_channels * size * size
        self.base = None  # as SharedLinear's: no fixed placement matrix (conv2d places the taps)
        if sharing is None:
            self.sharing = None
            self.k = out_channels * 9
        else:
            if sharing.shape[0] != out_channels * 9:
                raise ArgumentError(f"sharing matrix has {sharing.shape[0]} rows, expected {out_channels * 9}")
            self.register_buffer("sharing", torch.as_tensor(sharing, dtype=torch.float32))
            self.k = int(sharing.shape[1])
        self.v0 = nn.Parameter(torch.zeros(self.k))

    def weight(self, v: torch.Tensor) -> torch.Tensor:
        """Each task's filter bank (T, c_out, 9) from its filters v (T, k).

        >>> LiftingConv(4, 2).weight(torch.arange(18.0)[None])[0, 1].tolist()
        [9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0]
        """
        flat = v if self.sharing is None else v @ self.sharing.T
        return flat.reshape(v.shape[0], self.out_channels, 9)

    def effective_sharing(self) -> torch.Tensor:
        """U (c_out * 9, k): the identity for free taps.

        >>> LiftingConv(4, 2).effective_sharing().shape
        torch.Size([18, 18])
        """
        return self.sharing if self.sharing is not None else torch.eye(self.k)

    def forward(self, x: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
        """x (T, N, s^2), v (T, k) -> (T, N, c_out s^2).

        >>> LiftingConv(4, 2)(torch.ones(1, 3, 16), torch.ones(1, 18)).shape
        torch.Size([1, 3, 32])
        """
        return lifting_conv(x, self.weight(v), self.size)

    def extra_repr(self) -> str:
        """The kind, sizes and number of adapted parameters.

        >>> LiftingConv(4, 2).extra_repr()
        'conv: 16 -> 32, k=18'
        """
        return f"{self.kind}: {self.in_features} -> {self.out_features}, k={self.k}"


class KroneckerLiftingConv(LiftingConv):
    """MSR-Conv as the official ``ShareConv2d``: vec(K_eff) = (A (x) B (x) C) vec(K) with
    A (c_out x c_out), B (c_in x c_in, here 1 x 1) and C (9 x 9) learned by the outer loop,
    the identity at the start; the inner loop adapts K (v, k = c_out * 9) only.

    U is square, so it restricts no filter bank: it only sets the metric of the inner step,
    K_eff moving by -rate U U^T grad. A single Kronecker product cannot be the orthogonal
    projector onto the equivariant banks, P = (1/|H|) sum_h (channel move of h) (x) (tap
    move of h): P's operator Schmidt rank is 4 (p4) or 7 (p4m), and the nearest A (x) C
    misses it by 82% in Frobenius norm
    ([`kronecker_distance`][pltheory.msr.lifting.kronecker_distance]). A rank-27 A (x) C
    spans (span A) (x) R^9, never the equivariant subspace either.

    >>> layer = KroneckerLiftingConv(4, 2)
    >>> layer, [tuple(p.shape) for p in (layer.A, layer.B, layer.C)]
    (KroneckerLiftingConv(msr-conv: 16 -> 32, k=18), [(2, 2), (1, 1), (9, 9)])
    """

    def __init__(self, size: int, out_channels: int, kind: str = "msr-conv") -> None:
        super().__init__(size, out_channels, None, kind=kind)
        self.A = nn.Parameter(torch.eye(out_channels))
        self.B = nn.Parameter(torch.eye(1))
        self.C = nn.Parameter(torch.eye(9))

    def weight(self, v: torch.Tensor) -> torch.Tensor:
        """K_eff[o, i, t] = sum A[o, o'] B[i, i'] C[t, t'] K[o', i', t'], (T, c_out, 9).

        >>> layer = KroneckerLiftingConv(4, 2)
        >>> v = torch.randn(3, 18)
        >>> bool(torch.allclose(layer.weight(v).reshape(3, 18), v @ layer.effective_sharing().T))
        True
        """
        K = v.reshape(v.shape[0], self.out_channels, 1, 9)
        return torch.einsum("ao,bi,ct,noit->nabc", self.A, self.B, self.C, K).reshape(v.shape[0], self.out_channels, 9)

    def effective_sharing(self) -> torch.Tensor:
        """U = A (x) B (x) C, (c_out * 9, c_out * 9).

        >>> bool((KroneckerLiftingConv(4, 2).effective_sharing() == torch.eye(18)).all())
        True
        """
        return torch.kron(torch.kron(self.A, self.B), self.C)


def kronecker_distance(group: str, fields: int = 3) -> tuple[int, float]:
    """How far the equivariant projector P = U U^T / |H| (U [`lifting_sharing`][pltheory.msr.lifting.lifting_sharing])
    is from any Kronecker product A (x) C over (channel, tap): its operator Schmidt rank
    (the rank of P rearranged as a (c_out^2, 81) matrix, 1 for a Kronecker product) and the
    relative Frobenius distance to the nearest A (x) C (Van Loan and Pitsianis).

    >>> kronecker_distance("p4"), kronecker_distance("p4m")[0]
    ((4, 0.816), 7)
    """
    U = lifting_sharing(group, fields)
    channels = U.shape[0] // 9
    P = U @ U.T / (channels // fields)
    R = P.reshape(channels, 9, channels, 9).transpose(0, 2, 1, 3).reshape(channels**2, 81)
    singular = np.linalg.svd(R, compute_uv=False)
    rank = int((singular > 1e-9 * singular[0]).sum())
    return rank, round(float(np.sqrt((singular[1:] ** 2).sum() / (singular**2).sum())), 3)


def lifting_layer(kind: str, group: str, size: int, fields: int = 3, *, seed: int = 0,
                  init: str = "official") -> LiftingConv:
    """The layer of a kind (`LIFTING_KINDS`) for a lifting family: "conv" (MAML-Conv,
    every tap free), "msr-conv" ([`KroneckerLiftingConv`][pltheory.msr.lifting.KroneckerLiftingConv]), both with v0 at
    Conv2d's initial values (``init`` "official"; "zero": v0 = 0), or "equivariant" (U =
    [`lifting_sharing`][pltheory.msr.lifting.lifting_sharing], k = 27, v0 = 0). The layer's
    ``structure`` records what rebuilds it
    ([`rebuild_lifting_layer`][pltheory.msr.lifting.rebuild_lifting_layer]).

    >>> layer = lifting_layer("equivariant", "p4m", 8)
    >>> layer, layer.structure
    (LiftingConv(equivariant p4m: 64 -> 1536, k=27), {'kind': 'equivariant', 'group': 'p4m', 'size': 8, 'fields': 3})
    """
    kind = check_choice(kind, "kind", LIFTING_KINDS)
    init = check_choice(init, "init", ("official", "zero"))
    size, fields = check_integer(size, "size", 3), check_integer(fields, "fields", 1)
    U = lifting_sharing(group, fields)
    channels = U.shape[0] // 9
    if kind == "equivariant":
        layer = LiftingConv(size, channels, U, kind=f"equivariant {group}")
    else:
        layer = LiftingConv(size, channels) if kind == "conv" else KroneckerLiftingConv(size, channels)
        if init == "official":
            uniform_v0(layer, seed, fan_in=9)  # PyTorch's Conv2d: 9 taps
    layer.structure = {"kind": kind, "group": group, "size": size, "fields": fields}
    return layer


def rebuild_lifting_layer(structure: Mapping, state: Mapping[str, torch.Tensor], prefix: str = "") -> LiftingConv:
    """A layer from its ``structure`` and a state dict (a checkpoint's, untrusted): built by
    [`lifting_layer`][pltheory.msr.lifting.lifting_layer], then every tensor checked for its
    name and shape and copied in.

    >>> layer = lifting_layer("msr-conv", "p4", 4)
    >>> again = rebuild_lifting_layer(layer.structure, layer.state_dict())
    >>> bool(torch.equal(again.v0, layer.v0) and torch.equal(again.A, layer.A))
    True
    """
    layer = lifting_layer(structure["kind"], structure["group"], structure["size"], structure["fields"], init="zero")
    own = layer.state_dict()
    given = {name[len(prefix):]: tensor for name, tensor in state.items() if name.startswith(prefix)}
    if set(given) != set(own):
        raise ArgumentError(f"a {structure['kind']} lifting layer holds {sorted(own)}, the state {sorted(given)}")
    for name, tensor in given.items():
        if not isinstance(tensor, torch.Tensor) or tensor.shape != own[name].shape:
            raise ArgumentError(f"{name}: expected shape {tuple(own[name].shape)}")
    if "sharing" in own and not torch.equal(given["sharing"].float(), own["sharing"]):
        raise ArgumentError("the fixed sharing is not the lifting sharing of the recorded group")
    layer.load_state_dict(given)
    return layer


def true_subspace(family: TaskFamily) -> np.ndarray:
    """The family's true sharing subspace, [`lifting_sharing`][pltheory.msr.lifting.lifting_sharing] of its group and
    fields.

    >>> true_subspace(lifting_tasks("p4m", num_tasks=2, size=4)).shape
    (216, 27)
    """
    return lifting_sharing(family.spec["group"], family.spec["fields"])
