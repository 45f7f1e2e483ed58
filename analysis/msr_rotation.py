"""MSR's rotation and rotation+flip experiment (Zhou, Knowles and Finn, ICLR 2021, Sec. 5.2)
with exact grid symmetries: lifting convolutions of 32 x 32 images by C_4 (p4) and D_4 (p4m).

Each task is a circular lifting convolution of a one-channel Gaussian image to 3 regular
fields (12 channels for p4, 24 for p4m) with a random equivariant 3 x 3 filter bank
(:func:`pltheory.msr.lifting.lifting_tasks`, E y^2 = 1). The paper used 45-degree rotations
(C_8), which are not grid symmetries and need interpolated steerable filters; here only
the exact ones are used, and periodic padding keeps the symmetry exact.

Rows: predict 0 (the label variance), MAML-Conv (every tap free), MSR-Conv (U = A (x) B (x) C
learned, identity at the start), the true symmetry (U fixed to the 27 orbit indicators).
Protocol as the official code: 1 support and 19 query examples drawn at random, one inner
SGD step with a learned rate (starting at --inner-lr), meta-batch 32, Adam 1e-3, 300 random
meta-test tasks (MSE with a 95% interval over them).

How close a model's adapted filter banks are to the symmetry: each of the first 300 test
tasks adapts from its first example; the banks K (c_out * 9 entries each) are stacked, and
the table gives the fraction of their energy in the true 27-dim sharing subspace and the
largest principal angle between their top-27 singular subspace and it (MSR-Conv's U itself
is square and invertible: its whole span contains every subspace, so only the banks it
produces can be compared). The top-27 left singular subspace of U is reported too.

What one step from one example can reach at all: the rows "best fixed rate" start from
v0 = 0 and use the inner rate that minimises the test MSE (a grid around the Newton step
c_out / (2 lambda), lambda = U^T U's diagonal). With 32 x 32 images one example has 1,024
pixels per channel for 9 taps, so even MAML-Conv's free bank is nearly determined by one
image: a good enough inner rate solves the task without the symmetry. The learned rate
grows by about Adam's 1e-3 per step from 0.1, so within a short run a model wins mostly
by making its effective step large (MSR-Conv through the scale of A and C). And the
official MSR-Conv cannot learn the lifting symmetry as a subspace: its U is square, and no
Kronecker product A (x) C is the projector onto the equivariant banks
(:func:`pltheory.msr.lifting.kronecker_distance`).

Every run uses one torch thread; --jobs runs go in parallel (default: every core). Before
training it prints the time estimate (from STEP_SECONDS, measured) and stops if it is more
than --budget minutes.

    python analysis/msr_rotation.py [--steps 700] [--tasks 1000] [--size 32] [--inner-lr 0.1] [--jobs 2]
        [--budget 15] [--out results] [--force]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import scipy.linalg
import torch

from pltheory.errors import PLTheoryError
from pltheory.msr.analysis import adapted_weights
from pltheory.msr.lifting import kronecker_distance, lifting_tasks, true_subspace
from pltheory.msr.maml import evaluate
from pltheory.msr.models import make_model
from pltheory.msr.train import train
from pltheory.outputs import prepare_output, write_text

from runs import add_run_options, run_all

NAMES = {"conv": "MAML-Conv", "msr-conv": "MSR-Conv", "equivariant": "true symmetry"}
GROUPS = {"p4": "Rot", "p4m": "Rot+Flip"}
#: The paper's meta-test MSE (C_8 and D_8 with 45-degree steerable filters, no padding).
PAPER = {"MAML-Conv": {"Rot": 0.504, "Rot+Flip": 0.507}, "MSR-Conv": {"Rot": 0.004, "Rot+Flip": 0.001}}
#: CPU seconds per outer step on one thread, 32 x 32 images, meta-batch 32 (python
#: analysis/msr_rotation.py --time, on the shared 2-core machine: the CPU time is an idle
#: core's wall time; under a load of 6 the wall time was 3 times as long).
STEP_SECONDS = {("p4", "conv"): 0.19, ("p4", "msr-conv"): 0.19, ("p4", "equivariant"): 0.15,
                ("p4m", "conv"): 0.47, ("p4m", "msr-conv"): 0.48, ("p4m", "equivariant"): 0.41}
TEST_TASKS = 300
#: Models whose best one-step MSE at a fixed inner rate is computed (their U is fixed).
OPTIMA = ("conv", "equivariant")
#: Multiples of the Newton rate c_out / (2 lambda) tried for the "best fixed rate" rows.
RATE_GRID = (0.85, 0.95, 1.0, 1.05)


def family(group: str, tasks: int, seed: int, size: int = 32):
    """The lifting family of a group: ``tasks`` tasks of size x size images, the last 300
    for meta-testing."""
    return lifting_tasks(group, num_tasks=tasks, num_train=tasks - TEST_TASKS, size=size, seed=seed)


def run(kind: str, group: str, steps: int, tasks: int, inner_lr: float, seed: int = 0, size: int = 32) -> dict:
    """Train one model on one family; its result row."""
    torch.set_num_threads(1)
    data = family(group, tasks, seed, size)
    model = make_model(kind, data, seed=seed, inner_lr=inner_lr)
    result = train(model, data, steps=steps, split="random", test_tasks="random", eval_every=max(1, steps // 4),
                   eval_tasks=TEST_TASKS, seed=seed, progress=False, device="cpu")
    last = result["curve"][-1]
    row = {"model": NAMES[kind], "group": group, "mse": last["mse"], "ci95": last["ci95"],
           "label_variance": data.label_variance(), "seconds": result["seconds"],
           "inner_lr": float(model.inner_lr.detach()), "largest_angle": None,
           **bank_subspace(adapted_weights(model, data, TEST_TASKS)[0].reshape(TEST_TASKS, -1), true_subspace(data))}
    if kind == "msr-conv":
        row["largest_angle"] = top_angle(model.layers[0].effective_sharing().detach().numpy(), true_subspace(data))
    return row


def optimum(kind: str, group: str, tasks: int, seed: int = 0, size: int = 32) -> dict:
    """The best test MSE of one inner step from v0 = 0 over :data:`RATE_GRID` times the
    Newton rate, for MAML-Conv or the true symmetry (their U fixed): what one step from one
    example can reach."""
    torch.set_num_threads(1)
    data = family(group, tasks, seed, size)
    model = make_model(kind, data, seed=seed, init="zero")
    layer = model.layers[0]
    U = layer.effective_sharing().detach()
    newton = layer.out_channels / (2 * float((U * U).sum(dim=0).mean()))
    best = None
    for factor in RATE_GRID:
        model.inner_lr.data.fill_(newton * factor)
        result = evaluate(model, data, tasks=TEST_TASKS)
        if best is None or result["mse"] < best["mse"]:
            best = {**result, "inner_lr": newton * factor}
    return {"model": f"{NAMES[kind]}, best fixed rate", "group": group, "mse": best["mse"], "ci95": best["ci95"],
            "label_variance": data.label_variance(), "seconds": 0.0, "inner_lr": best["inner_lr"],
            "largest_angle": None}


def bank_subspace(banks: np.ndarray, truth: np.ndarray) -> dict:
    """The banks' spread about their mean (what adaptation moves, without the common start
    v0): the fraction of its energy in span(truth), and the largest principal angle
    (degrees) between its top singular subspace (as many vectors as truth has columns)
    and span(truth)."""
    banks = banks - banks.mean(axis=0)
    basis = np.linalg.qr(truth)[0]
    energy = float(((banks @ basis) ** 2).sum() / (banks ** 2).sum())
    top = np.linalg.svd(banks, full_matrices=False)[2][:truth.shape[1]].T
    return {"bank_energy": energy, "bank_angle": float(np.degrees(scipy.linalg.subspace_angles(top, truth).max()))}


def top_angle(U: np.ndarray, truth: np.ndarray) -> float:
    """Largest principal angle (degrees) between the span of U's top singular vectors, as
    many as ``truth`` has columns, and the span of ``truth``."""
    left = np.linalg.svd(U.astype(float), full_matrices=False)[0][:, :truth.shape[1]]
    return float(np.degrees(scipy.linalg.subspace_angles(left, truth).max()))


def time_steps(steps: int = 5) -> None:
    """Print the wall and CPU seconds of one outer step of each run on one thread (mean of
    ``steps``): on a busy machine the CPU time is what an idle core would take."""
    torch.set_num_threads(1)
    for group in GROUPS:
        data = lifting_tasks(group, num_tasks=64, seed=0)
        for kind in NAMES:
            model = make_model(kind, data)
            cpu = time.process_time()
            result = train(model, data, steps=steps, eval_every=steps, eval_tasks=2, split="random",
                           progress=False, device="cpu")
            cpu = time.process_time() - cpu
            print(f"{group} {kind}: {result['seconds'] / steps:.3f} s wall, {cpu / steps:.3f} s CPU per outer step "
                  "(evaluation included in the CPU time)", flush=True)


def markdown(rows: list[dict], steps: int, tasks: int, inner_lr: float, size: int = 32) -> str:
    """The table: rows predict 0, the trained models and the best fixed rates, columns
    Rot / Rot+Flip, the paper beside; then the adapted banks' distance to the symmetry."""
    groups = [g for g in GROUPS if any(r["group"] == g for r in rows)]
    lines = [f"Meta-test MSE on {size} x {size} periodic images after {steps} outer steps "
             f"({tasks - TEST_TASKS} meta-train tasks, {TEST_TASKS} random "
             f"meta-test tasks, 1 support example, 1 inner step, initial inner rate {inner_lr:g}), 95% interval "
             "over the test tasks; the paper's number (C_8 / D_8, 45-degree steerable filters) after the bar. "
             "Best fixed rate: no training, v0 = 0, the best inner rate near the Newton step (first 300 test tasks).",
             "", "| model | " + " | ".join(GROUPS[g] for g in groups) + " |", "|---" * (len(groups) + 1) + "|"]
    variance = [next(r["label_variance"] for r in rows if r["group"] == g) for g in groups]
    lines.append("| predict 0 | " + " | ".join(f"{v:.3f}" for v in variance) + " |")
    names = [*NAMES.values(), *(f"{NAMES[kind]}, best fixed rate" for kind in OPTIMA)]
    for name in names:
        cells = []
        for g in groups:
            row = next((r for r in rows if r["model"] == name and r["group"] == g), None)
            paper = f" \\| {PAPER[name][GROUPS[g]]}" if name in PAPER else ""
            rate = f" (rate {row['inner_lr']:.2f})" if row is not None and "best" in name else ""
            cells.append("" if row is None else f"{row['mse']:.3f} ± {row['ci95']:.3f}{paper}{rate}")
        if any(cells):
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
    banks = [r for r in rows if "bank_energy" in r]
    if banks:
        lines += ["", "Adapted filter banks of the first 300 test tasks (one example each), less their mean: "
                  "fraction of their energy in the true 27-dim sharing subspace (27 / (c_out 9) for random "
                  "directions), and the largest principal angle (degrees) between their top-27 singular subspace "
                  "and it: "
                  + "; ".join(f"{r['model']} {GROUPS[r['group']]} {r['bank_energy']:.3f}, {r['bank_angle']:.1f}"
                              for r in banks) + "."]
    angles = [r for r in rows if r["largest_angle"] is not None]
    if angles:
        lines += ["", "Largest principal angle (degrees) between the top-27 left singular subspace of MSR-Conv's "
                  "learned U = A (x) B (x) C and the true subspace: "
                  + ", ".join(f"{GROUPS[r['group']]} {r['largest_angle']:.1f}" for r in angles) + "."]
    lines += ["", "MSR-Conv's U = A (x) B (x) C is square: it changes the inner step's metric (U U^T), not the "
              "banks it can reach; no Kronecker product is the projector onto the equivariant banks (operator "
              "Schmidt rank, relative distance of the nearest A (x) C: "
              + ", ".join(f"{GROUPS[g]} {kronecker_distance(g)[0]}, {kronecker_distance(g)[1]:.2f}" for g in groups)
              + ")."]
    trained = [r for r in rows if "best" not in r["model"]]
    lines += ["", "Learned inner rates: " + ", ".join(f"{r['model']} {GROUPS[r['group']]} {r['inner_lr']:.2f}"
                                                      for r in trained) + "."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=700, help="outer steps per model (default 700)")
    parser.add_argument("--tasks", type=int, default=1000, help="tasks per family, 300 for meta-testing (default 1000)")
    parser.add_argument("--size", type=int, default=32, help="image side, periodic (default 32, as the paper)")
    parser.add_argument("--inner-lr", type=float, default=0.1, help="initial inner learning rate (default 0.1)")
    add_run_options(parser, 15.0, "the table")
    parser.add_argument("--time", action="store_true", help="only time one outer step of each run")
    args = parser.parse_args()
    if args.time:
        time_steps()
        return
    if min(args.steps, args.jobs) < 1 or args.size < 3 or args.tasks <= TEST_TASKS or not args.inner_lr > 0:
        raise SystemExit(f"msr_rotation.py: error: --steps and --jobs must be positive, --size at least 3, --tasks "
                         f"more than {TEST_TASKS}, --inner-lr positive")
    target = Path(args.out) / "msr_rotation.md"
    prepare_output(target, force=args.force)  # refuse before training, not after
    runs = sorted(STEP_SECONDS, key=STEP_SECONDS.get, reverse=True)  # longest first
    minutes = sum(STEP_SECONDS[r] * args.steps * 1.15 for r in runs) / 60 / args.jobs * (args.size / 32) ** 2
    print(f"{len(runs)} runs of {args.steps} steps, {args.jobs} at a time (1 torch thread each): "
          f"about {minutes:.0f} minutes on idle cores", flush=True)
    if minutes > args.budget:
        raise SystemExit(f"msr_rotation.py: that is more than --budget {args.budget:g} minutes; use fewer --steps "
                         "or raise --budget")
    calls = [(run, (kind, group, args.steps, args.tasks, args.inner_lr), {"size": args.size}) for group, kind in runs]
    calls += [(optimum, (kind, group, args.tasks), {"size": args.size}) for group in GROUPS for kind in OPTIMA]
    rows = run_all(args.jobs, calls, lambda row: f"{GROUPS[row['group']]:<8} {row['model']:<13} MSE {row['mse']:.3f} "
                                                 f"± {row['ci95']:.3f} ({row['seconds']:.0f} s)")
    write_text(target, markdown(rows, args.steps, args.tasks, args.inner_lr, args.size), force=args.force)
    print(f"wrote {target}")


if __name__ == "__main__":
    try:
        main()
    except PLTheoryError as exc:  # bad input or an output that exists: one line, no traceback
        sys.exit(f"{Path(__file__).name}: error: {exc}")
