"""Property-based API testing: schemathesis drives every operation of /api/schema/.

The only promise checked here is the acceptance one: no request makes the server fail (5xx).
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from tests.factories import person
from zeren.wsgi import application

# Loaded at collection (the schema view needs no database); pytest 9 breaks from_fixture.
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture
def api_data(db, admin_user, village_a):
    """Data to read, patch and reveal; the test's transaction must survive each request.

    Calling the WSGI app directly fires request_started/finished, whose handler closes the
    connection after a failed query (PostgreSQL), taking the test transaction with it; Django's
    own test client disconnects it in the same way.
    """
    from django.core import signals
    from django.db import close_old_connections

    from zeren.accounts.services import api_token_issue

    person(actor=admin_user, division=village_a)
    _, token = api_token_issue(actor=admin_user, user=admin_user, name="schemathesis", days=1)
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield token
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_no_request_makes_the_server_fail(case, api_data):
    response = case.call(headers={"Authorization": f"Token {api_data}"})
    case.validate_response(response, checks=[not_a_server_error])
