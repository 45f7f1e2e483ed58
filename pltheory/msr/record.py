"""The metadata record of a checkpoint (``model.json``), validated field by field.

Everything read from a checkpoint is untrusted.
[`CheckpointRecord.from_json`][pltheory.msr.record.CheckpointRecord.from_json] checks every
field's type and range against this schema and raises
[`CheckpointError`][pltheory.errors.CheckpointError] naming the first field that is missing
or wrong (``task.group: expected a string, got 5``), in one line; numbers must be finite and
within the bounds below, so a 400-digit learning rate or a family of 400,000 tasks is
refused before anything is computed from it. An equivariant task family may carry its G-set
by structure (``generators`` and ``action``: lists of permutations, at most `MAX_GENERATORS`
of at most `MAX_FEATURES` points); records without them (library 0.1.0) are read by name.
Its ``depth`` (layers of each task's ReLU network, 1 to `MAX_LAYERS`) is recorded when
above 1. A run's ``init``, ``test_tasks``, ``method`` and ``depth`` (the model's layers, as many
as ``layers`` lists, whose sizes must chain), ``sharing_from`` (the one-layer run a deep
model's U started from) and ``baselines`` (models trained beside it on the same tasks) are
optional, so records written before them load.

Examples
--------
>>> record = CheckpointRecord.from_json({"format": FORMAT, "format_version": 1, "model": "conv",
...     "layers": [{"kind": "conv", "in": 70, "out": 68, "k": 3, "sharing": "fixed", "base": False}],
...     "inner_lr": 0.1, "steps": 10, "curve": [], "task": {"task": "translation", "rank": 1,
...     "num_tasks": 100, "examples": 20, "inputs": 70, "width": 3, "seed": 0}})
>>> record.layers[0].inputs, record.task.rank
(70, 1)
>>> CheckpointRecord.from_json({"format": FORMAT, "format_version": 1, "model": "conv"})
Traceback (most recent call last):
...
pltheory.errors.CheckpointError: model.json: layers: missing
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..errors import CheckpointError
from ..limits import MAX_EXAMPLES, MAX_FEATURES, MAX_INNER_STEPS, MAX_LAYERS, MAX_SHARED, MAX_STEPS, MAX_TASKS
from .lifting import GROUPS as LIFTING_GROUPS
from .models import INITS, MODEL_KINDS
from .train import METHODS, TEST_TASKS

#: Largest image side and number of regular fields a recorded lifting family may have.
MAX_LIFTING_SIZE = 256
MAX_LIFTING_FIELDS = 64

FORMAT = "pltheory-msr-checkpoint"
FORMAT_VERSION = 1

#: Most generators a recorded group may have (as many as a sharing pattern's group found
#: by [`pltheory.analysis.pattern_group`][pltheory.analysis.pattern_group] may have).
MAX_GENERATORS = 10_000

#: Longest text and evaluation curve a record may hold.
MAX_TEXT = 10_000
MAX_CURVE = 100_000


@dataclass(frozen=True)
class LayerRecord:
    """One shared linear layer: vec(W) = U v with W of shape (outputs, inputs).

    >>> from pltheory.msr.record import LayerRecord
    >>> LayerRecord(kind="conv", inputs=70, outputs=68, k=3, sharing="fixed", base=False).outputs
    68
    """

    kind: str
    inputs: int
    outputs: int
    k: int
    sharing: str | None  # None (U = I), "learned", "fixed" or "adapted" (per task: MSR-Joint, k = v's size)
    base: bool

    def to_json(self) -> dict:
        """The layer as model.json writes it (keys ``in`` and ``out`` for the sizes).

        >>> from pltheory.msr.record import LayerRecord
        >>> LayerRecord("conv", 70, 68, 3, "fixed", False).to_json()
        {'kind': 'conv', 'in': 70, 'out': 68, 'k': 3, 'sharing': 'fixed', 'base': False}
        """
        return {"kind": self.kind, "in": self.inputs, "out": self.outputs, "k": self.k, "sharing": self.sharing,
                "base": self.base}


@dataclass(frozen=True)
class TaskRecord:
    """How to regenerate the task family: the 1-D translation family (rank, inputs, width,
    mixing matrix C) or an equivariant family (its group's generators and their action on
    the G-set, with the names; or only the names, in records of library 0.1.0; and the
    depth of its tasks' networks, None for 1).

    >>> from pltheory.msr.record import TaskRecord
    >>> TaskRecord("translation", num_tasks=10, examples=20, seed=0, rank=1, inputs=6, width=3).width
    3
    """

    task: str
    num_tasks: int
    examples: int
    seed: int
    name: str | None = None
    rank: int | None = None
    inputs: int | None = None
    width: int | None = None
    C: tuple[tuple[float, ...], ...] | None = None
    group: str | None = None
    set: str | None = None
    label_variance: float | None = None
    generators: tuple[tuple[int, ...], ...] | None = None
    action: tuple[tuple[int, ...], ...] | None = None
    depth: int | None = None
    size: int | None = None
    fields: int | None = None
    num_train: int | None = None

    def as_spec(self) -> dict:
        """The fields that are set, as a task family's spec
        ([`family_from_spec`][pltheory.msr.tasks.family_from_spec] regenerates the family from it).

        >>> from pltheory.msr.record import TaskRecord
        >>> from pltheory.msr.tasks import family_from_spec
        >>> spec = TaskRecord("translation", 10, 20, 0, rank=1, inputs=6, width=3).as_spec()
        >>> spec
        {'task': 'translation', 'num_tasks': 10, 'examples': 20, 'seed': 0, 'rank': 1, 'inputs': 6, 'width': 3}
        >>> family_from_spec(spec).x.shape
        (10, 20, 6)
        """
        return {name: value for name, value in self.__dict__.items() if value is not None}


@dataclass(frozen=True)
class CheckpointRecord:
    """The validated content of model.json (see the module docstring).

    >>> import json
    >>> from pltheory.msr.checkpoint import EMBEDDED
    >>> from pltheory.msr.record import CheckpointRecord
    >>> record = CheckpointRecord.from_json(json.loads((EMBEDDED["translation"] / "model.json").read_text()))
    >>> record.model, record.steps, record.task.task, record.layers[0].k
    ('msr-fc', 5000, 'translation', 3)
    """

    model: str
    layers: tuple[LayerRecord, ...]
    inner_lr: float
    steps: int
    task: TaskRecord
    curve: tuple[dict, ...]
    library_version: str | None = None
    seed: int | None = None
    meta_batch: int | None = None
    device: str | None = None
    command: str | None = None
    support: int | None = None
    inner_steps: int | None = None
    first_order: bool | None = None
    split: str | None = None
    meta_train: int | None = None
    threads: int | None = None
    init: str | None = None
    test_tasks: str | None = None
    method: str | None = None
    depth: int | None = None
    sharing_from: dict | None = None
    baselines: tuple[dict, ...] = ()

    @property
    def test_mse(self) -> float | None:
        """The last meta-test MSE of the training curve, if recorded."""
        return self.curve[-1].get("mse") if self.curve else None

    @classmethod
    def from_json(cls, data: object, where: str = "model.json") -> CheckpointRecord:
        """Validate a parsed model.json (see the module docstring); ``where`` names it in
        the messages.

        Raises
        ------
        CheckpointError
            Naming the first field that is missing or wrong.

        Examples
        --------
        >>> from pltheory.msr.record import CheckpointRecord
        >>> CheckpointRecord.from_json({"format": "pltheory-msr-checkpoint", "format_version": 2}, "a.json")
        Traceback (most recent call last):
        ...
        pltheory.errors.CheckpointError: a.json has another format version; this library reads 1
        """
        top = _Fields(data, where)
        if top.text("format") != FORMAT:
            raise CheckpointError(f"{where} is not a pltheory checkpoint record (format {FORMAT!r} expected)")
        if top.integer("format_version", 0, 10**6) != FORMAT_VERSION:
            raise CheckpointError(f"{where} has another format version; this library reads {FORMAT_VERSION}")
        layers = top.items("layers", 1, 64)
        task = top.sub("task")
        kind = task.text("task", choices=("translation", "equivariant", "lifting"))
        common = {"task": kind, "num_tasks": task.integer("num_tasks", 2, MAX_TASKS),
                  "examples": task.integer("examples", 2, MAX_EXAMPLES), "seed": task.integer("seed", 0, 2**63 - 1),
                  "name": task.text("name", required=False),
                  "label_variance": task.real("label_variance", 0.0, 1e300, required=False)}
        if kind == "translation":
            rank, inputs = task.integer("rank", 1, 1000), task.integer("inputs", 2, MAX_FEATURES)
            width = task.integer("width", 1, inputs)
            C = task.matrix("C", (inputs - width + 1, rank), required=False)
            task_record = TaskRecord(**common, rank=rank, inputs=inputs, width=width, C=C)
        elif kind == "lifting":  # pltheory.msr.lifting: the group, image side and regular fields
            task_record = TaskRecord(**common, group=task.text("group", choices=LIFTING_GROUPS),
                                     size=task.integer("size", 3, MAX_LIFTING_SIZE),
                                     fields=task.integer("fields", 1, MAX_LIFTING_FIELDS),
                                     num_train=task.integer("num_train", 1, common["num_tasks"] - 1, required=False))
        else:
            generators = task.permutations("generators", required=False)
            action = None if generators is None else task.permutations("action", count=len(generators))
            task_record = TaskRecord(**common, group=task.text("group"), set=task.text("set"),
                                     generators=generators, action=action,
                                     depth=task.integer("depth", 1, MAX_LAYERS, required=False))
        return cls(
            model=top.text("model", choices=MODEL_KINDS),
            layers=_chained(tuple(_layer(_Fields(item, f"{where}: layers[{i}]")) for i, item in enumerate(layers)),
                            where),
            inner_lr=top.real("inner_lr", -1e6, 1e6),
            steps=top.integer("steps", 0, MAX_STEPS),
            task=task_record,
            curve=tuple(_point(_Fields(item, f"{where}: curve[{i}]"))
                        for i, item in enumerate(top.items("curve", 0, MAX_CURVE))),
            library_version=top.text("library_version", required=False),
            seed=top.integer("seed", 0, 2**63 - 1, required=False),
            meta_batch=top.integer("meta_batch", 1, MAX_TASKS, required=False),
            device=top.text("device", required=False),
            command=top.text("command", required=False),
            support=top.integer("support", 1, MAX_EXAMPLES, required=False),
            inner_steps=top.integer("inner_steps", 1, MAX_INNER_STEPS, required=False),
            first_order=top.boolean("first_order", required=False),
            split=top.text("split", choices=(None, "first", "random"), required=False),
            meta_train=top.integer("meta_train", 1, MAX_TASKS, required=False),
            threads=top.integer("threads", 1, 4096, required=False),
            init=top.text("init", choices=(None, *INITS), required=False),
            test_tasks=top.text("test_tasks", choices=(None, *TEST_TASKS), required=False),
            method=top.text("method", choices=(None, *METHODS), required=False),
            depth=_depth(top.integer("depth", 1, MAX_LAYERS, required=False), len(layers), where),
            sharing_from=_source(top.sub("sharing_from", required=False)),
            baselines=tuple(_baseline(_Fields(item, f"{where}: baselines[{i}]"))
                            for i, item in enumerate(top.items("baselines", 0, len(MODEL_KINDS), required=False))),
        )


def _layer(fields: _Fields) -> LayerRecord:
    inputs, outputs = fields.integer("in", 1, MAX_FEATURES), fields.integer("out", 1, MAX_FEATURES)
    return LayerRecord(kind=fields.text("kind"), inputs=inputs, outputs=outputs,
                       k=fields.integer("k", 1, min(MAX_SHARED, inputs * outputs)),
                       sharing=fields.text("sharing", choices=(None, "learned", "fixed", "adapted")),
                       base=fields.boolean("base"))


def _depth(depth: int | None, layers: int, where: str) -> int | None:
    """The recorded depth of the model (optional: records before it lack it), if it counts
    the layers the record lists; else CheckpointError.

    >>> from pltheory.msr.record import _depth
    >>> _depth(None, 1, "a.json"), _depth(2, 2, "a.json")
    (None, 2)
    >>> _depth(3, 2, "a.json")
    Traceback (most recent call last):
    ...
    pltheory.errors.CheckpointError: a.json: depth: expected 2 (the layers listed), got 3
    """
    if depth is not None and depth != layers:
        raise CheckpointError(f"{where}: depth: expected {layers} (the layers listed), got {depth}")
    return depth


def _chained(layers: tuple[LayerRecord, ...], where: str) -> tuple[LayerRecord, ...]:
    """The layers, if each one's inputs are the outputs of the layer before it (a model of
    several layers composes them); else CheckpointError, so that no untrusted record fails
    later, inside a forward pass.

    >>> from pltheory.msr.record import LayerRecord, _chained
    >>> _chained((LayerRecord("fc", 6, 6, 36, None, False), LayerRecord("fc", 5, 6, 30, None, False)), "a.json")
    Traceback (most recent call last):
    ...
    pltheory.errors.CheckpointError: a.json: layers[1]: in: expected 6 (the outputs of layers[0]), got 5
    """
    for i in range(1, len(layers)):
        if layers[i].inputs != layers[i - 1].outputs:
            raise CheckpointError(f"{where}: layers[{i}]: in: expected {layers[i - 1].outputs} "
                                  f"(the outputs of layers[{i - 1}]), got {layers[i].inputs}")
    return layers


def _source(fields: _Fields | None) -> dict | None:
    """Where a warm-started model's U came from (``pltheory train --sharing-from``): the
    one-layer run's model, steps, task, meta-test MSE and command."""
    if fields is None:
        return None
    return {"model": fields.text("model", choices=MODEL_KINDS), "steps": fields.integer("steps", 0, MAX_STEPS),
            "task": fields.text("task"), "test_mse": fields.real("test_mse", 0.0, 1e300, required=False),
            "command": fields.text("command", required=False)}


def _baseline(fields: _Fields) -> dict:
    """A baseline trained beside the model with the same family and protocol (``pltheory
    train --baselines``): its kind, steps and final meta-test MSE with its 95% interval."""
    return {"model": fields.text("model", choices=MODEL_KINDS), "steps": fields.integer("steps", 0, MAX_STEPS),
            "test_mse": fields.real("test_mse", 0.0, 1e300), "ci95": fields.real("ci95", 0.0, 1e300)}


def _point(fields: _Fields) -> dict:
    point = {"step": fields.integer("step", 0, MAX_STEPS)}
    for key in ("mse", "ci95", "train_loss"):
        value = fields.real(key, 0.0, 1e300, required=False)
        if value is not None:
            point[key] = value
    tasks = fields.integer("tasks", 0, MAX_TASKS, required=False)
    if tasks is not None:
        point["tasks"] = tasks
    return point


class _Fields:
    """Typed access to the fields of one JSON object, raising CheckpointError by name."""

    def __init__(self, data: object, where: str) -> None:
        if not isinstance(data, dict):
            raise CheckpointError(f"{where}: expected an object, got {_kind(data)}")
        self.data, self.where = data, where

    def _get(self, key: str, required: bool) -> object:
        if self.data.get(key) is None:
            if required:
                raise CheckpointError(f"{self.where}: {key}: missing")
            return None
        return self.data[key]

    def _fail(self, key: str, expected: str, value: object) -> CheckpointError:
        return CheckpointError(f"{self.where}: {key}: expected {expected}, got {_kind(value)}")

    def integer(self, key: str, low: int, high: int, *, required: bool = True) -> int | None:
        value = self._get(key, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self._fail(key, f"an integer from {low} to {high}", value)
        return value

    def real(self, key: str, low: float, high: float, *, required: bool = True) -> float | None:
        value = self._get(key, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self._fail(key, "a number", value)
        number = float(value) if isinstance(value, float) or abs(value) < 10**300 else math.inf
        if not (math.isfinite(number) and low <= number <= high):
            raise self._fail(key, f"a finite number from {low:g} to {high:g}", value)
        return number

    def text(self, key: str, *, choices: tuple | None = None, required: bool = True) -> str | None:
        value = self._get(key, required and (choices is None or None not in choices))
        if value is None:
            return None
        if not isinstance(value, str) or len(value) > MAX_TEXT:
            raise self._fail(key, f"a string of at most {MAX_TEXT} characters", value)
        if choices is not None and value not in choices:
            raise CheckpointError(f"{self.where}: {key}: expected one of "
                                  f"{', '.join(repr(c) for c in choices)}, got {_kind(value)}")
        return value

    def boolean(self, key: str, *, required: bool = True) -> bool | None:
        value = self._get(key, required)
        if value is None and not required:
            return None
        if not isinstance(value, bool):
            raise self._fail(key, "true or false", value)
        return value

    def items(self, key: str, low: int, high: int, *, required: bool = True) -> list:
        value = self._get(key, required)
        if value is None:
            return []
        if not isinstance(value, list) or not low <= len(value) <= high:
            raise self._fail(key, f"a list of {low} to {high} items", value)
        return value

    def sub(self, key: str, *, required: bool = True) -> _Fields | None:
        value = self._get(key, required)
        return None if value is None else _Fields(value, f"{self.where}: {key}")

    def matrix(self, key: str, shape: tuple[int, int], *, required: bool = True) -> tuple | None:
        value = self._get(key, required)
        if value is None:
            return None
        rows = value if isinstance(value, list) and len(value) == shape[0] else None
        if rows is None or not all(isinstance(r, list) and len(r) == shape[1] and all(
                isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(float(v))
                and abs(v) < 1e300 for v in r) for r in rows):
            raise self._fail(key, f"a {shape[0]} x {shape[1]} matrix of finite numbers", value)
        return tuple(tuple(float(v) for v in r) for r in rows)

    def permutations(self, key: str, *, count: int | None = None,
                     required: bool = True) -> tuple[tuple[int, ...], ...] | None:
        """A list of 1 to MAX_GENERATORS permutations (``count`` if given) of one set of
        0 .. d - 1, d <= MAX_FEATURES, as tuples of ints."""
        value = self._get(key, required)
        if value is None:
            return None
        low, high = (count, count) if count is not None else (1, MAX_GENERATORS)
        what = f"a list of {low} to {high} permutations of 0 .. d - 1 (d <= {MAX_FEATURES})"
        if not isinstance(value, list) or not low <= len(value) <= high or not all(
                isinstance(row, list) and 1 <= len(row) <= MAX_FEATURES and len(row) == len(value[0])
                and all(isinstance(i, int) and not isinstance(i, bool) for i in row) for row in value):
            raise self._fail(key, what, value)
        rows = np.array(value, dtype=object)
        if not ((rows >= 0) & (rows < rows.shape[1])).all() or \
                not (np.sort(rows.astype(np.int64), axis=1) == np.arange(rows.shape[1])).all():
            raise self._fail(key, what, value)
        return tuple(tuple(row) for row in value)


def _kind(value: object) -> str:
    """A short description of a JSON value for an error message (no raw control characters)."""
    if isinstance(value, (dict, list)):
        return f"{type(value).__name__} of {len(value)} items"
    text = repr(value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**20:
        text = f"an integer of about {int(abs(value).bit_length() * 0.30103) + 1} digits"
    return text if len(text) <= 60 else text[:57] + "..."
