"""Lifting convolutions for MSR's rotation experiment (pltheory.msr.lifting): the point
groups' actions, the 27-dimensional sharing subspace, exact equivariance of the tasks, the
conv layers against dense matrices, MSR-Conv's Kronecker U, and training."""

import itertools

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from pltheory.errors import ArgumentError, TooLargeError  # noqa: E402
from pltheory.families import from_generators  # noqa: E402
from pltheory.gsets import GSet  # noqa: E402
from pltheory.msr.layers import circular_convolution_sharing  # noqa: E402
from pltheory.msr.lifting import (  # noqa: E402
    KroneckerLiftingConv,
    act_on_images,
    act_on_outputs,
    filter_bank_action,
    kronecker_distance,
    lifting_conv,
    lifting_family_from_spec,
    lifting_layer,
    lifting_sharing,
    lifting_tasks,
    multiplication_table,
    point_group,
    rebuild_lifting_layer,
    tap_action,
)
from pltheory.msr.maml import MetaModel, adapt, evaluate  # noqa: E402
from pltheory.msr.models import make_model  # noqa: E402
from pltheory.msr.train import train  # noqa: E402

torch.set_num_threads(1)
GROUPS = ("p4", "p4m")
ORDER = {"p4": 4, "p4m": 8}


def random_bank(group: str, rng: np.random.Generator, fields: int = 3) -> np.ndarray:
    """An equivariant filter bank (c_out, 9) from random orbit coefficients."""
    U = lifting_sharing(group, fields)
    return (U @ rng.normal(size=U.shape[1])).reshape(-1, 9)


def conv(x: np.ndarray, bank: np.ndarray, size: int) -> np.ndarray:
    """The lifting convolution of images x (N, s, s) in float64: (N, c_out, s, s)."""
    out = lifting_conv(torch.as_tensor(x.reshape(1, len(x), -1)), torch.as_tensor(bank[None]), size)
    return out.numpy().reshape(len(x), bank.shape[0], size, size)


def closure(generators: list[np.ndarray]) -> list[np.ndarray]:
    """Every product of the permutations (composition p[q]), by breadth-first search."""
    identity = np.arange(len(generators[0]))
    seen, frontier = {identity.tobytes(): identity}, [identity]
    while frontier:
        new = []
        for p, s in itertools.product(frontier, generators):
            q = s[p]
            if q.tobytes() not in seen:
                seen[q.tobytes()] = q
                new.append(q)
        frontier = new
    return list(seen.values())


@pytest.mark.parametrize("group", GROUPS)
def test_point_group_is_the_grid_symmetry_group(group):
    elements = point_group(group)
    assert len(elements) == ORDER[group] == len({g.tobytes() for g in elements})  # no element twice
    assert any(np.linalg.det(g) < 0 for g in elements) == (group == "p4m")  # reflections only in p4m
    assert all(abs(round(np.linalg.det(g))) == 1 and (g.T @ g == np.eye(2)).all() for g in elements)
    table = multiplication_table(group)
    for h, g in itertools.product(range(len(elements)), repeat=2):  # table against matrix products
        assert (elements[table[h, g]] == elements[h] @ elements[g]).all()
    # taps move as the offsets do: the centre is fixed, corners go to corners
    taps = tap_action(group)
    assert (taps[:, 4] == 4).all() and set(taps[:, 0]) <= {0, 2, 6, 8}


@pytest.mark.parametrize("group", GROUPS)
def test_subspace_dimension_is_27_by_burnside_and_by_nullspace(group):
    act = filter_bank_action(group)
    elements = closure(list(act))
    assert len(elements) == ORDER[group] == from_generators(list(act)).order  # the action is faithful
    # Burnside: the number of orbits is the mean number of fixed points over H
    orbits = sum(int((p == np.arange(len(p))).sum()) for p in elements) / len(elements)
    assert orbits == 27
    # the fixed subspace as the nullspace of the stacked constraints P_s - I, from an SVD
    n = act.shape[1]
    constraints = np.vstack([np.eye(n)[s] - np.eye(n) for s in act])
    singular = np.linalg.svd(constraints, compute_uv=False)
    assert n - int((singular > 1e-9).sum()) == 27
    # the library's orbits of the same action, and U's columns: invariant indicators of 27 disjoint orbits
    X = GSet(from_generators([list(s) for s in act], name=group), act.tolist(), name="bank")
    assert X.num_orbits == 27
    U = lifting_sharing(group)
    assert U.shape == (n, 27) and (U.sum(axis=1) == 1).all()
    for s in act:
        assert (U[s] == U).all()  # U[s.x] = U[x]: each column is constant on orbits


@pytest.mark.parametrize("group", GROUPS)
def test_lifting_conv_is_exactly_equivariant(group):
    rng = np.random.default_rng(0)
    bank, x = random_bank(group, rng), rng.normal(size=(3, 8, 8))
    y = conv(x, bank, 8)
    for h in range(ORDER[group]):
        np.testing.assert_allclose(conv(act_on_images(x, group, h), bank, 8), act_on_outputs(y, group, h),
                                   atol=1e-10)
    # a bank outside the subspace is not equivariant
    other = bank + 0.1 * rng.normal(size=bank.shape)
    assert np.abs(conv(act_on_images(x, group, 1), other, 8) - act_on_outputs(conv(x, other, 8), group, 1)).max() > 1e-3


@pytest.mark.parametrize("group", GROUPS)
def test_equivariance_with_numpy_rotations_and_flips(group):
    """np.rot90(x, -1) and np.flip(x, -1) are the generators up to a translation, which a
    circular convolution commutes with; channels move by (f, g) -> (f, s g)."""
    rng = np.random.default_rng(1)
    bank, x = random_bank(group, rng), rng.normal(size=(2, 8, 8))
    elements, order = point_group(group), ORDER[group]
    moves = [(np.array([[0, 1], [-1, 0]]), lambda a: np.rot90(a, -1, axes=(-2, -1)))]
    if group == "p4m":
        moves.append((np.array([[1, 0], [0, -1]]), lambda a: np.flip(a, -1)))
    for s, move in moves:
        s_inv = np.linalg.inv(s).round()
        source = [f * order + next(i for i, e in enumerate(elements) if (e == s_inv @ elements[g]).all())
                  for f in range(3) for g in range(order)]
        np.testing.assert_allclose(conv(move(x), bank, 8), move(conv(x, bank, 8))[:, source], atol=1e-10)


@pytest.mark.parametrize("group", GROUPS)
def test_task_maps_are_equivariant_banks(group):
    """Each task's map, recovered from its examples by least squares, is an equivariant bank
    (U's span), and E y^2 is about 1."""
    family = lifting_tasks(group, num_tasks=3, size=8, seed=4)
    channels = 3 * ORDER[group]
    offsets = [(a - 1, b - 1) for a in range(3) for b in range(3)]
    r, c = np.divmod(np.arange(64), 8)
    for t in range(3):
        x = family.x[t].astype(float)
        patches = np.stack([x[:, ((r + da) % 8) * 8 + (c + db) % 8] for da, db in offsets], axis=-1)
        y = family.y[t].astype(float).reshape(20, channels, 64)
        bank = np.linalg.lstsq(patches.reshape(-1, 9), y.transpose(0, 2, 1).reshape(-1, channels), rcond=None)[0].T
        np.testing.assert_allclose(np.einsum("npt,ot->nop", patches, bank), y, atol=1e-4)
        for s in filter_bank_action(group):
            np.testing.assert_allclose(bank.ravel()[s], bank.ravel(), atol=1e-4)  # constant on orbits
    assert 0.8 < float(np.mean(lifting_tasks(group, num_tasks=40, size=8, seed=0).y ** 2)) < 1.2


def test_family_spec_regenerates_and_memory_is_checked():
    family = lifting_tasks("p4m", num_tasks=4, size=6, seed=3)
    assert family.spec == {"task": "lifting", "group": "p4m", "num_tasks": 4, "examples": 20, "size": 6,
                           "fields": 3, "num_train": 3, "seed": 3}
    again = lifting_family_from_spec(family.spec)
    assert (again.x == family.x).all() and (again.y == family.y).all()
    with pytest.raises(TooLargeError):
        lifting_tasks("p4m", num_tasks=2000)  # 4.1 GB: refused before allocating
    with pytest.raises(TooLargeError):  # a record's fields: U is (fields |H| 9) x (fields 9), refused before
        rebuild_lifting_layer({"kind": "equivariant", "group": "p4", "size": 4, "fields": 10**6}, {})


def test_conv_layer_equals_an_explicit_dense_matrix():
    rng = np.random.default_rng(2)
    layer = lifting_layer("conv", "p4", 4)
    v = torch.as_tensor(rng.normal(size=(2, layer.k)), dtype=torch.float32)
    x = torch.as_tensor(rng.normal(size=(2, 3, 16)), dtype=torch.float32)
    out = layer(x, v)
    bank = v.numpy().reshape(2, 12, 3, 3)
    for t in range(2):
        W = np.zeros((12, 4, 4, 4, 4))  # (channel, row, column) x (row, column)
        for o, i, j, a, b in itertools.product(range(12), range(4), range(4), range(3), range(3)):
            W[o, i, j, (i + a - 1) % 4, (j + b - 1) % 4] += bank[t, o, a, b]
        W = W.reshape(12 * 16, 16)
        np.testing.assert_allclose(out[t].detach().numpy(), x[t].numpy() @ W.T, atol=1e-5)
        # the same matrix from the library's translation-only placement of taps
        B = circular_convolution_sharing(4, 3, out_channels=12)
        np.testing.assert_allclose((B @ v[t].numpy().astype(float)).reshape(12 * 16, 16), W, atol=1e-12)


def test_equivariant_layer_is_equivariant_for_any_filters():
    layer = lifting_layer("equivariant", "p4m", 6)
    assert layer.k == 27 and (layer.v0 == 0).all()
    rng = np.random.default_rng(5)
    v = torch.as_tensor(rng.normal(size=(1, 27)))
    x = rng.normal(size=(2, 6, 6))
    y = layer(torch.as_tensor(x.reshape(1, 2, 36), dtype=torch.float32), v.float()).detach().numpy()
    moved = layer(torch.as_tensor(act_on_images(x, "p4m", 5).reshape(1, 2, 36), dtype=torch.float32), v.float())
    np.testing.assert_allclose(moved.detach().numpy().reshape(2, 24, 6, 6),
                               act_on_outputs(y.reshape(2, 24, 6, 6), "p4m", 5), atol=1e-5)


def test_msr_conv_sharing_is_the_kronecker_product_and_adapt_changes_only_v():
    torch.manual_seed(0)
    layer = KroneckerLiftingConv(4, 12)
    assert torch.equal(layer.effective_sharing(), torch.eye(108))  # the identity at the start
    with torch.no_grad():
        for p in (layer.A, layer.B, layer.C):
            p.copy_(torch.randn(p.shape))
    U = torch.kron(torch.kron(layer.A, layer.B), layer.C)
    assert torch.allclose(layer.effective_sharing(), U)
    v = torch.randn(2, 108)
    assert torch.allclose(layer.weight(v).reshape(2, 108), v @ U.T, atol=1e-4)
    # a 12 x 1 x 9 bank indexed (o, i, t): entry (o, t) = sum_o' sum_t' A[o, o'] B C[t, t'] K[o', t']
    K = v[0].reshape(12, 9)
    assert torch.allclose(layer.weight(v)[0], layer.B[0, 0] * layer.A @ K @ layer.C.T, atol=1e-4)
    model = MetaModel([layer], inner_lr=0.1)
    before = {name: p.detach().clone() for name, p in model.named_parameters()}
    x, y = torch.randn(2, 1, 16), torch.randn(2, 1, 192)
    adapted = adapt(model, x, y, create_graph=False)[0]
    assert all(torch.equal(p, before[name]) for name, p in model.named_parameters())  # U, v0, rate unchanged
    assert adapted.shape == (2, 108) and not torch.allclose(adapted, layer.v0.expand(2, -1))
    # the step is v0 - rate * U^T dL/dK: the gradient reaches K through U
    bank = layer.weight(layer.v0.detach().expand(2, -1)).detach().requires_grad_(True)
    loss = ((lifting_conv(x, bank, 4) - y) ** 2).mean(dim=(1, 2)).sum()
    grad_bank = torch.autograd.grad(loss, bank)[0].reshape(2, 108)
    assert torch.allclose(adapted, layer.v0 - 0.1 * grad_bank @ U, atol=1e-4)


@pytest.mark.parametrize("group", GROUPS)
def test_no_kronecker_product_is_the_equivariant_projector(group):
    """P = sum_h (channel permutation of h) (x) (tap permutation of h) / |H|: its Schmidt rank
    is the dimension of the span of the tap permutations (the channel ones are independent),
    and the best single A (x) C leaves the energy of the other Schmidt components."""
    rank, distance = kronecker_distance(group)
    taps = np.stack([np.eye(9)[:, t].ravel() for t in tap_action(group)])  # P_h[h.t, t] = 1, flattened
    assert rank == np.linalg.matrix_rank(taps) == {"p4": 4, "p4m": 7}[group]
    assert 0.5 < distance < 1.0
    # closed form: the channel permutations are orthonormal up to 3|H|, so distance^2 = 1 - lambda_max(T) / tr(T)
    # for T[h, k] = the taps h and k send to the same place; both groups give sqrt(2/3)
    taps_of = tap_action(group)
    T = (taps_of[:, None, :] == taps_of[None, :, :]).sum(axis=2).astype(float)
    assert distance == pytest.approx(np.sqrt(1 - np.linalg.eigvalsh(T).max() / np.trace(T)), abs=5e-4)
    assert distance == pytest.approx(np.sqrt(2 / 3), abs=5e-4)
    # the nearest Kronecker product is no better than that distance: a random A (x) C is farther
    U = lifting_sharing(group)
    P = U @ U.T / ORDER[group]
    rng = np.random.default_rng(0)
    A, C = rng.normal(size=(3 * ORDER[group],) * 2), rng.normal(size=(9, 9))
    K = np.kron(A, C)
    scale = (K * P).sum() / (K * K).sum()
    assert np.linalg.norm(P - scale * K) / np.linalg.norm(P) >= distance - 1e-9


def test_maml_evaluate_and_train_run_unchanged():
    family = lifting_tasks("p4", num_tasks=8, size=4, num_train=5, seed=0)
    for kind in ("conv", "msr-conv", "equivariant"):
        model = make_model(kind, family)
        assert evaluate(model, family, tasks=2)["tasks"] == 2
        result = train(model, family, steps=2, meta_batch=4, eval_every=1, eval_tasks=2, split="random",
                       test_tasks="random", progress=False, device="cpu")
        assert len(result["curve"]) == 3 and np.isfinite(result["curve"][-1]["mse"])
    bound = 1 / 3  # Conv2d's default: uniform in +-1/sqrt(9)
    v0 = make_model("conv", family).layers[0].v0
    assert v0.abs().max() <= bound and v0.abs().max() > bound / 2


@pytest.mark.slow
def test_msr_conv_beats_maml_conv_on_a_small_p4_family():
    family = lifting_tasks("p4", num_tasks=300, size=8, seed=0)
    mse = {}
    for kind in ("conv", "msr-conv"):
        model = make_model(kind, family)
        result = train(model, family, steps=400, eval_every=400, eval_tasks=60, split="random", test_tasks="random",
                       progress=False, device="cpu")
        mse[kind] = result["curve"][-1]["mse"]
    assert mse["msr-conv"] < 0.8 * mse["conv"]


def test_layers_rebuild_from_structure_and_refuse_bad_states():
    x, v = torch.randn(1, 2, 16), torch.randn(1, 27)
    for kind in ("conv", "msr-conv", "equivariant"):
        layer = lifting_layer(kind, "p4", 4, seed=1)
        again = rebuild_lifting_layer(layer.structure, layer.state_dict())
        w = v if kind == "equivariant" else torch.randn(1, layer.k)
        assert torch.equal(again(x, w), layer(x, w))
    state = lifting_layer("msr-conv", "p4", 4).state_dict()
    with pytest.raises(ArgumentError):
        rebuild_lifting_layer({"kind": "msr-conv", "group": "p4", "size": 4, "fields": 3},
                              {**state, "A": torch.zeros(3, 3)})
    with pytest.raises(ArgumentError):
        rebuild_lifting_layer({"kind": "equivariant", "group": "p4", "size": 4, "fields": 3},
                              {"v0": torch.zeros(27), "sharing": torch.zeros(108, 27)})


def test_lifting_models_train_save_and_analyse(tmp_path):
    """Through the library's front doors: train.task_family and make_model build the
    lifting family and its three kinds, checkpoints reload to the same outputs, and the
    analysis of the exactly equivariant model names the task's lifting sharing with no
    defect, while MAML-Conv's random start is far from equivariant."""
    from pltheory.msr.analysis import analyze_checkpoint  # noqa: PLC0415 - after the importorskip
    from pltheory.msr.checkpoint import load_checkpoint, save_checkpoint  # noqa: PLC0415
    from pltheory.msr.train import task_family  # noqa: PLC0415

    family = task_family("lifting-p4m", size=5, num_tasks=30)
    x = torch.randn(2, 3, 25)
    results = {}
    for kind in ("conv", "msr-conv", "equivariant"):
        model = make_model(kind, family, seed=1)
        path = save_checkpoint(tmp_path / kind, model, task_spec={**family.spec, "name": family.name}, steps=0,
                               curve=[])
        loaded, _ = load_checkpoint(path)
        torch.testing.assert_close(loaded(x, loaded.initial_filters(2)), model(x, model.initial_filters(2)))
        results[kind] = analyze_checkpoint(path, tasks=8).summary
    exact = results["equivariant"]
    assert exact["learned_sharing"]["best"] == exact["adapted_weights"]["best"] == \
        "the task's lifting sharing (p4m, 3 regular fields)"
    assert exact["equivariance_defect"] < 1e-6
    assert results["conv"]["equivariance_defect"] > 0.5
    with pytest.raises(ArgumentError, match="one layer"):
        make_model("fc", family)
