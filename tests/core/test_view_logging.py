"""Finding 9 (views unrecorded): opening one record of personal or health data — a person, a
beneficiary, a termination or other licence, a certificate — on its page or through the API
writes a ``view`` row to the security log, with who, what and from where."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import login
from tests.factories import person
from tests.funds.conftest import make_beneficiary
from tests.permits.conftest import grant
from zeren.certificates.models import CertificateType
from zeren.certificates.services import certificate_register
from zeren.core.models import SecurityEvent
from zeren.permits.models import PermitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(staff_a, village_a, section_staff):
    p = person(actor=staff_a, division=village_a, name="甲")
    termination = grant(
        section_staff, p, number="隆终字001", kind=PermitKind.TERMINATION, hospital="县医院"
    )
    cert = certificate_register(
        actor=staff_a,
        type=CertificateType.objects.get(code="migrant"),
        holder=p,
        spouse=None,
        facts={"marital_status": "已婚", "children": "1", "destination": "北京市"},
        applied_on=dt.date(2026, 3, 1),
    )
    b = make_beneficiary(village=village_a)
    return {
        "people.Person": (p.pk, f"/staff/persons/{p.pk}/", f"/api/persons/{p.pk}/"),
        "funds.Beneficiary": (
            b.pk,
            f"/staff/funds/beneficiaries/{b.pk}/",
            f"/api/funds/beneficiaries/{b.pk}/",
        ),
        "permits.Permit": (
            termination.pk,
            f"/staff/permits/{termination.pk}/",
            f"/api/permits/{termination.pk}/",
        ),
        "certificates.Certificate": (
            cert.pk,
            f"/staff/certificates/{cert.pk}/",
            f"/api/certificates/{cert.pk}/",
        ),
    }


def test_each_record_viewed_on_its_page_or_the_api_is_logged(records, section_staff):
    client = login(section_staff)
    for label, (pk, page, api) in records.items():
        for url in (page, api):
            before = SecurityEvent.objects.filter(kind="view").count()
            assert client.get(url).status_code == 200, url
            event = SecurityEvent.objects.filter(kind="view").latest("pk")
            assert SecurityEvent.objects.filter(kind="view").count() == before + 1, url
            assert (event.object_type, event.object_id) == (label, str(pk)), url
            assert event.actor == section_staff and event.path == url and event.ip, url
