"""Exceptions raised by pltheory.

Every error a user can provoke with bad input is a subclass of :class:`PLTheoryError`,
so the command line can turn it into a one-line message. Each also derives from the
built-in exception a Python user would expect (``ValueError``, ``AssertionError``), so
``except ValueError`` keeps working.
"""

from __future__ import annotations


class PLTheoryError(Exception):
    """Base class of the errors pltheory raises for bad input."""


class GroupSpecError(PLTheoryError, ValueError):
    """A group specification string such as ``"C4xC4"`` could not be parsed."""


class InvalidPermutationError(PLTheoryError, ValueError):
    """A generator or action is not a permutation of {0, ..., d-1}, or degrees differ."""


class NotAnElementError(PLTheoryError, ValueError):
    """A permutation was expected to lie in a group and does not."""


class TooLargeError(PLTheoryError, ValueError):
    """A request needs more memory or work than the limits allow (:mod:`pltheory.limits`);
    the message says how much it needs and what to do instead."""


class GroupTooLargeError(TooLargeError):
    """An operation needs the list of all group elements and the group is too large."""


class GSetSpecError(PLTheoryError, ValueError):
    """A G-set specification such as ``"subsets:2"`` does not parse or does not fit the group."""


class GroupMismatchError(PLTheoryError, ValueError):
    """Two G-sets (or a G-set and a representation) belong to different groups."""


class WeightError(PLTheoryError, ValueError):
    """A weight matrix has the wrong shape or contains NaN or infinite entries."""


class NotAHomomorphismError(PLTheoryError, ValueError):
    """Matrices or permutations given for the generators do not satisfy the group's relations."""


class NotEquivariantError(PLTheoryError, AssertionError):
    """A linear map fails to commute with the group action (raised by ``assert_equivariant``)."""


class NoClosedFormError(PLTheoryError, ValueError):
    """A closed form (exact matrices, a published rule) was asked of a group that has none
    in pltheory."""


class ActivationError(PLTheoryError, ValueError):
    """An activation name or piecewise-linear specification is not understood."""


class MethodUnavailableError(PLTheoryError, ValueError):
    """A method (exact interaction graphs, linear pieces, ...) does not apply to this group,
    G-set or activation; the message says which method does."""


class NumericalError(PLTheoryError, ArithmeticError):
    """A numerical computation could not certify its answer: the irreducibles of a group
    could not be separated after the retries, or an activation overflowed on the probes;
    the message says which check failed."""


class ArgumentError(PLTheoryError, ValueError, TypeError):
    """An argument of the wrong type or out of range: a string where a group is expected,
    ``method="bogus"``, ``seed=-1``, a NaN tolerance, a vector of the wrong length."""


class OutputError(PLTheoryError, ValueError):
    """An output cannot be written where asked: it exists and ``force`` was not given, a
    parent is a file, or the directory is not writable."""


class InputFileError(PLTheoryError, ValueError):
    """A file given as input is missing, unreadable, of the wrong format, or declares more
    data than it holds or than the limits allow."""


class CheckpointError(PLTheoryError, ValueError):
    """A file or directory is not a pltheory checkpoint, or is corrupt, or its record
    cannot regenerate the tasks it names."""


class CommandError(PLTheoryError):
    """A command-line usage problem: an output directory that is not empty, a missing
    optional dependency, a model that does not apply to the task family."""
