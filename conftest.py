"""Test-session set-up: one thread for BLAS, OpenMP and torch, and torch-only tests skipped
without torch.

Spinning BLAS / OpenMP threads on a busy 2-core machine made the suite several times
slower (one training test took 156 s), so every test and every subprocess a test starts
runs single-threaded: the environment variables are read by numpy's OpenBLAS and by torch
when they load, threadpoolctl pins a library that is already loaded.
"""

import importlib.util
import os

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"

from threadpoolctl import threadpool_limits  # noqa: E402 - after the variables, before numpy loads

threadpool_limits(1)

collect_ignore_glob = [] if importlib.util.find_spec("torch") else ["pltheory/msr/*"]
