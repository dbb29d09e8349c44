"""Issue 10, point 3: an API read of an object outside the caller's scope answers 404, like a
missing one, and leaves a ``denied`` row in the security log, as the pages do
(``core.scope.scoped_object_or_404``); a missing object leaves none."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import login
from tests.factories import person
from tests.funds.conftest import make_beneficiary
from zeren.certificates.models import CertificateType
from zeren.certificates.services import certificate_register
from zeren.core.models import SecurityEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(staff_a, village_a):
    p = person(actor=staff_a, division=village_a, name="甲")
    ctype = CertificateType.objects.get(code="migrant")
    cert = certificate_register(
        actor=staff_a,
        type=ctype,
        holder=p,
        spouse=None,
        facts={"marital_status": "已婚", "children": "1", "destination": "北京市"},
        applied_on=dt.date(2026, 3, 1),
    )
    return {
        "people.Person": f"/api/persons/{p.pk}/",
        "funds.Beneficiary": f"/api/funds/beneficiaries/{make_beneficiary(village=village_a).pk}/",
        "certificates.Certificate": f"/api/certificates/{cert.pk}/",
    }


def _denied() -> list[SecurityEvent]:
    return list(SecurityEvent.objects.filter(kind=SecurityEvent.Kind.DENIED).order_by("pk"))


def test_reading_another_townships_object_is_a_404_and_a_denied_row(objects, staff_a, staff_b):
    for url in objects.values():
        assert login(staff_a).get(url).status_code == 200, url
    assert _denied() == []
    client = login(staff_b)
    for label, url in objects.items():
        response = client.get(url)
        assert response.status_code == 404, url
        event = _denied()[-1]
        pk = url.rstrip("/").rsplit("/", 1)[-1]
        assert event.actor == staff_b, url
        assert (event.detail["object"], event.detail["pk"]) == (label, pk), url
        assert event.path == url and event.ip
    assert len(_denied()) == len(objects)


def test_a_missing_object_is_a_404_without_a_denied_row(objects, staff_b):
    client = login(staff_b)
    for url in ("/api/persons/999999/", "/api/funds/beneficiaries/999999/"):
        assert client.get(url).status_code == 404
    assert _denied() == []


def test_a_write_out_of_scope_is_logged_as_a_change_attempt(objects, staff_b):
    url = objects["people.Person"]
    response = login(staff_b).patch(
        url, {"address": "某地"}, content_type="application/json", HTTP_IF_MATCH='"v1"'
    )
    assert response.status_code == 404
    assert _denied()[-1].detail["action"] == "change"
