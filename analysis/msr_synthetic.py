"""Reproduce the MSR synthetic 1-D translation table (Zhou, Knowles and Finn, ICLR 2021).

Meta-trains MAML-FC, MAML-LC, MAML-Conv and MSR-FC on the translation families of rank
k = 1, 2, 5 (10,000 tasks of 20 examples, 8,000 for meta-training; 1 support and 19 query
examples, one inner SGD step with a learned rate, meta-batch 32, Adam 1e-3) and reports the
meta-test MSE over 300 test tasks with 95% intervals, beside the label variance (the MSE
of predicting 0). For MSR-FC it also reports the principal angles between the learned U
and the true sharing subspace span{vec W : W[p, p + j] = C[p, i]} (3k dimensions).

Writes OUT/msr_synthetic.csv and OUT/msr_synthetic.md. The defaults run in about 6 minutes
on 2 CPU cores; --steps raises the outer steps.

    python analysis/msr_synthetic.py [--steps 8000] [--out results] [--seed 0] [--force]
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

import numpy as np
import scipy.linalg

from pltheory.errors import PLTheoryError
from pltheory.msr.models import make_model
from pltheory.msr.tasks import translation_tasks
from pltheory.msr.train import train
from pltheory.outputs import prepare_output, write_text

MODELS = [("fc", "MAML-FC"), ("lc", "MAML-LC"), ("conv", "MAML-Conv"), ("msr-fc", "MSR-FC")]
RANKS = (1, 2, 5)
PAPER = {"MAML-FC": (3.4, 2.0, 1.1), "MAML-LC": (2.9, 1.6, 0.89), "MAML-Conv": (0.00, 0.53, 0.49),
         "MSR-FC": (0.00, 0.05, 0.09)}  # the paper's large meta-train set


def true_sharing(C: np.ndarray, inputs: int = 70, width: int = 3) -> np.ndarray:
    """Columns vec(W_ij) with W_ij[p, p + j] = C[p, i], row-major (outputs x inputs)."""
    outputs, rank = C.shape
    U = np.zeros((outputs, inputs, rank, width))
    for j in range(width):
        U[np.arange(outputs), np.arange(outputs) + j, :, j] = C
    return U.reshape(outputs * inputs, rank * width)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=8000, help="outer steps per model (default 8000)")
    parser.add_argument("--out", default="results", help="output directory (default results)")
    parser.add_argument("--seed", type=int, default=0, help="seed of data and training (default 0)")
    parser.add_argument("--force", action="store_true", help="replace the tables in --out if they exist")
    args = parser.parse_args()
    out = Path(args.out)
    for name in ("msr_synthetic.csv", "msr_synthetic.md"):  # refuse before hours of training, not after
        prepare_output(out / name, force=args.force)
    rows = []
    for rank in RANKS:
        family = translation_tasks(rank, seed=args.seed)
        rows.append({"model": "predict 0", "rank": rank, "mse": family.label_variance(), "ci95": 0.0,
                     "angle_max": "", "angle_mean": "", "seconds": 0.0})
        for kind, name in MODELS:
            model = make_model(kind, family, seed=args.seed)
            result = train(model, family, steps=args.steps, seed=args.seed, progress=False, device="cpu")
            final = result["curve"][-1]
            row = {"model": name, "rank": rank, "mse": final["mse"], "ci95": final["ci95"],
                   "angle_max": "", "angle_mean": "", "seconds": round(result["seconds"], 1)}
            if kind == "msr-fc":
                U = model.layers[0].sharing.detach().numpy().astype(float)
                angles = np.degrees(scipy.linalg.subspace_angles(U, true_sharing(family.spec["C"])))
                row["angle_max"], row["angle_mean"] = round(float(angles.max()), 2), round(float(angles.mean()), 2)
            rows.append(row)
            print(f"k={rank} {name:<10} MSE {row['mse']:.3f} +- {row['ci95']:.3f} ({row['seconds']} s)", flush=True)
    table = io.StringIO()
    writer = csv.DictWriter(table, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    write_text(out / "msr_synthetic.csv", table.getvalue(), force=args.force)
    write_text(out / "msr_synthetic.md", markdown(rows, args.steps), force=args.force)
    print(f"wrote {out / 'msr_synthetic.csv'} and {out / 'msr_synthetic.md'}")


def markdown(rows: list[dict], steps: int) -> str:
    names = ["predict 0"] + [name for _, name in MODELS]
    lines = [f"Meta-test MSE (300 test tasks, 95% interval), {steps} outer steps; paper (large meta-train "
             "set) in brackets.", "",
             "| model | k = 1 | k = 2 | k = 5 |", "|---|---|---|---|"]
    for name in names:
        cells = []
        for i, rank in enumerate(RANKS):
            row = next(r for r in rows if r["model"] == name and r["rank"] == rank)
            paper = f" [{PAPER[name][i]}]" if name in PAPER else ""
            cells.append(f"{row['mse']:.3f} ± {row['ci95']:.3f}{paper}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", "Principal angles (degrees) between MSR-FC's learned U and the true sharing subspace:", "",
              "| k | largest | mean |", "|---|---|---|"]
    for row in rows:
        if row["model"] == "MSR-FC":
            lines.append(f"| {row['rank']} | {row['angle_max']} | {row['angle_mean']} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    try:
        main()
    except PLTheoryError as exc:  # bad input or an output that exists: one line, no traceback
        sys.exit(f"{Path(__file__).name}: error: {exc}")
