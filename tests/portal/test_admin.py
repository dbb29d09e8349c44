"""The admin holds reference data; workflow state there is read-only (services own it)."""

from __future__ import annotations

import pytest

from tests.conftest import login

pytestmark = pytest.mark.django_db

READ_ONLY = [
    "cases/case",
    "cases/casedocument",
    "supervision/samplingplan",
    "supervision/inspectiontask",
    "permits/permit",
    "certificates/certificate",
    "core/changelog",
    "core/securityevent",
]
EDITABLE = ["org/division", "funds/rate", "cases/ruleset", "supervision/supervisionregime"]


@pytest.mark.parametrize("model", READ_ONLY)
def test_workflow_models_cannot_be_added_in_the_admin(admin_user, model):
    client = login(admin_user)
    assert client.get(f"/admin/{model}/").status_code == 200
    assert client.get(f"/admin/{model}/add/").status_code == 403


@pytest.mark.parametrize("model", EDITABLE)
def test_reference_data_is_editable_in_the_admin(admin_user, model):
    assert login(admin_user).get(f"/admin/{model}/add/").status_code == 200
