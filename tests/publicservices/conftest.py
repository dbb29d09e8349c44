from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import login, make_user
from zeren.core.roles import Role
from zeren.org.models import Section, User

# A Tuesday; the calendar's seed covers it.
TODAY = dt.date(2026, 12, 1)


@pytest.fixture
def today(monkeypatch) -> dt.date:
    """Freeze the services' "today" (Beijing date) so due days are worked examples."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    return TODAY


@pytest.fixture
def migrant_clerk(bureau) -> User:
    """Staff of 流动人口管理股, the section of service 3 (县直部门计生审查)."""
    return make_user(
        "liudong",
        Role.SECTION,
        department=bureau,
        section=Section.objects.get(department=bureau, name="流动人口管理股"),
    )


@pytest.fixture
def migrant_client(migrant_clerk):
    return login(migrant_clerk)
