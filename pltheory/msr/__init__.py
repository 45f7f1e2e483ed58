"""MSR: meta-learned weight sharing, vec(W) = U v, in PyTorch (the ``torch`` extra).

* [`layers`][pltheory.msr.layers]: shared linear layers (MSR, orbit-basis equivariant,
  fully connected, locally connected, convolution) and an MSR 2-D convolution;
* [`models`][pltheory.msr.models]: the model factory (`MODEL_KINDS`, ``make_model``);
* [`tasks`][pltheory.msr.tasks]: synthetic task families (1-D translation of rank k,
  rotation / rotation+flip on periodic images, permutations), saved by structure;
* [`maml`][pltheory.msr.maml]: MAML with the inner loop on v only, vectorised over tasks;
* [`train`][pltheory.msr.train], [`checkpoint`][pltheory.msr.checkpoint] and
  [`record`][pltheory.msr.record]: training runs, their files and the files' schema;
* [`analysis`][pltheory.msr.analysis]: what a checkpoint learned (``pltheory analyze``).
"""

try:
    import torch  # noqa: F401
except ImportError as exc:  # pragma: no cover - exercised only without torch
    raise ImportError(
        "pltheory.msr needs PyTorch: pip install torch==2.13.0 (or pip install 'pltheory[torch]')"
    ) from exc
