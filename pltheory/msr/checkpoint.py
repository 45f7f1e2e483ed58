"""Checkpoints of meta-trained models: a tensor file and a JSON metadata record.

``DIR/model.pt`` holds the state dict (tensors only, read back with
``torch.load(weights_only=True)``); ``DIR/model.json`` says what it is: the format tag,
the model kind, every layer's sizes and sharing structure, the task specification (the
mixing matrix C and the data seed included), the learned inner learning rate, the number
of outer steps, the evaluation curve and the library version. A directory without both
files, a record that fails the schema of [`record`][pltheory.msr.record], or tensors that do
not fit the record raise [`CheckpointError`][pltheory.errors.CheckpointError], in one line.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch

from .._version import __version__
from ..errors import CheckpointError, PLTheoryError
from ..outputs import prepare_output, write_file, write_text
from .layers import JointSharedLinear, SharedLinear
from .lifting import KroneckerLiftingConv, LiftingConv, rebuild_lifting_layer
from .maml import MetaModel
from .record import FORMAT, FORMAT_VERSION, CheckpointRecord, LayerRecord

_DATA = Path(__file__).resolve().parent.parent / "data"

#: The embedded checkpoints by name (``pltheory report --model NAME``; the commands that made
#: them are in their model.json under "command"): "cyclic", a 3-layer MSR-FC ReLU network
#: meta-trained on C_12-equivariant depth-3 tasks from the U a one-layer MSR-FC learned
#: ("sharing_from"), with its equivariant and fc baselines; "translation", the one-layer
#: MSR-FC of the paper's rank-1 translation family.
EMBEDDED = {"cyclic": _DATA / "msr_fc_cyclic12_depth3", "translation": _DATA / "msr_fc_translation_k1"}

#: The checkpoint read when none is named: the multi-layer "cyclic" one.
DEFAULT_CHECKPOINT = EMBEDDED["cyclic"]

#: Largest model.json read (a record is a few hundred kB at most).
MAX_RECORD_BYTES = 20_000_000


def _jsonable(value):
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (np.integer, np.floating)):
        return value.item()
    return value


def save_checkpoint(directory: str | Path, model: MetaModel, *, task_spec: dict, steps: int,
                    curve: list[dict], extra: dict | None = None, force: bool = False) -> Path:
    """Write DIR/model.pt and DIR/model.json, each atomically (DIR and its parents are
    created; files already there are replaced only with ``force``); returns DIR.

    Parameters
    ----------
    directory : str or Path
        DIR.
    model : MetaModel
        The model; its state dict goes to model.pt, its layers' structure to model.json.
    task_spec : dict
        The task family's spec (`spec`).
    steps : int
        Outer steps trained.
    curve : list of dict
        The evaluation curve ([`train`][pltheory.msr.train.train]).
    extra : dict, optional
        More JSON fields (seed, meta_batch, device, command).
    force : bool
        Whether existing files may be replaced.

    Raises
    ------
    OutputError
        If a file exists without ``force`` or cannot be written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from pltheory.msr.checkpoint import load_checkpoint, save_checkpoint
    >>> from pltheory.msr.models import make_model
    >>> from pltheory.msr.tasks import translation_tasks
    >>> family = translation_tasks(num_tasks=10, inputs=6, seed=0)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = save_checkpoint(pathlib.Path(folder) / "run", make_model("conv", family),
    ...                            task_spec=family.spec, steps=0, curve=[])
    ...     print(sorted(p.name for p in path.iterdir()), load_checkpoint(path)[1].layers[0].inputs)
    ['model.json', 'model.pt'] 6
    """
    directory = Path(directory)
    for name in ("model.pt", "model.json"):
        prepare_output(directory / name, force=force)
    layers = [_layer_record(layer).to_json() for layer in model.layers]
    record = {"format": FORMAT, "format_version": FORMAT_VERSION, "library_version": __version__,
              "model": model.kind, "layers": layers, "inner_lr": float(model.inner_lr.detach()),
              "steps": int(steps), "task": _jsonable(task_spec), "curve": _jsonable(curve),
              **_jsonable(extra or {})}
    state = {name: tensor.detach().cpu() for name, tensor in model.state_dict().items()}
    write_file(directory / "model.pt", lambda temporary: torch.save(state, temporary), force=force)
    write_text(directory / "model.json", json.dumps(record, indent=1), force=force)
    return directory


def _layer_record(layer: SharedLinear) -> LayerRecord:
    """What model.json says of a layer: its U learned, fixed, adapted per task (MSR-Joint,
    recorded with v's size as k) or absent (U = I)."""
    if isinstance(layer, LiftingConv):  # rebuilt from the task record's group, size and fields
        sharing = "learned" if isinstance(layer, KroneckerLiftingConv) else layer.sharing is not None and "fixed"
        return LayerRecord(layer.kind, layer.in_features, layer.out_features, layer.k, sharing or None, False)
    if isinstance(layer, JointSharedLinear):
        return LayerRecord(layer.kind, layer.in_features, layer.out_features, layer.latent, "adapted", False)
    sharing = (None if layer.sharing is None else
               "learned" if isinstance(layer.sharing, torch.nn.Parameter) else "fixed")
    return LayerRecord(layer.kind, layer.in_features, layer.out_features, layer.k, sharing, layer.base is not None)


def load_checkpoint(directory: str | Path | None = None) -> tuple[MetaModel, CheckpointRecord]:
    """The model and its validated record from a directory written by
    [`save_checkpoint`][pltheory.msr.checkpoint.save_checkpoint] (the embedded
    `DEFAULT_CHECKPOINT` when ``directory`` is None).

    Raises
    ------
    CheckpointError
        If the directory lacks a file, the record fails its schema
        ([`from_json`][pltheory.msr.record.CheckpointRecord.from_json]) or the tensors do not fit it.

    Examples
    --------
    >>> from pltheory.msr.checkpoint import load_checkpoint
    >>> model, record = load_checkpoint()
    >>> model.kind, model.layers, record.steps, record.sharing_from["steps"]
    ('msr-fc', ModuleList(
      (0-2): 3 x SharedLinear(msr: 12 -> 12, k=12)
    ), 3000, 3000)
    >>> load_checkpoint(EMBEDDED["translation"])[0].layers[0]
    SharedLinear(msr: 70 -> 68, k=3)
    >>> load_checkpoint("no-such-directory")
    Traceback (most recent call last):
    ...
    pltheory.errors.CheckpointError: no-such-directory is not a pltheory checkpoint (needs model.json and model.pt)
    """
    directory = Path(directory) if directory is not None else DEFAULT_CHECKPOINT
    meta_path, tensor_path = directory / "model.json", directory / "model.pt"
    if not directory.is_dir() or not meta_path.is_file() or not tensor_path.is_file():
        raise CheckpointError(f"{directory} is not a pltheory checkpoint (needs model.json and model.pt)")
    if meta_path.stat().st_size > MAX_RECORD_BYTES:
        raise CheckpointError(f"{meta_path} is larger than {MAX_RECORD_BYTES} bytes: not a checkpoint record")
    try:
        data = json.loads(meta_path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise CheckpointError(f"{meta_path} is not valid JSON: {str(exc)[:200]}") from None
    record = CheckpointRecord.from_json(data, str(meta_path))
    try:
        state = torch.load(tensor_path, weights_only=True, map_location="cpu")
    except Exception as exc:  # noqa: BLE001 - a corrupt file fails in many ways (zip, pickle, struct)
        raise CheckpointError(f"{tensor_path} could not be read as a tensor file: {str(exc)[:200]}") from None
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) and v.is_floating_point()
                                              for v in state.values()):
        raise CheckpointError(f"{tensor_path} does not hold a dictionary of real floating-point tensors")
    try:
        model = _rebuild(record, state)
        model.load_state_dict(state, strict=True)
    except (KeyError, TypeError, ValueError, RuntimeError, IndexError) as exc:
        raise CheckpointError(f"{directory}: the tensors do not match the record: {str(exc)[:200]}") from None
    return model, record


def _rebuild(record: CheckpointRecord, state: dict) -> MetaModel:
    task = record.task
    if task.task == "lifting":
        structure = {"kind": record.model, "group": task.group, "size": task.size, "fields": task.fields}
        try:
            layer = rebuild_lifting_layer(structure, state, prefix="layers.0.")
        except PLTheoryError as exc:
            raise ValueError(str(exc)) from None
        return MetaModel([layer], inner_lr=record.inner_lr, kind=record.model)
    layers = []
    for i, spec in enumerate(record.layers):
        prefix = f"layers.{i}."
        if spec.sharing == "adapted":
            layers.append(JointSharedLinear(spec.inputs, spec.outputs, spec.k))
            continue
        sharing = state.get(prefix + "sharing") if spec.sharing else None
        base = state.get(prefix + "base") if spec.base else None
        for name, tensor, wanted in (("sharing", sharing, spec.sharing), ("base", base, spec.base)):
            if wanted and (tensor is None or tensor.ndim != 2):
                raise ValueError(f"layer {i} needs a 2-D {name} tensor")
        layer = SharedLinear(spec.inputs, spec.outputs, None if sharing is None else sharing.numpy(),
                             learn_sharing=spec.sharing == "learned", kind=spec.kind,
                             base=None if base is None else base.numpy())
        layers.append(layer)
    return MetaModel(layers, inner_lr=record.inner_lr, kind=record.model)
