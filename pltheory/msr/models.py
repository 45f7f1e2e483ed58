"""The model factory: shared linear layers of a named kind, fitted to a task family.

`MODEL_KINDS` lists the kinds; [`make_model`][pltheory.msr.models.make_model] builds a
[`MetaModel`][pltheory.msr.maml.MetaModel] of ``depth`` layers of that kind for a family
(ReLU between them; one layer, or the family's depth, by default), asking the family (its
spec and its G-set) which kinds apply.

Examples
--------
>>> from pltheory.msr.tasks import translation_tasks
>>> family = translation_tasks(rank=2, num_tasks=10, seed=0)
>>> make_model("msr-fc", family).layers[0].k    # 3 taps x rank 2: the true sharing dimension
6
"""

from __future__ import annotations

import math

import torch

from ..equivariant import equivariant_basis
from ..errors import ArgumentError
from ..limits import MAX_LAYERS
from ..validate import check_choice, check_integer
from .layers import (
    Convolution1d,
    Convolution2d,
    EquivariantLinear,
    FullyConnected,
    JointSharedLinear,
    LocallyConnected,
    MSRConv2d,
    MSRLinear,
    SharedLinear,
    uniform_v0,
)
from .lifting import LIFTING_KINDS, lifting_layer
from .maml import MetaModel
from .tasks import TaskFamily, pixel_side

#: The model kinds [`make_model`][pltheory.msr.models.make_model] builds (and a checkpoint record may name).
MODEL_KINDS = ("fc", "lc", "conv", "msr-fc", "mtsr-fc", "msr-joint-fc", "msr-conv", "equivariant")

#: How each kind is trained ([`pltheory.msr.train.train`][pltheory.msr.train.train]'s
#: ``method``): MTSR by multi-task learning, every other kind by MAML.
TRAINING_METHODS = {"mtsr-fc": "multitask"}

#: How a model's parameters start ([`make_model`][pltheory.msr.models.make_model]'s ``init``).
INITS = ("official", "zero")

#: k of MSR-FC's U for the translation family of each rank in the paper's official code
#: (its ``latent_size``); other ranks use 3 x rank, the true sharing dimension.
OFFICIAL_LATENT = {1: 3, 2: 6, 5: 30}


def make_model(kind: str, family: TaskFamily, *, sharing_dim: int | None = None, seed: int = 0,
               inner_lr: float = 0.1, init: str = "official", depth: int | None = None) -> MetaModel:
    """``depth`` layers of the given kind for a task family, ReLU between them.

    fc, msr-fc, mtsr-fc (MSR-FC's layer, trained by multi-task learning:
    `TRAINING_METHODS`), msr-joint-fc (MSR-FC whose inner loop adapts U too:
    [`JointSharedLinear`][pltheory.msr.layers.JointSharedLinear]): any family. lc, conv: the
    1-D translation family (its filter width). conv, msr-conv: families on the pixels of
    periodic images ([`pixel_side`][pltheory.msr.tasks.pixel_side]; full-size circular
    kernels). equivariant: a family made by
    [`equivariant_tasks`][pltheory.msr.tasks.equivariant_tasks] (the orbit sharing of its
    G-set).

    Parameters
    ----------
    kind:
        One of `MODEL_KINDS`.
    family:
        The task family the model is for.
    sharing_dim:
        k of MSR's U (default: the official code's for translations,
        `OFFICIAL_LATENT`; dim Hom_G(Fun X, Fun X) for equivariant families).
    seed:
        Seeds torch and MSR's initial U.
    inner_lr:
        The initial inner learning rate (it is learned).
    init:
        "official": the initial values the paper's official code starts from, PyTorch's
        defaults (every free weight of fc, lc and conv uniform in +-1/sqrt(fan-in));
        MSR's U Gaussian with standard deviation 0.01 and v0 with 1 / outputs. "zero":
        v0 = 0 (W = 0) and MSR's U Gaussian with variance 1 / inputs. Equivariant layers
        start at 0 either way. Both apply to the last layer of a deeper model (see depth).
    depth:
        Layers, 1 to `MAX_LAYERS` (default: the family's
        [`depth`][pltheory.msr.tasks.TaskFamily.depth]). Every layer is of the kind and maps
        Fun X to Fun X: an msr layer learns its own U, an equivariant layer has the orbit
        sharing, an fc layer is free. Layer i draws from the seeds ``seed + 3 i`` (its U),
        ``seed + 3 i + 1`` (``init``) and ``seed + 3 i + 2`` ([`hidden_init`][pltheory.msr.models.hidden_init]), so
        layer 0 is a one-layer model's. Every layer but the last then starts at random
        filters ([`hidden_init`][pltheory.msr.models.hidden_init]; at W = 0 no layer of a
        ReLU network gets a gradient), the last as ``init`` says. The translation family
        (R^70 -> R^68, in and out of different sizes) takes one layer only.

    Raises
    ------
    ArgumentError
        When the kind does not apply to the family.

    Examples
    --------
    >>> import pltheory as pt
    >>> from pltheory.msr.tasks import equivariant_tasks
    >>> family = equivariant_tasks(pt.GSet.natural(pt.symmetric(4)), num_tasks=10)
    >>> make_model("equivariant", family).layers[0].k   # aI + bJ
    2
    >>> [layer.k for layer in make_model("msr-fc", family, depth=2).layers]
    [2, 2]
    """
    init = check_choice(init, "init", INITS)
    if family.spec.get("task") == "lifting":  # one lifting convolution (pltheory.msr.lifting)
        if kind not in LIFTING_KINDS or depth not in (None, 1):
            raise ArgumentError(f"a lifting family takes one layer of {', '.join(LIFTING_KINDS)}, got {kind!r}"
                                + (f" of depth {depth}" if depth not in (None, 1) else ""))
        spec = family.spec
        torch.manual_seed(seed)
        return MetaModel([lifting_layer(kind, spec["group"], spec["size"], spec["fields"], seed=seed, init=init)],
                         inner_lr=inner_lr, kind=kind)
    depth = check_integer(family.depth if depth is None else depth, "depth", 1, MAX_LAYERS)
    if depth > 1 and family.in_features != family.out_features:
        raise ArgumentError(f"the family {family.name!r} maps R^{family.in_features} to R^{family.out_features}: "
                            f"its models have one layer, got depth {depth}")
    torch.manual_seed(seed)
    layers = []
    for i in range(depth):  # layer 0 as a one-layer model's, bit for bit
        layer = _layer(kind, family, sharing_dim, seed + 3 * i)
        if init == "official":
            _official_init(layer, kind, seed + 3 * i)
        if i < depth - 1:
            hidden_init(layer, seed + 3 * i + 2)
        layers.append(layer)
    return MetaModel(layers, inner_lr=inner_lr, kind=kind)


def hidden_init(layer: SharedLinear, seed: int) -> None:
    """Start a hidden layer of a deep model at Gaussian filters v0 (v of MSR-Joint's), scaled
    so that W's entries have mean square 2 / inputs: He's initialisation, which keeps
    E||h||^2 from layer to layer through a ReLU. U is left as it is.

    >>> from pltheory.msr.layers import EquivariantLinear
    >>> from pltheory.gsets import GSet
    >>> from pltheory.families import cyclic
    >>> layer = EquivariantLinear(GSet.natural(cyclic(8)), GSet.natural(cyclic(8)))
    >>> hidden_init(layer, seed=0)
    >>> round(layer.weight(layer.v0[None]).pow(2).mean().item(), 4)    # 2 / 8
    0.25
    """
    latent = layer.latent  # MSR-Joint's v0 holds vec(U0), then v0
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        layer.v0[-latent:] = torch.randn(latent, generator=generator)
        rms = layer.weight(layer.v0[None]).pow(2).mean().sqrt()
        layer.v0[-latent:] *= math.sqrt(2 / layer.in_features) / rms


def warm_start_sharing(model: MetaModel, source: MetaModel, *, seed: int = 0) -> None:
    """Start every layer of a deep MSR model at the sharing a one-layer MSR model learned:
    each layer's U is a copy of ``source``'s, the last layer starts at ``source``'s filters
    v0 and the model at its inner learning rate, and the hidden layers' filters are drawn
    again by [`hidden_init`][pltheory.msr.models.hidden_init] (seeds ``seed + i``) for the
    copied U. Meta-trained from scratch, a deep MSR-FC's hidden layers do not find the
    symmetry a one-layer model finds (docs/msr.md measures it on C_12): this is the
    curriculum that gives them the symmetry to start from, and meta-training then shows
    whether they keep it.

    Raises
    ------
    ArgumentError
        ``source`` is not a one-layer model whose U is learned, or its layer does not have
        the shape and k of every layer of ``model``, or ``model``'s U are not learned.

    Examples
    --------
    >>> import pltheory as pt
    >>> from pltheory.msr.tasks import equivariant_tasks
    >>> X = pt.GSet.natural(pt.cyclic(6))
    >>> one = make_model("msr-fc", equivariant_tasks(X, num_tasks=4, seed=0))
    >>> deep = make_model("msr-fc", equivariant_tasks(X, num_tasks=4, seed=0, depth=3))
    >>> warm_start_sharing(deep, one)
    >>> all(torch.equal(layer.sharing, one.layers[0].sharing) for layer in deep.layers)
    True
    """
    if len(source.layers) != 1 or not _learns_sharing(source.layers[0]):
        raise ArgumentError(f"the sharing is taken from a one-layer model whose U is learned (msr-fc, mtsr-fc); "
                            f"got {len(source.layers)} layer(s) of {source.kind}")
    first = source.layers[0]
    shape = (first.in_features, first.out_features, first.k)
    for i, layer in enumerate(model.layers):
        if not _learns_sharing(layer) or (layer.in_features, layer.out_features, layer.k) != shape:
            raise ArgumentError(f"layer {i + 1} ({layer!r}) cannot start at the sharing of {first!r}: "
                                f"it needs a learned U of the same shape and k")
    with torch.no_grad():
        for i, layer in enumerate(model.layers):
            layer.sharing.copy_(first.sharing)
            if i < len(model.layers) - 1:
                hidden_init(layer, seed + i)
        model.layers[-1].v0.copy_(first.v0)
        model.inner_lr.copy_(source.inner_lr)


def _learns_sharing(layer: SharedLinear) -> bool:
    """Whether a layer is an MSR layer with a meta-learned U (not MSR-Joint's adapted one)."""
    return isinstance(layer.sharing, torch.nn.Parameter) and not isinstance(layer, JointSharedLinear)


def _official_init(layer: SharedLinear, kind: str, seed: int) -> None:
    """Set a layer's starting values as the official code's layer of that kind starts:
    PyTorch's default for free weights (uniform in +-1/sqrt(fan-in), fan-in the inputs
    one output sums over), ShareLinearFull's for MSR (U ~ N(0, 0.01^2), v0 ~ N(0, 1/out^2))."""
    generator = torch.Generator().manual_seed(seed + 1)
    with torch.no_grad():
        if kind in ("msr-fc", "mtsr-fc", "msr-joint-fc"):
            rows = layer.in_features * layer.out_features
            latent = layer.latent
            U = 0.01 * torch.randn(rows, latent, generator=generator)
            v = torch.randn(latent, generator=generator) / layer.out_features
            if isinstance(layer, JointSharedLinear):
                layer.v0.copy_(torch.cat([U.reshape(-1), v]))
            else:
                layer.sharing.copy_(U)
                layer.v0.copy_(v)
    if kind in ("fc", "lc", "conv"):
        fan_in = layer.in_features if kind == "fc" else layer.in_features - layer.out_features + 1
        uniform_v0(layer, seed, layer.k if layer.base is not None else fan_in)  # base: 2-D convolutions, k taps


def _layer(kind: str, family: TaskFamily, sharing_dim: int | None, seed: int) -> SharedLinear:
    n_in, n_out = family.in_features, family.out_features
    translation = family.spec.get("task") == "translation"
    side = pixel_side(family.gset) if family.gset is not None else None
    if kind == "fc":
        return FullyConnected(n_in, n_out)
    if kind in ("msr-fc", "mtsr-fc"):
        return MSRLinear(n_in, n_out, sharing_dim or default_sharing_dim(family), seed=seed)
    if kind == "msr-joint-fc":
        return JointSharedLinear(n_in, n_out, sharing_dim or default_sharing_dim(family), seed=seed)
    if kind in ("lc", "conv") and translation:
        return (LocallyConnected if kind == "lc" else Convolution1d)(n_in, family.spec["width"])
    if kind in ("conv", "msr-conv") and side is not None:
        return (Convolution2d(side, side) if kind == "conv"
                else MSRConv2d(side, side, sharing_dim or true_dimension(family), seed=seed))
    if kind == "equivariant" and family.gset is not None:
        return EquivariantLinear(family.gset, family.gset)
    raise ArgumentError(f"model {kind!r} does not apply to the family {family.name!r}; kinds: {', '.join(MODEL_KINDS)}")


def default_sharing_dim(family: TaskFamily) -> int:
    """MSR's k by default: the official code's latent size for the translation family
    (`OFFICIAL_LATENT`: 3, 6 and 30 for ranks 1, 2 and 5, the last twice the true dimension
    15), else [`true_dimension`][pltheory.msr.models.true_dimension].

    >>> from pltheory.msr.tasks import translation_tasks
    >>> default_sharing_dim(translation_tasks(rank=5, num_tasks=4, inputs=6, seed=0))
    30
    """
    if family.spec.get("task") == "translation":
        return OFFICIAL_LATENT.get(family.spec["rank"], true_dimension(family))
    return true_dimension(family)


def true_dimension(family: TaskFamily) -> int:
    """The dimension of the subspace the family's weights span: 3 x rank for the
    translation family (3 taps), dim Hom_G(Fun X, Fun X) for an equivariant family.

    Examples
    --------
    >>> from pltheory.msr.tasks import image_gset, equivariant_tasks
    >>> true_dimension(equivariant_tasks(image_gset(3), num_tasks=4))   # 9 offsets, 4 rotations
    3
    """
    if family.spec.get("task") == "translation":
        return 3 * family.spec["rank"]
    if family.gset is None:
        raise ArgumentError(f"the family {family.name!r} has no G-set nor rank; give sharing_dim")
    return equivariant_basis(family.gset, family.gset).dim
