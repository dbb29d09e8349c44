"""The API: scoped, masked, bulk outcomes all or nothing."""

from __future__ import annotations

import json

import pytest

from tests.conftest import login
from tests.funds.conftest import make_beneficiary
from zeren.funds.services import campaign_open

pytestmark = pytest.mark.django_db


def test_beneficiaries_are_scoped_and_masked(staff_a, staff_b, village_a, village_b):
    a = make_beneficiary(village=village_a, name="甲")
    make_beneficiary(village=village_b, name="乙")
    data = login(staff_a).get("/api/funds/beneficiaries/").json()
    assert [r["name"] for r in data["results"]] == ["甲"]
    row = data["results"][0]
    assert row["bank_account_masked"].endswith("3445") and "*" in row["bank_account_masked"]
    assert "bank_account" not in row and a.person.id_number not in json.dumps(row)
    assert login(staff_b).get(f"/api/funds/beneficiaries/{a.pk}/").status_code == 404


def test_outcomes_by_api_and_progress(staff_a, village_a, village_b):
    a = make_beneficiary(village=village_a, name="甲")
    b = make_beneficiary(village=village_b, name="乙")
    campaign, _ = campaign_open(actor=None, year=2026, kind="full")
    va = campaign.verifications.get(beneficiary=a).pk
    vb = campaign.verifications.get(beneficiary=b).pk
    client = login(staff_a)
    bad = client.post(
        "/api/funds/verifications/record/",
        [{"id": va, "outcome": "confirmed"}, {"id": vb, "outcome": "confirmed"}],
        content_type="application/json",
    )
    assert bad.status_code == 400 and "第2条" in json.dumps(bad.json(), ensure_ascii=False)
    ok = client.post(
        "/api/funds/verifications/record/",
        [{"id": va, "outcome": "confirmed", "method": "phone"}],
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json() == {"confirmed": 1}
    progress = client.get("/api/funds/campaigns/progress/?year=2026").json()
    assert progress == [
        {"township": "130525100", "kind": "full", "total": 1, "done": 1, "coverage": 1.0}
    ]


def test_auditors_read_but_partners_see_nothing(auditor, partner, village_a):
    make_beneficiary(village=village_a)
    assert len(login(auditor).get("/api/funds/beneficiaries/").json()["results"]) == 1
    assert login(partner).get("/api/funds/beneficiaries/").status_code == 403
