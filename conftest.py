"""Skip collecting the torch-only package when PyTorch is not installed."""

import importlib.util

collect_ignore_glob = [] if importlib.util.find_spec("torch") else ["pltheory/msr/*"]
