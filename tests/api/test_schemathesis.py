"""Property-based API testing: schemathesis drives every operation of /api/schema/.

The only promise checked here is the acceptance one: no request makes the server fail (5xx).
"""

from __future__ import annotations

import base64

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from tests.conftest import PASSWORD
from tests.factories import person
from zeren.wsgi import application

# Loaded at collection (the schema view needs no database); pytest 9 breaks from_fixture.
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture
def api_data(db, admin_user, village_a):
    person(actor=admin_user, division=village_a)  # something to read, patch and reveal


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
    token = base64.b64encode(f"root:{PASSWORD}".encode()).decode()
    response = case.call(headers={"Authorization": f"Basic {token}"})
    case.validate_response(response, checks=[not_a_server_error])
