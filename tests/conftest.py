"""Shared fixtures: small groups covering every constructor."""

import pytest

import pltheory as pt

SMALL_GROUP_SPECS = ["C1", "C6", "C3xC3", "D4", "D5", "S3", "S4", "A4", "A5", "C2xS3"]


@pytest.fixture(params=SMALL_GROUP_SPECS)
def small_group(request) -> pt.FiniteGroup:
    return pt.group(request.param)
