"""Personas of the joint space: one account per partner department, the sex-ratio boundary."""

from __future__ import annotations

import pytest

# Enforcement cases, to link a joint matter to the bureau's own case.
from tests.cases.conftest import (  # noqa: F401
    _fresh_calendar,
    file_case,
    officers,
    party,
    sex_identification,
)
from tests.conftest import make_user
from zeren.catalogue.models import Boundary
from zeren.core.roles import Role
from zeren.org.models import Department, User


def department(code: str) -> Department:
    return Department.objects.get(code=code)


@pytest.fixture
def boundary(db) -> Boundary:
    return Boundary.objects.get(version__number=1, number=1)


@pytest.fixture
def police(db) -> User:
    return make_user("police", Role.PARTNER, department=department("longyao-gaj"))


@pytest.fixture
def health(db) -> User:
    return make_user("health", Role.PARTNER, department=department("longyao-wsj"))


@pytest.fixture
def fda(db) -> User:
    return make_user("fda", Role.PARTNER, department=department("longyao-sjj"))
