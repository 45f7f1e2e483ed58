"""Exceptions raised by pltheory.

Every error a user can provoke with bad input is a subclass of
[`PLTheoryError`][pltheory.errors.PLTheoryError], so the command line can turn it into a
one-line message. Each also derives from the built-in exception a Python user would expect
(``ValueError``, ``AssertionError``), so ``except ValueError`` keeps working.
"""

from __future__ import annotations


class PLTheoryError(Exception):
    """Base class of the errors pltheory raises for bad input.

    >>> import pltheory as pt
    >>> issubclass(pt.GroupSpecError, pt.PLTheoryError), issubclass(pt.GroupSpecError, ValueError)
    (True, True)
    """


class GroupSpecError(PLTheoryError, ValueError):
    """A group specification string such as ``"C4xC4"`` could not be parsed.

    >>> import pltheory as pt
    >>> pt.group("C0")
    Traceback (most recent call last):
    ...
    pltheory.errors.GroupSpecError: Cn needs an integer n >= 1, got 0
    """


class InvalidPermutationError(PLTheoryError, ValueError):
    """A generator or action is not a permutation of {0, ..., d-1}, or degrees differ.

    >>> import pltheory as pt
    >>> pt.from_generators([[0, 0, 1]])
    Traceback (most recent call last):
    ...
    pltheory.errors.InvalidPermutationError: [0, 0, 1] is not a permutation of 0..2
    """


class NotAnElementError(PLTheoryError, ValueError):
    """A permutation was expected to lie in a group and does not.

    >>> import pltheory as pt
    >>> pt.cyclic(4).subgroup([[1, 0, 2, 3]])
    Traceback (most recent call last):
    ...
    pltheory.errors.NotAnElementError: (0 1) is not an element of C4
    """


class TooLargeError(PLTheoryError, ValueError):
    """A request needs more memory or work than the limits allow ([`pltheory.limits`][pltheory.limits]);
    the message says how much it needs and what to do instead.

    >>> import pltheory as pt
    >>> pt.partitions(1000)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pltheory.errors.TooLargeError: partitions(n) has n = 1000; ... listed for n up to 50
    """


class GroupTooLargeError(TooLargeError):
    """An operation needs the list of all group elements and the group is too large.

    >>> import pltheory as pt
    >>> pt.group("S20").elements()  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pltheory.errors.GroupTooLargeError: S20 has 2432902008176640000 elements, more than the limit ...
    """


#: The forms of a G-set specification, as `GSetSpecError` messages and the command line's
#: help list them (``pltheory.gsets.SPEC_FORMS``; here so that the help needs no numpy).
SPEC_FORMS = (
    "natural, regular, trivial, grid, pairs, tuples:k, subsets:k, conjugation, "
    "cosets:GENS (cycles on 0-based points separated by ';', e.g. cosets:(0 1)), "
    "or several joined by '+'"
)


class GSetSpecError(PLTheoryError, ValueError):
    """A G-set specification such as ``"subsets:2"`` does not parse or does not fit the group.

    >>> import pltheory as pt
    >>> pt.GSet.from_spec(pt.group("S4"), "subsets:9")
    Traceback (most recent call last):
    ...
    pltheory.errors.GSetSpecError: subsets:9 needs at least 9 points, natural has 4
    """


class GroupMismatchError(PLTheoryError, ValueError):
    """Two G-sets (or a G-set and a representation) belong to different groups.

    >>> import pltheory as pt
    >>> pt.equivariant_basis(pt.GSet.natural(pt.group("S3")), pt.GSet.natural(pt.group("C3")))
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pltheory.errors.GroupMismatchError: Fun(natural) is a S3-representation and ... must be G-sets of one group
    """


class WeightError(PLTheoryError, ValueError):
    """A weight matrix has the wrong shape or contains NaN or infinite entries.

    Examples
    --------
    >>> import numpy as np, pltheory as pt
    >>> X = pt.GSet.natural(pt.group("S3"))
    >>> pt.decompose_weight(np.zeros((2, 3)), X, X)
    Traceback (most recent call last):
    ...
    pltheory.errors.WeightError: a map Fun(natural) -> Fun(natural) is a 3 x 3 array (|Y| x |X|), got shape (2, 3)
    """


class NotAHomomorphismError(PLTheoryError, ValueError):
    """Matrices or permutations given for the generators do not satisfy the group's relations.

    >>> import pltheory as pt
    >>> pt.GSet(pt.cyclic(3), [[1, 0]])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pltheory.errors.NotAHomomorphismError: the permutations do not define an action of C3: ... order 6, not 3
    """


class NotEquivariantError(PLTheoryError, AssertionError):
    """A linear map fails to commute with the group action (raised by ``assert_equivariant``).

    >>> import numpy as np, pltheory as pt
    >>> X = pt.GSet.natural(pt.group("S3"))
    >>> pt.assert_equivariant(np.eye(3)[[1, 0, 2]], X, X)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pltheory.errors.NotEquivariantError: W is not S3-equivariant: relative error 1.41 > tol ...
    """


class NoClosedFormError(PLTheoryError, ValueError):
    """A closed form (exact matrices, a published rule) was asked of a group that has none
    in pltheory.

    >>> import pltheory as pt
    >>> pt.interaction_graph(pt.GSet.natural(pt.group("S3")), method="closed_form")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pltheory.errors.NoClosedFormError: the closed form is the published rule for C_n ...: use the probe or exact method
    """


class ActivationError(PLTheoryError, ValueError):
    """An activation name or piecewise-linear specification is not understood.

    >>> import pltheory as pt
    >>> pt.activation("bogus")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pltheory.errors.ActivationError: unknown activation 'bogus'; use relu, abs, ...
    """


class MethodUnavailableError(PLTheoryError, ValueError):
    """A method (exact interaction graphs, linear pieces, ...) does not apply to this group,
    G-set or activation; the message says which method does.

    >>> import pltheory as pt
    >>> pt.interaction_graph(pt.GSet.natural(pt.group("S3")), method="exact", depth=2)
    Traceback (most recent call last):
    ...
    pltheory.errors.MethodUnavailableError: depth 2 > 1 is computed by the probe method only
    """


class NumericalError(PLTheoryError, ArithmeticError):
    """A numerical computation could not certify its answer: the irreducibles of a group
    could not be separated after the retries, or an activation overflowed on the probes;
    the message says which check failed.

    Examples
    --------
    >>> import numpy as np, pltheory as pt
    >>> f = pt.activation(lambda x: np.exp(1000 * x))
    >>> pt.interaction_graph(pt.GSet.natural(pt.group("S3")), f)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pltheory.errors.NumericalError: <lambda> overflowed on the probes (non-finite values), ...
    """


class ArgumentError(PLTheoryError, ValueError, TypeError):
    """An argument of the wrong type or out of range: a string where a group is expected,
    ``method="bogus"``, ``seed=-1``, a NaN tolerance, a vector of the wrong length.

    >>> import pltheory as pt
    >>> pt.interaction_graph(pt.GSet.natural(pt.group("S3")), seed=-1)
    Traceback (most recent call last):
    ...
    pltheory.errors.ArgumentError: seed must be an integer >= 0, got -1
    """


class OutputError(PLTheoryError, ValueError):
    """An output cannot be written where asked: it exists and ``force`` was not given, a
    parent is a file, or the directory is not writable.

    >>> from pltheory.outputs import write_text
    >>> write_text(3, "text")
    Traceback (most recent call last):
    ...
    pltheory.errors.OutputError: an output path must be a string or a path, got int
    """


class InputFileError(PLTheoryError, ValueError):
    """A file given as input is missing, unreadable, of the wrong format, or declares more
    data than it holds or than the limits allow.

    >>> from pltheory.inputs import read_npy
    >>> read_npy("no-such-file.npy")
    Traceback (most recent call last):
    ...
    pltheory.errors.InputFileError: no-such-file.npy is not a file
    """


class CheckpointError(PLTheoryError, ValueError):
    """A file or directory is not a pltheory checkpoint, or is corrupt, or its record
    cannot regenerate the tasks it names.

    >>> from pltheory.msr.record import CheckpointRecord
    >>> CheckpointRecord.from_json({})
    Traceback (most recent call last):
    ...
    pltheory.errors.CheckpointError: model.json: format: missing
    """


class CommandError(PLTheoryError):
    """A command-line usage problem: an output directory that is not empty, a missing
    optional dependency, a model that does not apply to the task family.

    The command line prints it as one line and exits with status 2:

    >>> import contextlib, sys
    >>> from pltheory.cli import main
    >>> with contextlib.redirect_stderr(sys.stdout):
    ...     main(["basis", "C4", "--save", "out.txt"])
    pltheory: error: --save needs a file name ending in .npz, got out.txt
    2
    """
