"""Fixtures for the ledger: work items by their numbers in the seed list, enforcement cases."""

from __future__ import annotations

import pytest

# Enforcement cases walked to closing feed a work item automatically.
from tests.cases.conftest import (  # noqa: F401
    _fresh_calendar,
    file_case,
    officers,
    party,
    sex_identification,
    walk,
)
from zeren.catalogue.models import WorkItem
from zeren.ledger.services import expectations_load_seed


def item(duty: int, order: int) -> WorkItem:
    """The seed list's work item ``duty``.``order`` (version 1)."""
    return WorkItem.objects.get(duty__version__number=1, duty__number=duty, order=order)


@pytest.fixture
def expectations(db) -> int:
    return expectations_load_seed()
