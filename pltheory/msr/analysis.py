"""What a meta-trained checkpoint learned (``pltheory analyze`` and ``pltheory report``).

:func:`analyze_checkpoint` answers, for the first layer of a checkpoint: which sharing
subspace explains the learned U and the task-adapted weights (principal angles against
:func:`pltheory.analysis.candidate_sharings`), which permutation group preserves the
sharing pattern of an adapted weight, how far the weights are from equivariance under the
analysis group, their spectrum over its irreducibles, the interaction graph of that group,
and the frequency flow through a ReLU on real inputs. The analysis group is the pattern
group when it is not trivial, else (``group="auto"``) C_n on the n inputs with the outputs
embedded by zero padding (:func:`pltheory.analysis.embed_in_cyclic`): for a convolution
without padding the pattern group is trivial, and the padded rows measure the boundary.

The tools are those of :mod:`pltheory.analysis` (no torch); this module adds what needs
the checkpoint: loading it, regenerating its tasks from the record and adapting the model
to them. :mod:`pltheory.report` renders the result.

Examples
--------
>>> result = analyze_checkpoint(tasks=2)     # the embedded checkpoint, adapted to 2 tasks
>>> result.summary["learned_sharing"]["best"], result.summary["analysis_group"]["name"]
('convolution width 3', 'C70')
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from ..analysis import (
    Candidate,
    FrequencyFlow,
    PatternGroup,
    SubspaceCandidate,
    candidate_sharings,
    check_flow,
    embed_in_cyclic,
    equivariance_defect,
    frequency_flow,
    identify_group,
    pattern_group,
    rank_candidates,
    sharing_pattern,
)
from ..decomposition import decompose_weight
from ..errors import ArgumentError, CheckpointError, PLTheoryError, TooLargeError
from ..families import group as parse_group
from ..groups import FiniteGroup, format_order, json_order
from ..gsets import GSet
from ..interaction import InteractionGraph, closed_form_applies, interaction_graph
from ..permutations import cycle_notation
from .checkpoint import load_checkpoint
from .layers import SharedLinear
from .maml import MetaModel, adapt
from .record import CheckpointRecord
from .tasks import TaskFamily, family_from_spec, translation_subspace


@dataclass(frozen=True)
class CheckpointAnalysis:
    """The analysis of a checkpoint's first layer: ``summary`` is JSON-ready (what
    ``pltheory analyze --json`` prints and report.json holds); the arrays and objects the
    figures draw are beside it.

    Attributes
    ----------
    summary:
        Model, task, best candidates, pattern and analysis groups, defects, spectrum,
        interaction graph and frequency flow, as plain JSON values.
    W:
        The first task-adapted weight (|Y| x |X|).
    U:
        The effective sharing matrix, None for a layer without sharing (U = I).
    graph:
        The interaction graph of the analysis group.
    flow:
        The frequency flow through a ReLU, when inputs and outputs are one G-set.

    Examples
    --------
    An untrained 1-D convolution (6 -> 4) adapted to two tasks. Padded to a map on
    Fun(C_6), a convolution lacks two of the six rows of a circulant: a boundary effect
    of 1/3.

    >>> import tempfile, pathlib
    >>> from pltheory.msr.analysis import analyze_checkpoint
    >>> from pltheory.msr.checkpoint import save_checkpoint
    >>> from pltheory.msr.models import make_model
    >>> from pltheory.msr.tasks import translation_tasks
    >>> family = translation_tasks(num_tasks=10, inputs=6, seed=0)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = save_checkpoint(pathlib.Path(folder) / "run", make_model("conv", family),
    ...                            task_spec=family.spec, steps=0, curve=[])
    ...     result = analyze_checkpoint(path, tasks=2)
    >>> result.W.shape, result.U.shape, result.graph.X.group.name, round(result.summary["boundary_effect"], 3)
    ((4, 6), (24, 3), 'C6', 0.333)
    """

    summary: dict
    W: np.ndarray
    U: np.ndarray | None
    graph: InteractionGraph
    flow: FrequencyFlow | None

    def as_dict(self) -> dict:
        """The JSON-ready summary (a copy): what ``pltheory analyze --json`` prints, with
        the interaction graph.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> from pltheory.msr.analysis import analyze_checkpoint
        >>> from pltheory.msr.checkpoint import save_checkpoint
        >>> from pltheory.msr.models import make_model
        >>> from pltheory.msr.tasks import translation_tasks
        >>> family = translation_tasks(num_tasks=10, inputs=6, seed=0)
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     path = save_checkpoint(pathlib.Path(folder) / "run", make_model("conv", family),
        ...                            task_spec=family.spec, steps=0, curve=[])
        ...     summary = analyze_checkpoint(path, tasks=2).as_dict()
        >>> summary["learned_sharing"]["best"], summary["analysis_group"]["name"], summary["pattern_group"]["name"]
        ('convolution width 3', 'C6', 'trivial')
        """
        return copy.deepcopy(self.summary)


@dataclass(frozen=True)
class _Setting:
    """The analysis group G acting on inputs X and outputs Y, the adapted weights as maps
    Fun X -> Fun Y (``stacked``, padded when the outputs are embedded) and how G was chosen."""

    G: FiniteGroup
    X: GSet
    Y: GSet
    stacked: np.ndarray
    how: str


def analyze_checkpoint(path: str | Path | None = None, *, group: str = "auto", tasks: int = 20) -> CheckpointAnalysis:
    """The analysis of a checkpoint's first layer (see the module docstring).

    Parameters
    ----------
    path:
        A directory written by ``pltheory train``; None for the embedded checkpoint.
    group:
        The analysis group: "auto" or a group specification acting on the layer's inputs.
    tasks:
        How many meta-test tasks the model is adapted to.

    Returns
    -------
    CheckpointAnalysis

    Raises
    ------
    CheckpointError
        The directory is not a checkpoint, or its task record does not regenerate tasks
        that fit its layer.
    ArgumentError
        ``group`` does not act on the layer's inputs.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from pltheory.msr.analysis import analyze_checkpoint
    >>> from pltheory.msr.checkpoint import save_checkpoint
    >>> from pltheory.msr.models import make_model
    >>> from pltheory.msr.tasks import translation_tasks
    >>> family = translation_tasks(num_tasks=10, inputs=6, seed=0)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = save_checkpoint(pathlib.Path(folder) / "run", make_model("conv", family),
    ...                            task_spec=family.spec, steps=0, curve=[])
    ...     summary = analyze_checkpoint(path, group="D6", tasks=2).summary
    >>> summary["adapted_weights"]["best"], summary["analysis_group"]
    ('convolution width 3', {'name': 'D6', 'order': 12, 'how': 'D6, asked for'})
    """
    model, record = load_checkpoint(path)
    layer = model.layers[0]
    family = regenerate_family(record, layer)
    x = family.split("test")[0][:tasks]  # a small family may have fewer test tasks
    weights = adapted_weights(model, family, tasks)
    U = _sharing(layer)
    candidates = candidate_sharings(layer.out_features, layer.in_features)
    if family.spec.get("task") == "translation":  # the family's own subspace, from its recorded C
        rank = family.spec["rank"]
        candidates.append(SubspaceCandidate.spanning(f"the task's true subspace (rank {rank})",
                                                     translation_subspace(family.spec)))
    ranked_U = rank_candidates(U, candidates)
    ranked_W = rank_candidates(weights.reshape(weights.shape[0], -1).T, candidates)
    W = weights[0]
    labels = sharing_pattern(W)
    found = pattern_group(labels)
    setting = _setting(found, weights, group)
    graph = _graph(setting)
    flow = _flow(setting, x)
    summary = {
        "checkpoint": str(path) if path is not None else "embedded default",
        "model": record.model, "steps": record.steps, "task": family.name,
        "layer": {"in": layer.in_features, "out": layer.out_features, "k": layer.k},
        "test_mse": record.test_mse,
        "learned_sharing": {"best": ranked_U[0].name, "candidates": [_candidate(c) for c in ranked_U]},
        "adapted_weights": {"tasks": int(weights.shape[0]), "best": ranked_W[0].name,
                            "candidates": [_candidate(c) for c in ranked_W]},
        "pattern_group": _pattern_summary(found, labels),
        "analysis_group": {"name": setting.G.name, "order": setting.G.order, "how": setting.how},
        "equivariance_defect": equivariance_defect(setting.stacked[0], setting.X, setting.Y),
        "boundary_effect": _boundary_effect(setting, W, ranked_W[0]),
        "spectrum": _spectrum(setting),
        "interaction_graph": graph.as_dict(),
        "frequency_flow": _flow_summary(flow, graph),
    }
    return CheckpointAnalysis(summary, W, U, graph, flow)


def regenerate_family(record: CheckpointRecord, layer: SharedLinear) -> TaskFamily:
    """The checkpoint's task family, regenerated from its record
    (:func:`~pltheory.msr.tasks.family_from_spec`), checked to fit the layer.

    Raises
    ------
    CheckpointError
        The record does not regenerate tasks, or they do not fit the layer.

    Examples
    --------
    >>> model, record = load_checkpoint()
    >>> family = regenerate_family(record, model.layers[0])
    >>> family.name, family.in_features, family.out_features
    ('translation rank 1', 70, 68)
    """
    try:
        family = family_from_spec(record.task.as_spec(), layer.in_features)
    except TooLargeError:
        raise
    except (ValueError, PLTheoryError) as exc:
        raise CheckpointError(f"the checkpoint's task record cannot regenerate its tasks ({str(exc)[:150]})") from None
    if (family.in_features, family.out_features) != (layer.in_features, layer.out_features):
        raise CheckpointError(f"the checkpoint's task record makes {family.in_features} -> {family.out_features} "
                              f"tasks, but its layer maps {layer.in_features} -> {layer.out_features}")
    return family


def adapted_weights(model: MetaModel, family: TaskFamily, tasks: int) -> np.ndarray:
    """The first layer's weights after one inner step on one support example of each of the
    first ``tasks`` meta-test tasks, float64 of shape (tasks, out, in).

    Examples
    --------
    >>> from pltheory.msr.tasks import translation_tasks
    >>> model, _ = load_checkpoint()
    >>> adapted_weights(model, translation_tasks(rank=1, num_tasks=10), 2).shape
    (2, 68, 70)
    """
    x, y = family.split("test")
    x_t, y_t = torch.as_tensor(x[:tasks]), torch.as_tensor(y[:tasks])
    filters = adapt(model, x_t[:, :1], y_t[:, :1], create_graph=False)[0].detach()
    return model.layers[0].weight(filters).detach().numpy().astype(float)


def _sharing(layer: SharedLinear) -> np.ndarray | None:
    """The layer's effective U, None when it has no sharing (U = I)."""
    if layer.sharing is None and layer.base is None:
        return None
    return layer.effective_sharing().detach().numpy().astype(float)


def _candidate(c: Candidate) -> dict:
    return {"name": c.name, "dim": c.dim, "containment": round(c.containment, 6),
            "largest_angle": round(c.largest_angle, 3)}


def _pattern_summary(found: PatternGroup, labels: np.ndarray) -> dict:
    P = found.group
    name = (found.name or identify_group(P)) if found.complete else "incomplete: the search budget ran out"
    return {"order": json_order(P.order), "complete": found.complete, "name": name,
            "classes": int(labels.max() + 1), "generators": [cycle_notation(g) for g in P.generators]}


def _setting(found: PatternGroup, weights: np.ndarray, group: str) -> _Setting:
    """The pattern group on inputs and outputs when it is usable and ``group`` is "auto",
    else C_n (or ``group``) on the inputs with the outputs embedded by zero padding."""
    P = found.group
    decomposable = P.order <= P.max_elements  # its decompositions list the group
    if group == "auto" and P.order > 1 and found.complete and decomposable:
        return _pattern_setting(P, weights)
    out, inp = weights.shape[1:]
    G = parse_group(f"C{inp}" if group == "auto" else group)
    how = f"C{inp} on the inputs, outputs embedded by zero padding" if group == "auto" else f"{group}, asked for"
    if group == "auto" and not decomposable:
        how += f" (the sharing pattern's group, of order {format_order(P.order)}, is too large to decompose)"
    if G.degree != inp:
        raise ArgumentError(f"group {G.name} acts on {G.degree} points; the layer has {inp} inputs")
    X = GSet.natural(G)
    stacked = np.stack([embed_in_cyclic(w) for w in weights]) if out < inp else weights
    return _Setting(G, X, X, stacked, how)


def _pattern_setting(P: FiniteGroup, weights: np.ndarray) -> _Setting:
    """The pattern group, which permutes the outputs (points 0..out-1) and the inputs."""
    out = weights.shape[1]
    X = GSet(P, np.array([g[out:] - out for g in P.generators]), name="inputs")
    Y = GSet(P, np.array([g[:out] for g in P.generators]), name="outputs")
    return _Setting(P, X, Y, weights, "the sharing pattern's group (acting on inputs and outputs)")


def _boundary_effect(setting: _Setting, W: np.ndarray, best: Candidate) -> float | None:
    """The defect of W's shift-shared part embedded in C_n: the share the boundary (the
    padded rows) accounts for. Only for a shift-shared layer embedded in a cyclic group on
    its inputs; None otherwise."""
    embedded = setting.stacked.shape[1:] != W.shape
    if not (embedded and best.shift_invariant and setting.G.structure.cyclic_orders == (setting.G.degree,)):
        return None
    shared = best.project(W.reshape(-1, 1)).reshape(W.shape)
    return equivariance_defect(embed_in_cyclic(shared), setting.X, setting.Y)


def _spectrum(setting: _Setting) -> dict:
    spectrum = decompose_weight(setting.stacked[0], setting.X, setting.Y)
    square = spectrum.source_keys == spectrum.target_keys
    return {"labels": spectrum.source_keys,
            "equivariant": np.diag(spectrum.equivariant_energy).tolist() if square else [],
            "equivariant_share": spectrum.equivariant_share}


def _graph(setting: _Setting) -> InteractionGraph:
    """The ReLU interaction graph of the inputs, with probe weights for the figure: for maps
    of one G-set the closed form where it applies (C_n on its natural set), else the probe."""
    if setting.X is setting.Y and closed_form_applies(setting.X):
        return interaction_graph(setting.X, "relu", method="closed_form", weights=True)
    return interaction_graph(setting.X, "relu", method="probe")


def _flow(setting: _Setting, x: np.ndarray) -> FrequencyFlow | None:
    """The flow through a ReLU of the pre-activations W x on the test inputs ``x`` (all
    tasks and examples), when W maps one G-set to itself; None otherwise."""
    if setting.X is not setting.Y:
        return None
    H = np.einsum("tyx,tnx->ytn", setting.stacked, x.astype(float)).reshape(setting.X.size, -1)
    return frequency_flow(H, setting.X, "relu")


def _flow_summary(flow: FrequencyFlow | None, graph: InteractionGraph) -> dict | None:
    if flow is None:
        return None
    return {"keys": flow.keys, "before": flow.before.tolist(), "after": flow.after.tolist(),
            "edges": sorted(flow.edges), "edges_outside_theory": sorted(check_flow(flow, graph))}
