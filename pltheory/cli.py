"""The ``pltheory`` command.

Every command prints a human-readable summary, or JSON with ``--json``. Bad input
(an unknown group, a G-set that does not fit, a group too large to enumerate, a file
that exists) gives a one-line ``pltheory: error: ...`` message and exit status 2.

    pltheory group S4
    pltheory basis C4xC4 --x grid --y grid --show
    pltheory basis S5 --x natural --y pairs --json --save basis.npz
    pltheory graph C12 --activation relu --method exact -o c12.png
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

# Start-up: building the parser needs only the light modules imported by name below (no numpy,
# sympy, scipy or networkx), so `pltheory --help` answers at once. The commands reach the rest
# through the lazy package, `pt.group(...)`, `pt.outputs.write_file(...)`, which imports each
# module on first use (tests/test_startup.py checks it, benchmarks/bench_startup.py times it).
import pltheory as pt

from ._version import __version__
from .errors import SPEC_FORMS, CommandError, PLTheoryError
from .limits import MAX_DEPTH, MAX_ELEMENTS, MAX_INNER_STEPS, MAX_LAYERS, MAX_SHARED, MAX_STEPS, MAX_TASKS

if TYPE_CHECKING:
    import numpy as np

#: Largest basis whose label matrix ``--show`` prints.
SHOW_LIMIT = 40

#: Edges ``graph`` lists in its text output (C_4096 has 1.4 million; --json lists all).
TEXT_EDGES = 2000

#: File types ``graph -o`` writes: drawings, and Graphviz DOT text.
GRAPH_FORMATS = (".png", ".svg", ".pdf", ".dot")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="pltheory",
        description="Piecewise-linear representation theory of equivariant networks.",
    )
    parser.add_argument("--version", action="version", version=f"pltheory {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("group", help="order, generators and conjugacy classes of a group")
    p.add_argument("group", help="e.g. C8, C4xC4, C4^2, D6, S5, A5, C2xS3")
    _add_common(p)

    p = sub.add_parser("basis", help="orbit basis of equivariant maps Fun X -> Fun Y")
    p.add_argument("group", help="e.g. C8, C4xC4, D6, S5")
    p.add_argument("--x", default="natural", help=f"source G-set (default natural): {SPEC_FORMS}")
    p.add_argument("--y", default=None, help="target G-set (default: the source)")
    p.add_argument("--save", metavar="FILE.npz", help="write labels and orbit sizes to an .npz file")
    p.add_argument("--force", action="store_true", help="overwrite the --save file if it exists")
    p.add_argument("--show", action="store_true",
                   help=f"print the label matrix (|Y| x |X| up to {SHOW_LIMIT} x {SHOW_LIMIT})")
    _add_common(p)

    p = sub.add_parser("irreps", help="real irreducible representations and the character table")
    p.add_argument("group", help="e.g. C8, C4xC4, D6, S4, A5")
    _add_common(p)

    p = sub.add_parser("decompose", help="multiplicities of the real irreducibles in Fun(X)")
    p.add_argument("group", help="e.g. C8, C4xC4, D6, S4, A5")
    p.add_argument("--set", default="natural", help=f"the G-set X (default natural): {SPEC_FORMS}")
    _add_common(p)

    p = sub.add_parser("decompose-weight", help="energy of a weight W: Fun X -> Fun Y between irreducibles")
    p.add_argument("weight", metavar="W.npy", help="a |Y| x |X| array saved with numpy.save")
    p.add_argument("--group", required=True, help="e.g. C8, D6, S4")
    p.add_argument("--x", default="natural", help="source G-set (default natural)")
    p.add_argument("--y", default=None, help="target G-set (default: the source)")
    _add_common(p)

    p = sub.add_parser("graph", help="interaction graph: how an activation moves energy between irreducibles")
    p.add_argument("group", help="e.g. C12, C4xC4, D6, S4")
    p.add_argument("--set", default="regular", help=f"the G-set X (default regular): {SPEC_FORMS}")
    p.add_argument("--activation", default="relu",
                   help="relu, abs, leaky:P, prelu:P, min, linear, hardtanh, tanh, pl:B1,..;S0,S1,.. (default relu)")
    p.add_argument("--method", default="probe", choices=["probe", "exact", "closed-form"],
                   help="how edges are decided (default probe)")
    p.add_argument("--depth", type=_count(MAX_DEPTH), default=1,
                   help=f"activation layers, up to {MAX_DEPTH} (default 1)")
    p.add_argument("--seed", type=_seed, default=0, help="seed of the probes (default 0)")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="draw the graph to FILE.png, .svg or .pdf, or write Graphviz DOT to FILE.dot")
    p.add_argument("--labels", default="order", choices=["order", "frequency", "dim", "irrep"],
                   help="second line of the drawing's node labels, under the irreducible's key "
                        "(default order: |G / ker|; irrep: the key alone)")
    p.add_argument("--force", action="store_true", help="overwrite the output file if it exists")
    p.add_argument("--dot", action="store_true", help="print Graphviz DOT instead of the summary")
    _add_common(p)

    p = sub.add_parser("train", help="meta-train an MSR model or a MAML baseline (needs PyTorch)")
    p.add_argument("--task", default="translation",
                   choices=["translation", "rotation", "rotation-flip", "permutation", "cyclic", "dihedral",
                            "lifting-p4", "lifting-p4m"],
                   help="task family (default translation)")
    p.add_argument("--rank", type=_count(68), default=1, help="rank k of the translation family (default 1)")
    p.add_argument("--model", default="msr-fc", choices=MODEL_KINDS,
                   help="model (default msr-fc; mtsr-fc is trained by multi-task learning, every other by MAML)")
    p.add_argument("--init", default="official", choices=["official", "zero"],
                   help="starting values: the paper's official code's (default) or W = 0")
    p.add_argument("--steps", type=_count(MAX_STEPS), default=1000, help="outer steps (default 1000)")
    p.add_argument("--seed", type=_seed, default=0, help="seed of the data and the training (default 0)")
    p.add_argument("--out", required=True, metavar="DIR", help="checkpoint directory (model.pt, model.json)")
    p.add_argument("--force", action="store_true", help="replace a checkpoint already in DIR")
    p.add_argument("--meta-batch", type=_count(MAX_TASKS), default=32, help="tasks per outer step (default 32)")
    p.add_argument("--num-tasks", type=_count(MAX_TASKS), default=None,
                   help="tasks in the family (default 10000 for translation, 2000 otherwise)")
    p.add_argument("--meta-train", type=_count(MAX_TASKS), default=None, metavar="N",
                   help="of them, the tasks used for meta-training (default 80%%; the rest are meta-test tasks)")
    p.add_argument("--support", type=_count(MAX_TASKS), default=1,
                   help="examples per task for the inner loop, fewer than the 20 a task has (default 1; the others "
                        "are the query)")
    p.add_argument("--inner-steps", type=_count(MAX_INNER_STEPS), default=1,
                   help="SGD steps of the inner loop (default 1)")
    p.add_argument("--first-order", action="store_true",
                   help="first-order meta-gradient (do not differentiate through the inner loop)")
    p.add_argument("--split", default="random", choices=["first", "random"],
                   help="support examples of an episode: a random subset drawn afresh each time, as the paper's "
                        "official code does (default), or the first of the task")
    p.add_argument("--test-tasks", default="random", choices=["first", "random"],
                   help="meta-test tasks evaluated: a fresh random draw with random support sets at each evaluation, "
                        "as the official code does (default), or the first ones with their first examples as support")
    p.add_argument("--threads", type=_count(256), default=None,
                   help="torch threads (default: 1 for small layers such as the paper's, else every core)")
    p.add_argument("--sharing-dim", type=_count(MAX_SHARED), default=None,
                   help="k of MSR's U (default 3 x rank, or 4)")
    p.add_argument("--eval-every", type=_count(MAX_STEPS), default=100, help="steps between evaluations (default 100)")
    p.add_argument("--eval-tasks", type=_count(MAX_TASKS), default=300, help="meta-test tasks evaluated (default 300)")
    p.add_argument("--size", type=_count(64), default=6,
                   help="image side for rotation and lifting tasks, up to 64 (default 6)")
    p.add_argument("--points", type=_count(1000), default=6,
                   help="n for permutation, cyclic and dihedral tasks, up to 1000 (default 6)")
    p.add_argument("--depth", type=_count(MAX_LAYERS), default=1,
                   help=f"layers of each task's ReLU network and of the model, up to {MAX_LAYERS} (default 1; "
                        "the translation family has one)")
    p.add_argument("--sharing-from", metavar="DIR", default=None,
                   help="start every layer's U at the U a one-layer msr-fc checkpoint in DIR learned on the same "
                        "G-set (a curriculum for deep models)")
    p.add_argument("--baselines", type=_model_kinds, default=(), metavar="KINDS",
                   help="comma-separated models (e.g. equivariant,fc) also trained on the same tasks with the same "
                        "settings; their meta-test MSE is recorded beside the model's")
    p.add_argument("--device", default=None, help="cpu or cuda (default: cuda when there is one)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("analyze", help="which symmetry a trained checkpoint learned (needs PyTorch)")
    p.add_argument("checkpoint", metavar="CHECKPOINT", help="a directory written by pltheory train")
    p.add_argument("--group", default="auto", help="analysis group: auto (default) or a group such as C70")
    p.add_argument("-o", "--output", metavar="DIR", help="also write the report (index.html, report.json, PNGs)")
    p.add_argument("--force", action="store_true", help="write into a non-empty DIR not written by pltheory")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("report", help="the main job: analyse the embedded MSR checkpoint, write an HTML report")
    p.add_argument("checkpoint", nargs="?", metavar="CHECKPOINT", default=None,
                   help="a directory written by pltheory train (default: the embedded --model)")
    p.add_argument("--model", choices=EMBEDDED_MODELS, default=None,
                   help="which embedded checkpoint: cyclic (default; a 3-layer MSR-FC ReLU network on C12-equivariant "
                        "tasks, with baselines) or translation (the paper's one-layer rank-1 translation model)")
    p.add_argument("-o", "--output", metavar="DIR", default="report", help="output directory (default report)")
    p.add_argument("--force", action="store_true", help="write into a non-empty DIR not written by pltheory")
    p.add_argument("--json", action="store_true", help="print JSON")
    return parser


def _add_common(p: argparse.ArgumentParser) -> None:
    """The options every command shares: --max-elements and --json."""
    p.add_argument("--max-elements", type=_count(10**12), default=MAX_ELEMENTS, metavar="N",
                   help="largest group order for which elements may be listed (default %(default)s)")
    p.add_argument("--json", action="store_true", help="print JSON")


def _integer(minimum: int, maximum: int):
    """An argparse type: an integer from minimum to maximum, else a usage error."""
    def parse(text: str) -> int:
        stripped = text.strip()
        digits = stripped.lstrip("+-")
        value = int(stripped) if digits.isascii() and digits.isdigit() and len(digits) <= 20 else None
        if value is None or not minimum <= value <= maximum:
            kind = "non-negative" if minimum == 0 else "positive" if minimum == 1 else f">= {minimum}"
            raise argparse.ArgumentTypeError(f"expected a {kind} integer up to {maximum}, got {text[:40]!r}")
        return value

    return parse


_seed = _integer(0, 2**63 - 1)


def _count(maximum: int):
    """An argparse type: a positive integer up to ``maximum``."""
    return _integer(1, maximum)


#: The names of pltheory.msr.checkpoint.EMBEDDED, written out for the same reason as MODEL_KINDS
EMBEDDED_MODELS = ("cyclic", "translation")

#: pltheory.msr.models.MODEL_KINDS, written out because torch is optional where the parser is built
MODEL_KINDS = ("fc", "lc", "conv", "msr-fc", "mtsr-fc", "msr-joint-fc", "msr-conv", "equivariant")


def _model_kinds(text: str) -> tuple[str, ...]:
    """An argparse type: comma-separated model kinds, each one of `MODEL_KINDS`, no repeats."""
    kinds = tuple(part.strip() for part in text.split(","))
    unknown = [kind for kind in kinds if kind not in MODEL_KINDS]
    if unknown or len(set(kinds)) != len(kinds):
        raise argparse.ArgumentTypeError(f"expected distinct models among {', '.join(MODEL_KINDS)}, got {text!r}")
    return kinds


class _Parser(argparse.ArgumentParser):
    """argparse with one-line usage errors, like every other refusal of the command."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"pltheory: error: {_one_line(message)} (see {self.prog} --help)\n")
        sys.exit(2)


def _one_line(text: str, limit: int = 1000) -> str:
    """A message on one line: ANSI escapes and control characters removed, whitespace
    runs (newlines, tabs) collapsed, at most ``limit`` characters."""
    text = re.sub(r"\x1b\[[0-9;?]*[ -/]*[@-~]", "", str(text))
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _load_group(args: argparse.Namespace) -> pt.FiniteGroup:
    G = pt.group(args.group)
    G.max_elements = args.max_elements
    return G


def _cmd_group(args: argparse.Namespace) -> dict:
    G = _load_group(args)
    info = G.as_dict()
    if not args.json:
        print(f"{info['group']}: order {pt.groups.format_order(G.order)}, acting on {info['degree']} points"
              f"{', abelian' if info['abelian'] else ''}")
        print("generators: " + ", ".join(_abbreviate(g) for g in info["generators"]))
        if info["classes"] is None:
            print(f"conjugacy classes: not listed ({info['classes_note']})")
        else:
            print(f"{len(info['classes'])} conjugacy classes:")
            print(f"  {'size':>8}  {'order':>5}  representative")
            for c in info["classes"]:
                print(f"  {c['size']:>8}  {c['element_order']:>5}  {c['representative']}")
    return info


def _abbreviate(text: str, limit: int = 100) -> str:
    """Shorten a long cycle for human output: '(0 1 2 3 ... 99999)'."""
    return text if len(text) <= limit else text[: limit - 10].rsplit(" ", 1)[0] + " ... " + text[-8:].split(" ")[-1]


def _cmd_basis(args: argparse.Namespace) -> dict:
    G = _load_group(args)
    if args.save is not None and not args.save.strip():
        raise CommandError("--save needs a file name")
    save = Path(args.save) if args.save is not None else None
    if save is not None:
        if save.suffix != ".npz":
            raise CommandError(f"--save needs a file name ending in .npz, got {save}")
        pt.outputs.prepare_output(save, force=args.force)
    X = pt.GSet.from_spec(G, args.x)
    Y = pt.GSet.from_spec(G, args.y) if args.y is not None else X
    start = time.perf_counter()
    basis = pt.equivariant_basis(X, Y)
    seconds = time.perf_counter() - start
    info = {**basis.as_dict(), "seconds": round(seconds, 6)}
    if save is not None:
        import numpy as np  # noqa: PLC0415 - numpy would double the parser's start-up time

        pt.outputs.write_file(save, lambda temporary: np.savez_compressed(
            temporary, labels=basis.labels, orbit_sizes=basis.orbit_sizes, group=G.name, x=X.name, y=Y.name),
            force=args.force)
        info["saved"] = str(save)
    if not args.json:
        print(f"Hom_{G.name}(Fun {X.name}, Fun {Y.name}): dimension {basis.dim} "
              f"({Y.size} x {X.size} matrices), found in {seconds * 1e3:.1f} ms")
        print("orbit sizes: " + ", ".join(f"{c} of size {s}" for s, c in info["orbit_sizes"].items()))
        if args.show:
            _print_labels(basis.labels)
        if save is not None:
            print(f"saved to {save}")
    return info


def _cmd_irreps(args: argparse.Namespace) -> dict:
    G = _load_group(args)
    table = pt.character_table(G)
    rows = table.as_dict()
    info = {"group": G.name, "order": G.order, "irreps": [V.as_dict() for V in G.irreps()],
            "classes": rows["classes"], "character_table": rows["rows"]}
    if not args.json:
        print(f"{G.name}: order {G.order}, {len(info['irreps'])} real irreducibles")
        print(f"  {'key':>8}  {'dim':>3}  type  {'|kernel|':>8}")
        for V in info["irreps"]:
            print(f"  {V['key']:>8}  {V['dim']:>3}  {V['type']:>4}  {V['kernel_order'] or '?':>8}")
        print("complex character table (columns: conjugacy classes):")
        print(table)
    return info


def _cmd_decompose(args: argparse.Namespace) -> dict:
    G = _load_group(args)
    X = pt.GSet.from_spec(G, args.set)
    info = pt.decompose(X).as_dict()
    if not args.json:
        print(f"Fun({X.name}) of {G.name}, dimension {X.size}:")
        print(f"  {'irrep':>8}  {'dim':>3}  type  multiplicity")
        for c in info["components"]:
            print(f"  {c['irrep']:>8}  {c['dim']:>3}  {c['type']:>4}  {c['multiplicity']:>12}")
    return info


def _cmd_decompose_weight(args: argparse.Namespace) -> dict:
    W = pt.inputs.read_npy(args.weight)
    G = _load_group(args)
    X = pt.GSet.from_spec(G, args.x)
    Y = pt.GSet.from_spec(G, args.y) if args.y is not None else X
    result = pt.decompose_weight(W, X, Y)
    info = {"group": G.name, "x": X.name, "y": Y.name, **result.as_dict()}
    if not args.json:
        print(f"W: Fun({X.name}) -> Fun({Y.name}) under {G.name}: "
              f"{100 * result.equivariant_share:.2f}% of ||W||^2 is equivariant")
        print("share of ||W||^2 per block (rows: target irreducibles, columns: source):")
        width = max(8, *(len(label) for label in result.source_keys))
        print(" " * 10 + "".join(f"{label:>{width + 2}}" for label in result.source_keys))
        for label, row in zip(result.target_keys, result.energy):
            print(f"{label:>10}" + "".join(f"{v:>{width + 2}.4f}" for v in row))
    return info


def _cmd_graph(args: argparse.Namespace) -> dict:
    output = Path(args.output) if args.output is not None else None
    if output is not None:
        if output.suffix.lower() not in GRAPH_FORMATS:
            raise CommandError(f"-o needs a file name ending in {', '.join(GRAPH_FORMATS)}, got {output}")
        pt.outputs.prepare_output(output, force=args.force)
    G = _load_group(args)
    X = pt.GSet.from_spec(G, args.set)
    start = time.perf_counter()
    method = args.method.replace("-", "_")
    # exact and closed-form edges get probe weights on sets small enough to probe quickly
    weights = None if method == "probe" else X.size <= pt.interaction.WEIGHT_PROBE_POINTS
    graph = pt.interaction_graph(X, args.activation, method=method, depth=args.depth, seed=args.seed, weights=weights)
    seconds = time.perf_counter() - start
    # the JSON form only when it is printed: a dict per edge costs 0.5 GB for C_4096's 1.4 million
    info = {**graph.as_dict(), "seconds": round(seconds, 6)} if args.json else {"seconds": round(seconds, 6)}
    if output is not None:
        if output.suffix.lower() == ".dot":
            pt.outputs.write_text(output, graph.to_dot() + "\n", force=args.force)
        else:
            _save_figure(graph, output, args.labels, force=args.force)
        info["output"] = str(output)
    if args.dot and not args.json:
        print(graph.to_dot())
    elif not args.json:
        edges = graph.graph.edges(data="weight")
        print(f"{graph.activation.name} on Fun({X.name}) of {G.name}, depth {graph.depth}, method "
              f"{graph.method}: {graph.graph.number_of_nodes()} components, {len(edges)} edges "
              f"({seconds * 1e3:.1f} ms)")
        print(f"  {'irrep':>10}  {'dim':>3}  {'mult':>4}  {'|kernel|':>8}")
        for key, n in graph.graph.nodes(data=True):
            print(f"  {key:>10}  {n['dim']:>3}  {n['multiplicity']:>4}  {n['kernel_order'] or '?':>8}")
        print("edges (source -> target: mean share of the activated energy):")
        for source, target, weight in itertools.islice(edges, TEXT_EDGES):
            print(f"  {str(source):>10} -> {str(target):<10} {'-' if weight is None else f'{weight:.4f}'}")
        if len(edges) > TEXT_EDGES:
            print(f"  ... {len(edges) - TEXT_EDGES} more edges (--json or -o FILE.dot lists them all)")
        if output is not None:
            print(f"drawn to {output}")
    return info


def _save_figure(graph, output: Path, labels: str, *, force: bool) -> None:
    """Draw the graph into ``output`` (PNG at 150 dpi, SVG or PDF), atomically."""
    pt.plotting.offscreen()
    ax = pt.plotting.draw_interaction_graph(graph, labels=labels)  # a figure sized to the graph
    pt.plotting.save_figure(ax, output, dpi=150, force=force, bbox_inches="tight")


def _cmd_train(args: argparse.Namespace) -> dict:
    try:
        import torch  # noqa: PLC0415

        from .msr.checkpoint import save_checkpoint  # noqa: PLC0415 - torch is optional
        from .msr.models import TRAINING_METHODS, make_model  # noqa: PLC0415
        from .msr.train import check_device, default_threads, task_family, train  # noqa: PLC0415
    except ImportError as exc:
        raise CommandError(f"pltheory train needs PyTorch ({exc}); pip install torch==2.13.0") from None
    out = pt.outputs.prepare_output(args.out, force=True, directory=True)
    if out.exists() and any(out.iterdir()) and not args.force:
        raise CommandError(f"{out} exists and is not empty; pass --force to replace the checkpoint in it")
    if args.num_tasks is not None and args.num_tasks < 2:
        raise CommandError("--num-tasks must be at least 2 (meta-training and meta-test tasks)")
    if args.meta_train is not None and args.num_tasks is not None and args.meta_train >= args.num_tasks:
        raise CommandError(f"--meta-train must leave meta-test tasks: {args.meta_train} of {args.num_tasks} tasks")
    check_device(args.device)
    family = task_family(args.task, rank=args.rank, size=args.size, points=args.points,
                         num_tasks=args.num_tasks, num_train=args.meta_train, seed=args.seed, depth=args.depth)
    try:
        model = make_model(args.model, family, sharing_dim=args.sharing_dim, seed=args.seed, depth=args.depth,
                           init=args.init)
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    if args.model in args.baselines:
        raise CommandError(f"--baselines lists {args.model}, the model being trained")
    if args.sharing_from is not None and args.model not in ("msr-fc", "mtsr-fc"):
        raise CommandError(f"--sharing-from starts every layer's learned U: it needs --model msr-fc or mtsr-fc, "
                           f"got {args.model}")
    others = {}
    for kind in args.baselines:  # built before any training, so that a baseline the family refuses costs nothing
        try:
            others[kind] = make_model(kind, family, seed=args.seed, depth=args.depth, init=args.init)
        except ValueError as exc:
            raise CommandError(f"baseline {kind}: {exc}") from None
    run = {}
    if args.sharing_from is not None:
        run["sharing_from"] = _warm_start(model, family, args.sharing_from, args.seed)
    threads = args.threads or default_threads(model, family, args.meta_batch)
    torch.set_num_threads(threads)
    method = TRAINING_METHODS.get(args.model, "maml")
    protocol = {"steps": args.steps, "meta_batch": args.meta_batch, "support": args.support,
                "inner_steps": args.inner_steps, "first_order": args.first_order, "split": args.split,
                "test_tasks": args.test_tasks, "eval_every": args.eval_every, "eval_tasks": args.eval_tasks,
                "seed": args.seed, "device": args.device}
    result = train(model, family, method=method, progress=not args.quiet, **protocol)
    baselines = []
    for kind, other in others.items():  # the same family, seed and protocol: numbers to put beside the model's
        if not args.quiet:
            print(f"baseline {kind} ...", file=sys.stderr)
        last = train(other, family, method=TRAINING_METHODS.get(kind, "maml"), progress=False,
                     **protocol)["curve"][-1]
        baselines.append({"model": kind, "steps": args.steps, "test_mse": last["mse"], "ci95": last["ci95"]})
    if baselines:
        run["baselines"] = baselines
    run.update({"init": args.init, "test_tasks": args.test_tasks, "method": method, "depth": len(model.layers)})
    spec = {**family.spec, "name": family.name, "label_variance": family.label_variance()}
    with pt.outputs.scratch_directory(out.parent, prefix=".train-") as scratch:
        save_checkpoint(scratch, model, task_spec=spec, steps=args.steps, curve=result["curve"],
                        extra={"seed": args.seed, "meta_batch": args.meta_batch, "device": result["device"],
                               "support": args.support, "inner_steps": args.inner_steps,
                               "first_order": args.first_order, "split": args.split, "meta_train": family.num_train,
                               "threads": threads, **run, "command": _train_command(args)})
        pt.outputs.publish(scratch, out)
    final = result["curve"][-1]
    info = {"task": family.name, "model": args.model, "steps": args.steps, "test_mse": final["mse"],
            "ci95": final["ci95"], "label_variance": spec["label_variance"],
            "inner_lr": float(model.inner_lr.detach()), "seconds": round(result["seconds"], 3),
            "device": result["device"], "threads": threads, "support": args.support,
            "inner_steps": args.inner_steps, "first_order": args.first_order, "meta_train": family.num_train,
            **run, "out": str(out)}
    if not args.json:
        others = "".join(f", {b['model']}: {b['test_mse']:.4f}" for b in baselines)
        print(f"{args.model} on {family.name}: meta-test MSE {final['mse']:.4f} +- {final['ci95']:.4f} "
              f"(predicting 0: {spec['label_variance']:.4f}{others}) after {args.steps} steps, "
              f"{result['seconds']:.1f} s on {result['device']} ({threads} thread{'s' if threads > 1 else ''}); "
              f"checkpoint in {out}")
    return info


def _cmd_analyze(args: argparse.Namespace) -> dict:
    try:
        from .msr.analysis import analyze_checkpoint  # noqa: PLC0415 - torch is optional
        from .msr.checkpoint import EMBEDDED  # noqa: PLC0415
    except ImportError as exc:  # pragma: no cover - exercised only without torch
        raise CommandError(f"pltheory {args.command} needs PyTorch ({exc}); pip install torch==2.13.0") from None
    path = args.checkpoint  # report: the embedded default, or the one --model names
    model = getattr(args, "model", None)
    if path is not None and model is not None:
        raise CommandError("name either a CHECKPOINT directory or an embedded --model, not both")
    if model is not None:
        path = EMBEDDED[model]
    group_spec = getattr(args, "group", "auto")
    if group_spec != "auto":
        pt.group(group_spec)  # a bad group is reported before any work
    if args.output is not None:
        pt.report.check_report_directory(args.output, force=args.force)  # so is an unusable output directory
    progress = _progress_printer()
    analysis = analyze_checkpoint(path, group=group_spec, progress=progress)
    summary = analysis.as_dict()
    info = {k: v for k, v in summary.items() if k != "interaction_graph"}
    if args.output is not None:
        info["output"] = str(pt.report.write_report(analysis, args.output, force=args.force, progress=progress))
    if not args.json:
        print(f"{summary['model']} ({summary['checkpoint']}), {summary['task']}, "
              f"{len(summary['layers'])} layer{'s' if len(summary['layers']) > 1 else ''}")
        for layer in summary["layers"]:
            pattern, group_info = layer["pattern_group"], layer["analysis_group"]
            print(f"layer {layer['index'] + 1} ({layer['kind']}): {layer['layer']['in']} -> {layer['layer']['out']}, "
                  f"k = {layer['layer']['k']}")
            print(f"  learned sharing: {layer['learned_sharing']['best']}; task-adapted weights: "
                  f"{layer['adapted_weights']['best']}")
            if pattern is None:
                print("  sharing-pattern group: not searched (a lifting convolution's filter banks are analysed)")
            elif pattern["complete"]:
                print(f"  sharing-pattern group: order {pattern['order']} ({pattern['name']})")
            else:
                print(f"  sharing-pattern group: INCOMPLETE search, {pattern['name']}")
            if group_info["name"] is None:
                print(f"  no analysis group ({group_info['how']}): no defect, spectrum or flow")
            else:
                boundary = layer["boundary_effect"]
                print(f"  analysis group {group_info['name']} ({group_info['how']}): equivariance defect "
                      f"{layer['equivariance_defect']:.4g}" + ("" if boundary is None else
                                                               f" (boundary effect {boundary:.4f})"))
        for flow in pt.report.titled_flows(summary):
            if flow["group"] is None:
                print(f"frequency flow ({flow['title']}): not measured (no analysis group maps these points to "
                      "themselves, or no ReLU follows the layer)")
                continue
            print(f"frequency flow ({flow['title']}): {len(flow['edges'])} observed edges, "
                  f"{len(flow['edges_outside_theory'])} outside the interaction graph, "
                  f"{len(flow['silent_edges'])} allowed but silent; mean frequency "
                  f"{flow['mean_frequency_before']:.3g} -> {flow['mean_frequency_after']:.3g}")
        if args.output is not None:
            print(f"report written to {info['output']}/index.html")
    return info


def _progress_printer():
    """A callback printing progress lines to stderr when it is a terminal (None otherwise,
    so that piped and captured output stays one line per error)."""
    if not sys.stderr.isatty():
        return None
    return lambda message: print(f"pltheory: {message} ...", file=sys.stderr, flush=True)


def _warm_start(model, family, path: str, seed: int) -> dict:
    """Start ``model``'s layers at the U of the one-layer checkpoint in ``path``
    ([`warm_start_sharing`][pltheory.msr.models.warm_start_sharing]), which must have been
    trained on the family's G-set; what the record says of the source."""
    from .msr.checkpoint import load_checkpoint  # noqa: PLC0415 - torch is optional
    from .msr.models import warm_start_sharing  # noqa: PLC0415

    source, record = load_checkpoint(path)
    task, spec = record.task, family.spec
    if task.task != spec.get("task") or (task.group, task.set) != (spec.get("group"), spec.get("set")):
        raise CommandError(f"--sharing-from {path}: its U was learned on {task.name or task.task} tasks, "
                           f"not on {family.name}'s G-set")
    warm_start_sharing(model, source, seed=seed)
    return {"model": record.model, "steps": record.steps, "task": task.name or task.task,
            "test_mse": record.test_mse, "command": record.command}


def _train_command(args: argparse.Namespace) -> str:
    """The command line that reproduces a training run (every option that changes it)."""
    parts = ["pltheory train", f"--task {args.task}", *([f"--rank {args.rank}"] * (args.task == "translation")),
             f"--model {args.model}", f"--steps {args.steps}", f"--seed {args.seed}", f"--meta-batch {args.meta_batch}"]
    if args.device is not None:
        parts.append(f"--device {args.device}")
    optional = {"--num-tasks": args.num_tasks, "--meta-train": args.meta_train, "--sharing-dim": args.sharing_dim,
                "--threads": args.threads}
    parts += [f"{flag} {value}" for flag, value in optional.items() if value is not None]
    parts += [f"--support {args.support}", f"--inner-steps {args.inner_steps}", f"--split {args.split}",
              f"--test-tasks {args.test_tasks}", f"--init {args.init}"]
    parts += ["--first-order"] * args.first_order
    if args.task in ("rotation", "rotation-flip", "lifting-p4", "lifting-p4m"):
        parts.append(f"--size {args.size}")
    if args.task in ("permutation", "cyclic", "dihedral"):
        parts.append(f"--points {args.points}")
    if args.depth != 1:
        parts.append(f"--depth {args.depth}")
    if args.sharing_from is not None:
        parts.append(f"--sharing-from {args.sharing_from}")
    if args.baselines:
        parts.append(f"--baselines {','.join(args.baselines)}")
    return " ".join(parts + [f"--out {args.out}"])


def _print_labels(labels: np.ndarray) -> None:
    if max(labels.shape) > SHOW_LIMIT:
        print(f"(label matrix {labels.shape[0]} x {labels.shape[1]} not shown: larger than {SHOW_LIMIT})")
        return
    width = len(str(labels.max(initial=0)))
    print("labels (entry = basis element owning W[y, x]; rows y, columns x):")
    for row in labels:
        print("  " + " ".join(f"{v:>{width}}" for v in row))


_COMMANDS = {"group": _cmd_group, "basis": _cmd_basis, "irreps": _cmd_irreps,
             "decompose": _cmd_decompose, "decompose-weight": _cmd_decompose_weight, "graph": _cmd_graph,
             "train": _cmd_train, "analyze": _cmd_analyze, "report": _cmd_analyze}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 2 bad input)."""
    args = _parser().parse_args(argv)
    try:
        result = _COMMANDS[args.command](args)
    except BrokenPipeError:  # the reader (e.g. head) closed the pipe: not an error
        sys.stdout = None  # type: ignore[assignment]  # nothing more can be written
        return 0
    except PLTheoryError as exc:
        print(f"pltheory: error: {_one_line(str(exc))}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"pltheory: error: {_one_line(exc.strerror or str(exc))}: {exc.filename or ''}".rstrip(": "),
              file=sys.stderr)
        return 2
    except MemoryError:  # the limits should prevent it; if not, still one line
        print("pltheory: error: out of memory; the request is larger than this machine can hold", file=sys.stderr)
        return 2
    try:
        if args.json:
            print(json.dumps(result, indent=2))
        sys.stdout.flush()
    except BrokenPipeError:  # the reader (e.g. head) closed the pipe: not an error
        sys.stdout = None  # type: ignore[assignment]  # nothing more can be written
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
