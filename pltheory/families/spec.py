"""Group specifications: ``pltheory.group("C4xC4")``.

A specification is a product of family factors, each a registered family's letter and n,
optionally raised to a power, joined by 'x' ("C8", "C4xC4", "C4^2", "D6", "S5", "A5",
"C2xS3"), or generators in angle brackets separated by ';', as cycles on 0-based points
or image lists ("<(0 1 2)(3 4);(0 1)>", "<[1,2,0]>"). The letters come from the families
([`pltheory.groups.families`][pltheory.groups.structure.families]): a new family with a ``letter`` is parsed without
editing this module. Every integer is read with a limit, before any allocation.
"""

from __future__ import annotations

import re

from ..errors import GroupSpecError, InvalidPermutationError
from ..groups import FiniteGroup, families
from ..permutations import MAX_DEGREE, as_permutation, parse_cycles
from ..validate import parse_natural
from .products import direct_product
from .sizes import check_degree


def _lettered() -> dict[str, type]:
    return {family.letter: family for family in families() if getattr(family, "letter", None)}


def spec_forms() -> str:
    """What a group specification may be, for error messages and help texts (the letters
    of the registered families included).

    >>> spec_forms()[:60]
    'a product of factors Cn (cyclic), Dn (dihedral of order 2n),'
    """
    names = ", ".join(family.spec_help for family in _lettered().values())
    return (f"a product of factors {names}, each optionally raised to a power, joined by 'x' "
            "(e.g. C8, C4xC4, C4^2, D6, S5, A5, C2xS3), or generators in angle brackets separated "
            "by ';', as cycles on 0-based points or image lists (e.g. '<(0 1 2)(3 4);(0 1)>', '<[1,2,0]>')")


def group(spec: str) -> FiniteGroup:
    """Parse a group specification such as ``"C8"``, ``"C4xC4"``, ``"C4^2"``, ``"D6"``,
    ``"S5"``, ``"A5"``, ``"C2xS3"`` or ``"<(0 1 2 3);(0 2)>"`` (module docstring).

    Raises
    ------
    GroupSpecError
        If the text does not parse or asks for more than the limits allow.

    Examples
    --------
    >>> group("C4^2").name
    'C4xC4'
    >>> group("D6").order
    12
    >>> group("<(0 1 2 3);(0 2)>").order
    8
    """
    if not isinstance(spec, str) or not spec.strip():
        raise GroupSpecError(f"empty group specification; expected {spec_forms()}")
    if spec.strip().startswith("<"):
        return _group_from_generator_spec(spec.strip())
    lettered = _lettered()
    pattern = "([" + "".join(map(re.escape, lettered)) + "])([0-9]+)(?:\\^([0-9]+))?"
    parsed = []
    for token in re.split(r"\s*[x×*]\s*", spec.strip()):
        m = re.fullmatch(pattern, token)
        if m is None:
            raise GroupSpecError(f"cannot parse group {spec!r} (at {token!r}); expected {spec_forms()}")
        n = parse_natural(m.group(2), f"n in {token[:40]!r}", MAX_DEGREE, GroupSpecError)
        power = parse_natural(m.group(3) or "1", f"the power in {token[:40]!r}", MAX_DEGREE, GroupSpecError)
        if power < 1:
            raise GroupSpecError(f"power in {token!r} must be at least 1")
        parsed.append((lettered[m.group(1)], n, power))
    count = sum(power for _, _, power in parsed)
    check_degree(sum(n * power for _, n, power in parsed), 2 * count)
    factors = [family.build(n) for family, n, power in parsed for _ in range(power)]
    return factors[0] if len(factors) == 1 else direct_product(*factors)


def _group_from_generator_spec(spec: str) -> FiniteGroup:
    """``<g1;g2;...>`` with each g in cycle notation or as an image list ``[1,2,0]``."""
    if not spec.endswith(">"):
        raise GroupSpecError(f"generators must be enclosed in <...>, got {spec!r}")
    texts = [t.strip() for t in spec[1:-1].split(";") if t.strip()]
    if not texts:
        raise GroupSpecError(f"no generators in {spec!r}; expected {spec_forms()}")
    lists = [t for t in texts if t.startswith("[")]
    cycles = [t for t in texts if not t.startswith("[")]
    images = []
    for t in lists:
        if not re.fullmatch(r"\[\s*[0-9]+(?:[\s,]+[0-9]+)*\s*\]", t):
            raise InvalidPermutationError(f"cannot read {t!r} as an image list such as [1,2,0]")
        images.append([parse_natural(v, "an image", MAX_DEGREE - 1, GroupSpecError) for v in re.findall(r"[0-9]+", t)])
    points = [parse_natural(v, "a point", MAX_DEGREE - 1, GroupSpecError)
              for t in cycles for v in re.findall(r"[0-9]+", t)]
    degrees = {len(img) for img in images}
    if len(degrees) > 1:
        raise InvalidPermutationError(f"image lists in {spec!r} have different degrees {sorted(degrees)}")
    degree = degrees.pop() if degrees else max(points, default=0) + 1
    check_degree(degree, len(texts))
    if points and max(points) >= degree:
        raise InvalidPermutationError(f"cycles in {spec!r} move point {max(points)}, beyond degree {degree}")
    listed = iter(images)  # the generators in the order written (the structure depends on it)
    gens = [as_permutation(next(listed), degree) if t.startswith("[") else parse_cycles(t, degree) for t in texts]
    return FiniteGroup(gens, degree=degree, name=spec)
