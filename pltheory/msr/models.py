"""The model factory: one shared linear layer of a named kind, fitted to a task family.

:data:`MODEL_KINDS` lists the kinds; :func:`make_model` builds a
:class:`~pltheory.msr.maml.MetaModel` of one layer of that kind for a family, asking the
family (its spec and its G-set) which kinds apply.

Examples
--------
>>> from pltheory.msr.tasks import translation_tasks
>>> family = translation_tasks(rank=2, num_tasks=10, seed=0)
>>> make_model("msr-fc", family).layers[0].k    # 3 taps x rank 2: the true sharing dimension
6
"""

from __future__ import annotations

import torch

from ..equivariant import equivariant_basis
from ..errors import ArgumentError
from .layers import (
    Convolution1d,
    Convolution2d,
    EquivariantLinear,
    FullyConnected,
    LocallyConnected,
    MSRConv2d,
    MSRLinear,
    SharedLinear,
)
from .maml import MetaModel
from .tasks import TaskFamily, pixel_side

#: The model kinds :func:`make_model` builds (and a checkpoint record may name).
MODEL_KINDS = ("fc", "lc", "conv", "msr-fc", "msr-conv", "equivariant")


def make_model(kind: str, family: TaskFamily, *, sharing_dim: int | None = None, seed: int = 0,
               inner_lr: float = 0.1) -> MetaModel:
    """One layer of the given kind for a task family.

    fc, msr-fc: any family. lc, conv: the 1-D translation family (its filter width).
    conv, msr-conv: families on the pixels of periodic images
    (:func:`~pltheory.msr.tasks.pixel_side`; full-size circular kernels). equivariant: a
    family made by :func:`~pltheory.msr.tasks.equivariant_tasks` (the orbit sharing of its
    G-set).

    Parameters
    ----------
    kind:
        One of :data:`MODEL_KINDS`.
    family:
        The task family the model is for.
    sharing_dim:
        k of MSR's U (default: the dimension of the family's true sharing subspace, 3 x
        rank for translations, dim Hom_G(Fun X, Fun X) for equivariant families).
    seed:
        Seeds torch and MSR's initial U.
    inner_lr:
        The initial inner learning rate (it is learned).

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
    """
    torch.manual_seed(seed)
    return MetaModel([_layer(kind, family, sharing_dim, seed)], inner_lr=inner_lr, kind=kind)


def _layer(kind: str, family: TaskFamily, sharing_dim: int | None, seed: int) -> SharedLinear:
    n_in, n_out = family.in_features, family.out_features
    translation = family.spec.get("task") == "translation"
    side = pixel_side(family.gset) if family.gset is not None else None
    if kind == "fc":
        return FullyConnected(n_in, n_out)
    if kind == "msr-fc":
        return MSRLinear(n_in, n_out, sharing_dim or true_dimension(family), seed=seed)
    if kind in ("lc", "conv") and translation:
        return (LocallyConnected if kind == "lc" else Convolution1d)(n_in, family.spec["width"])
    if kind in ("conv", "msr-conv") and side is not None:
        return (Convolution2d(side, side) if kind == "conv"
                else MSRConv2d(side, side, sharing_dim or true_dimension(family), seed=seed))
    if kind == "equivariant" and family.gset is not None:
        return EquivariantLinear(family.gset, family.gset)
    raise ArgumentError(f"model {kind!r} does not apply to the family {family.name!r}; kinds: {', '.join(MODEL_KINDS)}")


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
