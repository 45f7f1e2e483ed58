"""Reproduce the MSR synthetic 1-D translation table (Zhou, Knowles and Finn, ICLR 2021):
both meta-train set sizes, every row, several seeds.

Rows: MAML-FC, MAML-LC, MAML-Conv, MTSR-FC (U learned by multi-task learning),
MSR-Joint-FC (the inner loop adapts U as well as v) and MSR-FC, beside the label
variance (the MSE of predicting 0). Columns: the translation families of rank k = 1, 2, 5
with the large meta-train set (8,000 tasks) and the small one (the first 1,000 of them);
both are tested on the same 2,000 meta-test tasks. The protocol is the official code's:
10,000 tasks of 20 examples per family, 1 support and 19 query examples drawn at random
per episode, one inner SGD step with a learned rate, meta-batch 32, Adam 1e-3, PyTorch's
initial values, MSR's k 3 / 6 / 30, 300 random test tasks; 8,000 outer steps (MSR-Joint-FC,
whose inner loop adapts a 4,760 x k U per task, 1,000). Each number is the mean over
the seeds (data and training seeded alike) with a 95% Student-t interval over the seeds;
the meta-test MSE after 1,000 steps is kept beside the final one. For the models with a
learned U, the largest principal angle between U and the family's true sharing subspace
(3k dimensions) is reported too.

Writes OUT/msr_synthetic.csv (one row per run) and OUT/msr_synthetic.md. Every run uses
one torch thread; ``--jobs`` runs go in parallel (default: every core). Before training
it prints how long the runs will take (from measured step times) and stops if that is
more than ``--budget`` minutes, naming a smaller selection that fits.

    python analysis/msr_synthetic.py [--steps 8000] [--seeds 3] [--sizes large,small]
        [--joint-steps 1000] [--models fc,lc,conv,mtsr-fc,msr-joint-fc,msr-fc] [--ranks 1,2,5] [--support 1]
        [--inner-steps 1] [--jobs 2]
        [--budget 45] [--out results] [--force]
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from dataclasses import replace
from functools import cache
from pathlib import Path

import numpy as np
import scipy.linalg
import scipy.stats
import torch

from pltheory.errors import PLTheoryError
from pltheory.msr.models import TRAINING_METHODS, make_model
from pltheory.msr.tasks import TaskFamily, translation_subspace, translation_tasks
from pltheory.msr.train import default_device, train
from pltheory.outputs import prepare_output, write_text

from runs import add_run_options, run_all

NAMES = {"fc": "MAML-FC", "lc": "MAML-LC", "conv": "MAML-Conv", "mtsr-fc": "MTSR-FC",
         "msr-joint-fc": "MSR-Joint-FC", "msr-fc": "MSR-FC"}
RANKS = (1, 2, 5)
SIZES = {"large": 8000, "small": 1000}  # meta-training tasks
#: The paper's Table 1, large meta-train set (the other cells were not retrieved).
PAPER = {"MAML-FC": (3.4, 2.0, 1.1), "MAML-LC": (2.9, 1.6, 0.89), "MAML-Conv": (0.00, 0.53, 0.49),
         "MSR-FC": (0.00, 0.05, 0.09)}
#: Seconds per outer step on one thread of this 2-core AMD EPYC (benchmarks/bench_msr.py), for the estimate.
#: MSR-Joint's by rank: its inner loop adapts a U of 4,760 x k per task (k = 3, 6, 30).
STEP_SECONDS = {"fc": 0.0014, "lc": 0.0060, "conv": 0.0017, "mtsr-fc": 0.0012, "msr-fc": 0.0019,
                ("msr-joint-fc", 1): 0.020, ("msr-joint-fc", 2): 0.026, ("msr-joint-fc", 5): 0.14}
EARLY = 1000  # the step whose meta-test MSE is kept beside the final one


@cache
def family(rank: int, size: str, seed: int) -> TaskFamily:
    """The rank-k family of this seed, its training tasks cut to the size's number."""
    full = translation_tasks(rank, seed=seed)
    kept = np.r_[0:SIZES[size], full.num_train:full.x.shape[0]]
    if SIZES[size] == full.num_train:
        return full
    return replace(full, x=full.x[kept], y=full.y[kept], num_train=SIZES[size])


def run(kind: str, rank: int, size: str, seed: int, steps: int, device: str, support: int = 1,
        inner_steps: int = 1) -> dict:
    """Train one model on one family; its row of the CSV."""
    torch.set_num_threads(1)
    tasks = family(rank, size, seed)
    model = make_model(kind, tasks, seed=seed)
    result = train(model, tasks, steps=steps, split="random", test_tasks="random", support=support,
                   inner_steps=inner_steps,
                   method=TRAINING_METHODS.get(kind, "maml"), eval_every=min(EARLY, steps), seed=seed,
                   progress=False, device=device)
    early = next(p for p in result["curve"] if p["step"] == min(EARLY, steps))
    row = {"model": NAMES[kind], "size": size, "rank": rank, "seed": seed, "steps": steps, "support": support,
           "inner_steps": inner_steps,
           "mse": result["curve"][-1]["mse"], "ci95_tasks": result["curve"][-1]["ci95"],
           f"mse_at_{EARLY}": early["mse"], "largest_angle": "", "seconds": round(result["seconds"], 1),
           "label_variance": tasks.label_variance()}
    layer = model.layers[0]
    if kind in ("msr-fc", "mtsr-fc", "msr-joint-fc"):
        U = layer.effective_sharing().detach().numpy().astype(float)
        angles = scipy.linalg.subspace_angles(U, translation_subspace(tasks.spec))
        row["largest_angle"] = round(float(np.degrees(angles.max())), 2)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=8000, help="outer steps per model (default 8000)")
    parser.add_argument("--joint-steps", type=int, default=1000,
                        help="outer steps of MSR-Joint-FC, 10-70x slower per step than MSR-FC (default 1000)")
    parser.add_argument("--seeds", type=int, default=3, help="seeds 0 .. N-1 (default 3)")
    parser.add_argument("--sizes", default="large,small", help="meta-train sets (default large,small)")
    parser.add_argument("--models", default=",".join(NAMES), help=f"models (default {','.join(NAMES)})")
    parser.add_argument("--ranks", default="1,2,5", help="ranks (default 1,2,5)")
    parser.add_argument("--support", type=int, default=1, help="support examples per episode (default 1)")
    parser.add_argument("--inner-steps", type=int, default=1, help="inner SGD steps (default 1)")
    add_run_options(parser, 45.0, "the tables")
    args = parser.parse_args()
    models, sizes = _choices(args.models, NAMES, "model"), _choices(args.sizes, SIZES, "size")
    ranks = [int(r) for r in _choices(args.ranks, [str(r) for r in RANKS], "rank")]
    if min(args.steps, args.joint_steps, args.seeds, args.jobs, args.inner_steps) < 1 or not 1 <= args.support <= 19:
        raise SystemExit("msr_synthetic.py: error: --steps, --seeds, --jobs and --inner-steps must be positive, "
                         "--support from 1 to 19")
    out = Path(args.out)
    for name in ("msr_synthetic.csv", "msr_synthetic.md"):  # refuse before training, not after
        prepare_output(out / name, force=args.force)
    device = default_device()
    jobs = 1 if device != "cpu" else args.jobs
    runs = [(kind, rank, size, seed) for size in sizes for rank in ranks for kind in models
            for seed in range(args.seeds)]
    def steps(kind: str) -> int:
        return args.joint_steps if kind == "msr-joint-fc" else args.steps

    seconds = sum(STEP_SECONDS.get(kind, STEP_SECONDS.get((kind, rank))) * steps(kind) * 1.1
                  for kind, rank, *_ in runs)
    minutes = seconds / 60 / jobs * args.inner_steps
    print(f"{len(runs)} runs of {args.steps} steps ({args.joint_steps} for MSR-Joint-FC), {jobs} at a time on "
          f"{device} (1 torch thread each): "
          f"about {minutes:.0f} minutes", flush=True)
    if device == "cpu" and minutes > args.budget:
        raise SystemExit(f"msr_synthetic.py: that is more than --budget {args.budget:g} minutes; choose fewer "
                         "--models, --sizes, --seeds or --steps (e.g. --models fc,lc,conv,mtsr-fc,msr-fc), "
                         "or raise --budget")
    rows = run_all(jobs, [(run, (*r, steps(r[0]), device, args.support, args.inner_steps), {}) for r in runs],
                   lambda row: f"{row['size']:<5} k={row['rank']} {row['model']:<13} seed {row['seed']}: "
                               f"MSE {row['mse']:.3f} ({row['seconds']} s)")
    table = io.StringIO()
    writer = csv.DictWriter(table, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    write_text(out / "msr_synthetic.csv", table.getvalue(), force=args.force)
    write_text(out / "msr_synthetic.md", markdown(rows, args.steps, args.support, args.inner_steps), force=args.force)
    print(f"wrote {out / 'msr_synthetic.csv'} and {out / 'msr_synthetic.md'}")


def _choices(text: str, allowed, what: str) -> list[str]:
    chosen = [item.strip() for item in text.split(",") if item.strip()]
    unknown = [item for item in chosen if item not in allowed]
    if unknown or not chosen:
        raise SystemExit(f"msr_synthetic.py: error: unknown {what} {unknown or text!r}; "
                         f"choose from {', '.join(allowed)}")
    return chosen


def interval(values: list[float]) -> tuple[float, float]:
    """Mean and the half-width of its 95% Student-t interval (0 for one value)."""
    values = np.asarray(values, dtype=float)
    if values.size < 2:
        return float(values.mean()), 0.0
    return float(values.mean()), float(scipy.stats.t.ppf(0.975, values.size - 1) * values.std(ddof=1)
                                       / np.sqrt(values.size))


def markdown(rows: list[dict], steps: int, support: int = 1, inner_steps: int = 1) -> str:
    seeds = len({r["seed"] for r in rows})
    lines = [f"{support} support example(s), {inner_steps} inner step(s). Meta-test MSE after {steps} outer steps "
             f"(after {min(EARLY, steps)} in brackets), mean over {seeds} seeds with a 95% interval over the seeds; "
             "the paper's number (large set) after the bar."
             + "".join(f" {name}: {n} steps." for name, n in sorted({(r["model"], r["steps"]) for r in rows})
                       if n != steps), ""]
    for size in [s for s in SIZES if any(r["size"] == s for r in rows)]:
        ranks = sorted({r["rank"] for r in rows if r["size"] == size})
        lines += [f"**{size} meta-train set ({SIZES[size]} tasks)**", "",
                  "| model | " + " | ".join(f"k = {k}" for k in ranks) + " |", "|---" * (len(ranks) + 1) + "|"]
        variance = [interval([r["label_variance"] for r in rows if r["size"] == size and r["rank"] == k])[0]
                    for k in ranks]
        lines.append("| predict 0 | " + " | ".join(f"{v:.3f}" for v in variance) + " |")
        for name in [n for n in NAMES.values() if any(r["model"] == n and r["size"] == size for r in rows)]:
            cells = []
            for k in ranks:
                runs = [r for r in rows if r["size"] == size and r["rank"] == k and r["model"] == name]
                mean, half = interval([r["mse"] for r in runs])
                early = interval([r[f"mse_at_{EARLY}"] for r in runs])[0]
                paper = (f" \\| {PAPER[name][RANKS.index(k)]}" if size == "large" and name in PAPER else "")
                cells.append(f"{mean:.3f} ± {half:.3f} ({early:.2f}){paper}")
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
        lines.append("")
    angled = [r for r in rows if r["largest_angle"] != ""]
    if angled:
        lines += ["Largest principal angle (degrees) between the learned U and the true sharing subspace, mean "
                  "over seeds:", "", "| model | set | " + " | ".join(f"k = {k}" for k in RANKS) + " |",
                  "|---|---|---|---|---|"]
        for name in sorted({r["model"] for r in angled}):
            for size in SIZES:
                cells = [[r["largest_angle"] for r in angled if r["model"] == name and r["size"] == size
                          and r["rank"] == k] for k in RANKS]
                if any(cells):
                    lines.append(f"| {name} | {size} | " + " | ".join(f"{np.mean(c):.1f}" if c else ""
                                                                   for c in cells) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    try:
        main()
    except PLTheoryError as exc:  # bad input or an output that exists: one line, no traceback
        sys.exit(f"{Path(__file__).name}: error: {exc}")
