import pytest

from zeren.core import workdays


@pytest.fixture(autouse=True)
def _fresh_calendar():
    """Each test sees the calendar as its own transaction left it."""
    workdays.invalidate()
    yield
    workdays.invalidate()
