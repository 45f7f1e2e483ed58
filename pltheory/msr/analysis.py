"""What a meta-trained checkpoint learned (``pltheory analyze`` and ``pltheory report``).

[`analyze_checkpoint`][pltheory.msr.analysis.analyze_checkpoint] answers, for every layer of a checkpoint: which sharing
subspace explains the learned U and the task-adapted weights (principal angles against the
shape-only [`pltheory.analysis.candidate_sharings`][pltheory.analysis.candidate_sharings], a
translation family's true subspace and, through
[`pltheory.analysis.group_candidates`][pltheory.analysis.group_candidates], the orbit
sharings of the task's group and, on the pixels of s x s images, of the translations of the
torus, p4 and p4m), which permutation group preserves the sharing pattern of an adapted
weight, how far the weights are from equivariance under the *analysis group* and their
spectrum over its irreducibles; and for every ReLU between two layers the frequency flow of
the adapted network's pre-activations on the test inputs, against the interaction graph.

The analysis group of a layer (``group="auto"``) is, in this order:

1. the task's group, when the sharing pattern's symmetry search completed and found a
   group of the same order that the task's group preserves (they are then one group);
2. the sharing pattern's group, when the search completed, the group is not trivial and
   it is small enough to decompose;
3. the task's group, when the family has one (a G-set on the layer's points);
4. for the 1-D translation family, C_n on the n inputs with the outputs embedded by zero
   padding ([`pltheory.analysis.embed_in_cyclic`][pltheory.analysis.embed_in_cyclic]): a convolution without padding is
   equivariant under no group, and the padded rows measure the boundary;
5. none: the equivariance defect, spectrum and flow are then null, with the reason, never
   a default group that is not a symmetry of the task.

The summary says which rule chose the group ("how"), and a symmetry search that ran out
of its budget is reported as such ("complete": false), never silently replaced.

The tools are those of [`pltheory.analysis`][pltheory.analysis] (no torch); this module adds
what needs the checkpoint: loading it, regenerating its tasks from the record and adapting
the model to them. [`pltheory.report`][pltheory.report] renders the result.

Examples
--------
>>> result = analyze_checkpoint(tasks=2)     # the embedded checkpoint, adapted to 2 tasks
>>> [(layer["learned_sharing"]["best"], layer["analysis_group"]["name"]) for layer in result.summary["layers"]]
[('C12 (circulant)', 'C12'), ('free (no sharing)', 'C12'), ('C12 (circulant)', 'C12')]
"""

from __future__ import annotations

import copy
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from ..analysis import (
    Candidate,
    FrequencyFlow,
    PatternGroup,
    SubspaceCandidate,
    candidate_sharings,
    compare_flow,
    embed_in_cyclic,
    equivariance_defect,
    frequency_flow,
    group_candidates,
    identify_group,
    pattern_group,
    rank_candidates,
    sharing_pattern,
)
from ..decomposition import decompose, decompose_weight
from ..errors import ArgumentError, CheckpointError, PLTheoryError, TooLargeError
from ..families import from_generators
from ..families import group as parse_group
from ..groups import FiniteGroup, format_order, json_order
from ..gsets import GSet
from ..interaction import InteractionGraph, closed_form_applies, interaction_graph
from ..permutations import cycle_notation
from ..tolerances import EXPLAINED, EXPLAINED_MARGIN, FLOW_TOL
from .checkpoint import DEFAULT_CHECKPOINT, EMBEDDED, load_checkpoint
from .layers import JointSharedLinear, SharedLinear
from .lifting import LiftingConv, lifting_sharing, tap_action
from .maml import MetaModel, adapt
from .record import CheckpointRecord
from .tasks import TaskFamily, family_from_spec, image_gset, pixel_side, translation_subspace


@dataclass(frozen=True)
class _Setting:
    """The analysis group G acting on inputs X and outputs Y, the adapted weights as maps
    Fun X -> Fun Y (``stacked``, padded when the outputs are embedded) and how G was chosen."""

    G: FiniteGroup
    X: GSet
    Y: GSet
    stacked: np.ndarray
    how: str


@dataclass(frozen=True)
class LayerAnalysis:
    """The analysis of one layer: ``summary`` is JSON-ready (an entry of the checkpoint
    summary's "layers"); ``W`` its first task-adapted weight, ``U`` its effective sharing
    (None for U = I), ``graph`` the ReLU interaction graph of its analysis group on the
    inputs (None without an analysis group).

    Examples
    --------
    >>> first = analyze_checkpoint(tasks=2).layers[0]
    >>> first.summary["index"], first.W.shape, first.graph.X.group.name
    (0, (12, 12), 'C12')
    """

    summary: dict
    W: np.ndarray
    U: np.ndarray | None
    graph: InteractionGraph | None
    setting: _Setting | None = field(default=None, repr=False)


@dataclass(frozen=True)
class CheckpointAnalysis:
    """The analysis of a checkpoint: ``summary`` is JSON-ready (what ``pltheory analyze
    --json`` prints and report.json holds); its top-level keys describe the first layer,
    "layers" every layer and "relu_flow" every ReLU between two layers. The arrays and
    objects the figures draw are the layers' (``W``, ``U`` and ``graph`` read the first
    layer's).

    Attributes
    ----------
    summary:
        Model, task, best candidates, pattern and analysis groups, defects, spectrum,
        interaction graph and frequency flow, as plain JSON values.
    W:
        The first layer's first task-adapted weight (|Y| x |X|).
    U:
        Its effective sharing matrix, None for a layer without sharing (U = I).
    graph:
        The interaction graph of its analysis group (None without one).
    flow:
        The frequency flow of its pre-activations through a ReLU, when its inputs and
        outputs are one G-set.
    layers:
        Every layer's [`LayerAnalysis`][pltheory.msr.analysis.LayerAnalysis].

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
    flow: FrequencyFlow | None
    layers: tuple[LayerAnalysis, ...]

    @property
    def W(self) -> np.ndarray:
        """The first layer's first task-adapted weight."""
        return self.layers[0].W

    @property
    def U(self) -> np.ndarray | None:
        """The first layer's effective sharing matrix."""
        return self.layers[0].U

    @property
    def graph(self) -> InteractionGraph | None:
        """The interaction graph of the first layer's analysis group."""
        return self.layers[0].graph

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


def analyze_checkpoint(path: str | Path | None = None, *, group: str = "auto", tasks: int = 20,
                       progress: Callable[[str], None] | None = None) -> CheckpointAnalysis:
    """The analysis of every layer of a checkpoint and of the ReLUs between them (see the
    module docstring).

    Parameters
    ----------
    path:
        A directory written by ``pltheory train``; None for the embedded checkpoint.
    group:
        The analysis group: "auto" or a group specification acting on the layers' inputs.
    tasks:
        How many meta-test tasks the model is adapted to (only they are regenerated).
    progress:
        Called with a line saying what comes next, before each step that takes time
        (``pltheory analyze`` and ``report`` print them).

    Returns
    -------
    CheckpointAnalysis

    Raises
    ------
    CheckpointError
        The directory is not a checkpoint, or its task record does not regenerate tasks
        that fit its layers.
    ArgumentError
        ``group`` does not act on the layers' inputs.

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

    Two exactly C_6-equivariant layers: each analysed under C_6 with no defect, and the
    ReLU between them moves energy only along the edges of C_6's interaction graph.

    >>> import pltheory as pt
    >>> from pltheory.msr.layers import EquivariantLinear
    >>> from pltheory.msr.maml import MetaModel
    >>> from pltheory.msr.tasks import equivariant_tasks
    >>> X = pt.GSet.natural(pt.cyclic(6))
    >>> family = equivariant_tasks(X, num_tasks=10, seed=0, depth=2)
    >>> model = MetaModel([EquivariantLinear(X, X), EquivariantLinear(X, X)], kind="equivariant")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = save_checkpoint(pathlib.Path(folder) / "run", model, task_spec=family.spec, steps=0, curve=[])
    ...     summary = analyze_checkpoint(path, tasks=2).summary
    >>> [(s["analysis_group"]["name"], s["equivariance_defect"] < 1e-12) for s in summary["layers"]]
    [('C6', True), ('C6', True)]
    >>> summary["relu_flow"][0]["edges_outside_theory"]
    []
    """
    say = progress or (lambda message: None)
    model, record = load_checkpoint(path)
    graphs: dict[int, InteractionGraph] = {}  # one interaction graph per G-set, whichever layers share it
    say(f"regenerating {tasks} meta-test tasks of the checkpoint's family")
    family = regenerate_family(record, model, test_tasks=tasks)
    x = family.split("test")[0][:tasks]
    say(f"adapting the model's {len(model.layers)} layer(s) to {x.shape[0]} tasks")
    weights = adapted_weights(model, family, tasks)
    if family.spec.get("task") == "lifting":  # filter banks, not matrices: analysed where the constraint lives
        layers = [_analyse_lifting(model.layers[0], weights[0], family)]
    else:
        layers = []
        for i, (layer, w) in enumerate(zip(model.layers, weights)):
            say(f"layer {i + 1} of {len(weights)}: candidate sharings, symmetry of the pattern, spectrum")
            layers.append(_analyse_layer(i, layer, w, family, group, graphs))
    hidden = pre_activations(weights, x) if len(layers) > 1 else []
    measured = []
    for i in range(len(layers) - 1):
        say(f"ReLU {i + 1} of {len(layers) - 1}: energy per irreducible before and after, against the graph")
        measured.append(_relu_flow(i, layers[i], layers[i + 1], hidden[i], graphs))
    relu_flow = [entry for entry, _ in measured]
    first = layers[0]
    if measured and first.setting is not None:  # the first ReLU measured the first layer's pre-activations
        flow = measured[0][1] if first.setting.X is first.setting.Y else None
    else:
        flow = _flow(first.setting, x)
    summary = {
        **_provenance(path),
        "model": record.model, "steps": record.steps, "task": family.name,
        **{key: value for key, value in first.summary.items() if key not in ("index", "kind")},
        "test_mse": record.test_mse,
        "test_mse_ci95": record.curve[-1].get("ci95") if record.curve else None,
        "curve": [{key: point[key] for key in ("step", "mse", "ci95") if key in point} for point in record.curve],
        "zero_predictor_mse": record.task.label_variance,
        "baselines": [dict(b) for b in record.baselines],
        "sharing_from": None if record.sharing_from is None else dict(record.sharing_from),
        "training": {"command": record.command, "support": record.support, "inner_steps": record.inner_steps,
                     "meta_train": record.meta_train},
        "thresholds": {"explained": EXPLAINED, "explained_margin": EXPLAINED_MARGIN, "flow": FLOW_TOL},
        "interaction_graph": first.graph.as_dict() if first.graph is not None else None,
        "frequency_flow": _flow_summary(flow, first.graph),
        "layers": [layer.summary for layer in layers],
        "relu_flow": relu_flow,
    }
    return CheckpointAnalysis(summary, flow, tuple(layers))


def _provenance(path: str | Path | None) -> dict:
    """The checkpoint's name and the command that analyses it again: an embedded one by its
    name (``pltheory report --model NAME``), any other by its path."""
    resolved = Path(path).resolve() if path is not None else DEFAULT_CHECKPOINT
    name = next((key for key, where in EMBEDDED.items() if where == resolved), None)
    if name is not None:
        return {"checkpoint": f"embedded: {name} ({resolved.parent.name}/{resolved.name})",
                "reproduce": f"pltheory report --model {name}"}
    return {"checkpoint": str(path), "reproduce": f"pltheory analyze {shlex.quote(str(path))} -o DIR"}


def regenerate_family(record: CheckpointRecord, model: MetaModel, *, test_tasks: int | None = None) -> TaskFamily:
    """The checkpoint's task family, regenerated from its record
    ([`family_from_spec`][pltheory.msr.tasks.family_from_spec], with its meta-training
    split), checked to fit the model: the first layer's inputs and the last layer's
    outputs. With ``test_tasks``, only the first that many meta-test tasks.

    Raises
    ------
    CheckpointError
        The record does not regenerate tasks, or they do not fit the model.

    Examples
    --------
    >>> from pltheory.msr.checkpoint import EMBEDDED
    >>> model, record = load_checkpoint(EMBEDDED["translation"])
    >>> family = regenerate_family(record, model, test_tasks=5)
    >>> family.name, family.in_features, family.out_features, family.x.shape[0], family.num_train
    ('translation rank 1', 70, 68, 5, 0)
    """
    first, last = model.layers[0], model.layers[-1]
    try:
        spec = record.task.as_spec()
        if record.meta_train is not None and "num_train" not in spec:  # pltheory train --meta-train
            spec["num_train"] = record.meta_train
        family = family_from_spec(spec, first.in_features, test_tasks=test_tasks)
    except TooLargeError:
        raise
    except (ValueError, PLTheoryError) as exc:
        raise CheckpointError(f"the checkpoint's task record cannot regenerate its tasks ({str(exc)[:150]})") from None
    if (family.in_features, family.out_features) != (first.in_features, last.out_features):
        raise CheckpointError(f"the checkpoint's task record makes {family.in_features} -> {family.out_features} "
                              f"tasks, but its layers map {first.in_features} -> {last.out_features}")
    return family


def adapted_weights(model: MetaModel, family: TaskFamily, tasks: int) -> list[np.ndarray]:
    """Every layer's weights after one inner step on one support example of each of the
    first ``tasks`` meta-test tasks ([`adapt`][pltheory.msr.maml.adapt] adapts all layers at
    once): one float64 array of shape (tasks, out, in) per layer.

    Examples
    --------
    >>> model, record = load_checkpoint()
    >>> [w.shape for w in adapted_weights(model, regenerate_family(record, model, test_tasks=2), 2)]
    [(2, 12, 12), (2, 12, 12), (2, 12, 12)]
    """
    x, y = family.split("test")
    x_t, y_t = torch.as_tensor(x[:tasks]), torch.as_tensor(y[:tasks])
    filters = adapt(model, x_t[:, :1], y_t[:, :1], create_graph=False)
    return [layer.weight(v.detach()).detach().numpy().astype(float) for layer, v in zip(model.layers, filters)]


def pre_activations(weights: list[np.ndarray], x: np.ndarray) -> list[np.ndarray]:
    """Each layer's pre-activations in the adapted network on the inputs ``x`` (tasks,
    examples, in): h_1 = W_1 x, h_i = W_i relu(h_{i-1}), task by task with that task's
    weights, as (out_i, tasks x examples) arrays.

    Examples
    --------
    >>> import numpy as np
    >>> W = [np.array([[[1.0, -1.0]]]), np.array([[[2.0]]])]       # one task: 2 -> 1 -> 1
    >>> [h.tolist() for h in pre_activations(W, np.array([[[1.0, 3.0], [3.0, 1.0]]]))]
    [[[-2.0, 2.0]], [[0.0, 4.0]]]
    """
    h = x.astype(float)
    hidden = []
    for i, W in enumerate(weights):
        h = np.einsum("tyx,tnx->tny", W, np.maximum(h, 0.0) if i else h)
        hidden.append(h.transpose(2, 0, 1).reshape(W.shape[1], -1))
    return hidden


def _analyse_layer(index: int, layer: SharedLinear, weights: np.ndarray, family: TaskFamily,
                   group: str, graphs: dict) -> LayerAnalysis:
    """One layer: rankings of its U and adapted weights, its pattern group, its analysis
    group, defect and spectrum (``graphs``: interaction graphs made so far, by G-set)."""
    U = _sharing(layer)
    out, inp = weights.shape[1:]
    candidates = layer_candidates(family, out, inp)
    ranked_U = rank_candidates(U, candidates)
    ranked_W = rank_candidates(weights.reshape(weights.shape[0], -1).T, candidates)
    W = weights[0]
    labels = sharing_pattern(W)
    found = pattern_group(labels)
    setting = _setting(found, labels, weights, family, group)
    summary = {**_sharing_summary(index, layer, ranked_U, ranked_W, weights.shape[0]),
               "pattern_group": _pattern_summary(found, labels)}
    if isinstance(setting, str):
        summary.update({"analysis_group": {"name": None, "order": None, "how": setting},
                        "equivariance_defect": None, "boundary_effect": None, "spectrum": None})
        return LayerAnalysis(summary, W, U, None, None)
    summary.update({
        "analysis_group": {"name": setting.G.name, "order": json_order(setting.G.order), "how": setting.how},
        "equivariance_defect": equivariance_defect(setting.stacked[0], setting.X, setting.Y),
        "boundary_effect": _boundary_effect(setting, W, ranked_W[0]),
        "spectrum": _spectrum(setting),
    })
    return LayerAnalysis(summary, W, U, _graph(setting.X, graphs), setting)


def lifting_candidates(group: str, fields: int) -> list[Candidate]:
    """Sharing candidates for the filter bank of a lifting convolution (channels x 3 x 3
    taps, row-major): every tap free (MAML-Conv), each channel's filter invariant under
    the point group's action on the taps, and the lifting sharing itself (the orbits of
    the point group on channels x taps, [`lifting_sharing`][pltheory.msr.lifting.lifting_sharing]:
    27 dimensions for 3 fields).

    >>> for c in lifting_candidates("p4", 3):     # 12 channels
    ...     print(c.dim, c.name)
    108 free taps
    36 each filter invariant under p4 on the taps
    27 the task's lifting sharing (p4, 3 regular fields)
    """
    sharing = lifting_sharing(group, fields)
    channels = sharing.shape[0] // 9
    tap_orbit = np.unique(tap_action(group).min(axis=0), return_inverse=True)[1]
    invariant = (np.arange(channels)[:, None] * (tap_orbit.max() + 1) + tap_orbit[None, :]).ravel()
    return [Candidate("free taps", np.arange(channels * 9)),
            Candidate(f"each filter invariant under {group} on the taps", invariant),
            Candidate(f"the task's lifting sharing ({group}, {fields} regular fields)", sharing.argmax(axis=1))]


def _analyse_lifting(layer: LiftingConv, banks: np.ndarray, family: TaskFamily) -> LayerAnalysis:
    """A lifting convolution, analysed on its filter banks (tasks, channels, 9): rankings
    of its U and of the adapted banks among
    [`lifting_candidates`][pltheory.msr.analysis.lifting_candidates], and the defect under
    the point group H. For a circular convolution ||W||_F^2 = pixels x ||K||^2 and averaging
    W over the image group p4 (p4m) averages K over H's orbits, so the defect
    ||W - avg W|| / ||W|| is ||K - P K|| / ||K|| with P the orbit average. Spectrum and
    flow need a ReLU after the layer: none here."""
    group, fields = family.spec["group"], family.spec["fields"]
    candidates = lifting_candidates(group, fields)
    U = layer.effective_sharing().detach().numpy().astype(float)
    flat = banks.reshape(banks.shape[0], -1)
    ranked_U = rank_candidates(U, candidates)
    ranked_W = rank_candidates(flat.T, candidates)
    order = len(tap_action(group))
    orbit_average = candidates[-1].project(flat[:1].T).ravel()  # the lifting sharing: the mean over each orbit
    defect = float(np.linalg.norm(flat[0] - orbit_average) / max(np.linalg.norm(flat[0]), 1e-300))
    summary = {
        **_sharing_summary(0, layer, ranked_U, ranked_W, banks.shape[0]),
        "pattern_group": None,
        "analysis_group": {"name": f"{group} (point group on channels x taps)", "order": order,
                           "how": "the task's group; a lifting convolution is analysed on its filter banks"},
        "equivariance_defect": defect, "boundary_effect": None, "spectrum": None,
    }
    return LayerAnalysis(summary, flat[0].reshape(banks.shape[1], 9), U, None, None)


def layer_candidates(family: TaskFamily, out: int, inp: int) -> list[Candidate]:
    """The candidate sharings of an out x inp layer of a model of ``family``: the
    shape-only ones ([`candidate_sharings`][pltheory.analysis.candidate_sharings]), the
    translation family's true subspace (for its 68 x 70 layer) and the orbit sharings of the
    groups the family knows of ([`group_candidates`][pltheory.analysis.group_candidates]):
    on a square layer on the family's G-set, the task's own group and, when the points are
    the pixels of s x s images ([`pixel_side`][pltheory.msr.tasks.pixel_side]), the
    translations of the torus, p4 and p4m (a group whose orbit sharing is an earlier one's
    is left out: on 4 x 4 pixels p4m ties the same entries as p4).

    Examples
    --------
    >>> from pltheory.msr.tasks import equivariant_tasks
    >>> family = equivariant_tasks(image_gset(5), num_tasks=4, seed=0)
    >>> for c in layer_candidates(family, 25, 25)[-3:]:
    ...     print(c.dim, c.name)
    7 the task's group p4 on 5x5 (orbit sharing)
    25 translations of the 5x5 torus (orbit sharing)
    6 p4m on 5x5 (orbit sharing)

    """
    candidates = candidate_sharings(out, inp)
    spec = family.spec
    if spec.get("task") == "translation":  # the family's own subspace, from its recorded C
        subspace = translation_subspace(spec)
        if subspace.shape[0] == out * inp:
            candidates.append(SubspaceCandidate.spanning(f"the task's true subspace (rank {spec['rank']})", subspace))
    X = family.gset
    if X is None or not out == inp == X.size:
        return candidates
    pairs = [(f"the task's group {X.group.name} (orbit sharing)", X, X)]
    side = pixel_side(X)
    if side is not None:
        p4, p4m = image_gset(side), image_gset(side, flips=True)
        # image_gset's first two generators are the unit translations of the torus
        shifts = GSet.natural(from_generators(p4.group.generators[:2], name=f"translations of {side}x{side}"))
        pairs += [(f"translations of the {side}x{side} torus (orbit sharing)", shifts, shifts),
                  (f"{p4.group.name} (orbit sharing)", p4, p4), (f"{p4m.group.name} (orbit sharing)", p4m, p4m)]
    return candidates + group_candidates(pairs)


def _sharing(layer: SharedLinear) -> np.ndarray | None:
    """The layer's effective U (MSR-Joint's meta-learned U0), None when it has no sharing (U = I)."""
    if layer.sharing is None and layer.base is None and not isinstance(layer, JointSharedLinear):
        return None
    return layer.effective_sharing().detach().numpy().astype(float)


def _sharing_summary(index: int, layer: SharedLinear, ranked_U: list[Candidate], ranked_W: list[Candidate],
                     tasks: int) -> dict:
    """A layer's summary entries for its shape and the two candidate rankings."""
    return {"index": index, "kind": layer.kind,
            "layer": {"in": layer.in_features, "out": layer.out_features, "k": layer.k},
            "learned_sharing": {"best": ranked_U[0].name, "candidates": [_candidate(c) for c in ranked_U]},
            "adapted_weights": {"tasks": int(tasks), "best": ranked_W[0].name,
                                "candidates": [_candidate(c) for c in ranked_W]}}


def _candidate(c: Candidate) -> dict:
    return {"name": c.name, "dim": c.dim, "containment": round(c.containment, 6),
            "largest_angle": round(c.largest_angle, 3)}


def _pattern_summary(found: PatternGroup, labels: np.ndarray) -> dict:
    P = found.group
    if found.complete:
        name = found.name or identify_group(P)
    else:
        name = f"unknown: the symmetry search ran out of its budget (found a subgroup of order {format_order(P.order)})"
    return {"order": json_order(P.order), "complete": found.complete, "name": name,
            "classes": int(labels.max() + 1), "generators": [cycle_notation(g) for g in P.generators]}


def _setting(found: PatternGroup, labels: np.ndarray, weights: np.ndarray, family: TaskFamily,
             group: str) -> _Setting | str:
    """The analysis group of a layer by the rules of the module docstring (or ``group``
    when it is not "auto"), or the reason why there is none."""
    out, inp = weights.shape[1:]
    if group != "auto":
        G = parse_group(group)
        if G.degree != inp:
            raise ArgumentError(f"group {G.name} acts on {G.degree} points; the layer has {inp} inputs")
        return _embedded(G, weights, f"{group}, asked for")
    P = found.group
    X = family.gset if family.gset is not None and out == inp == family.gset.size else None
    if X is not None and found.complete and P.order == X.group.order and _preserves(X, labels):
        return _Setting(X.group, X, X, weights, "the task's group, which is the sharing pattern's group")
    decomposable = P.order <= P.max_elements  # its decompositions list the group
    if found.complete and P.order > 1 and decomposable:
        return _pattern_setting(P, weights)
    if not found.complete:
        why = "the sharing pattern's symmetry search ran out of its budget"
    elif P.order == 1:
        why = "the sharing pattern's group is trivial"
    else:
        why = f"the sharing pattern's group, of order {format_order(P.order)}, is too large to decompose"
    if X is not None:
        return _Setting(X.group, X, X, weights, f"the task's group ({why})")
    if family.spec.get("task") == "translation" and out <= inp:
        return _embedded(parse_group(f"C{inp}"), weights, f"C{inp} on the inputs, outputs embedded by zero padding: "
                                                          f"the 1-D translation family's embedding ({why})")
    return f"none: {why}, and the task's family has no group acting on this layer"


def _embedded(G: FiniteGroup, weights: np.ndarray, how: str) -> _Setting:
    """G on its natural set, the inputs; outputs fewer than the inputs embedded by zero padding."""
    X = GSet.natural(G)
    stacked = np.stack([embed_in_cyclic(w) for w in weights]) if weights.shape[1] < weights.shape[2] else weights
    return _Setting(G, X, X, stacked, how)


def _preserves(X: GSet, labels: np.ndarray) -> bool:
    """Whether every generator of X's group preserves the sharing pattern: labels[g.y, g.x] = labels[y, x]."""
    return all(np.array_equal(labels[np.ix_(act, act)], labels) for act in X.action)


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
    """The equivariant energy per irreducible of the first adapted weight and, beside it,
    each irreducible's share of dim Hom_G(Fun X, Fun X), m_V^2 dim End_G(V) over the sum:
    the expected spectrum of a random equivariant weight (orthonormal-basis coefficients
    i.i.d.), the reference a learned spectrum departs from."""
    spectrum = decompose_weight(setting.stacked[0], setting.X, setting.Y)
    square = spectrum.source_keys == spectrum.target_keys
    dims = {c.irrep.key: c.multiplicity**2 * c.irrep.endomorphism_dim for c in decompose(setting.X).components}
    total = sum(dims.values())
    return {"labels": spectrum.source_keys,
            "equivariant": np.diag(spectrum.equivariant_energy).tolist() if square else [],
            "hom_dimension_share": [dims[key] / total for key in spectrum.source_keys] if square else [],
            "equivariant_share": spectrum.equivariant_share}


def _graph(X: GSet, graphs: dict) -> InteractionGraph:
    """The ReLU interaction graph of Fun(X), with probe weights for the figure: the closed
    form where it applies (C_n on its natural set), else the probe; made once per G-set
    and kept in ``graphs`` (keyed by the G-set's identity, for one analysis)."""
    if id(X) not in graphs:
        closed = closed_form_applies(X)
        graphs[id(X)] = interaction_graph(X, "relu", method="closed_form" if closed else "probe",
                                          weights=True if closed else None)
    return graphs[id(X)]


def _flow(setting: _Setting | None, x: np.ndarray) -> FrequencyFlow | None:
    """The flow through a ReLU of the first layer's pre-activations W x on the test inputs
    ``x`` (all tasks and examples, padded rows included), when W maps one G-set to itself;
    None otherwise."""
    if setting is None or setting.X is not setting.Y:
        return None
    H = np.einsum("tyx,tnx->ytn", setting.stacked, x.astype(float)).reshape(setting.X.size, -1)
    return frequency_flow(H, setting.X, "relu")


def _flow_summary(flow: FrequencyFlow | None, graph: InteractionGraph | None) -> dict | None:
    if flow is None or graph is None:
        return None
    return {"keys": flow.keys, "before": flow.before.tolist(), "after": flow.after.tolist(),
            "edges": sorted(flow.edges), "transfer": flow.transfer.tolist(),
            "graph_edges": [list(e) for e in sorted(graph.edges())], **compare_flow(flow, graph).as_dict()}


def _relu_flow(index: int, before: LayerAnalysis, after: LayerAnalysis, H: np.ndarray,
               graphs: dict) -> tuple[dict, FrequencyFlow | None]:
    """The ReLU after layer ``index``: the flow of that layer's pre-activations ``H`` on
    the test inputs, under the analysis group of the layer's outputs (or else of the next
    layer's inputs), against that group's interaction graph: its summary entry and the flow."""
    entry = {"after_layer": index}
    n = H.shape[0]
    if before.setting is not None and before.setting.Y.size == n:
        Z = before.setting.Y
    elif after.setting is not None and after.setting.X.size == n:
        Z = after.setting.X
    else:
        return {**entry, "group": None, "reason": "neither adjacent layer has an analysis group on these points"}, None
    flow = frequency_flow(H, Z, "relu")
    return {**entry, "group": Z.group.name, "reason": None, **_flow_summary(flow, _graph(Z, graphs))}, flow
