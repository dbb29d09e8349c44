"""Finding 6 (no identifier in a URL) for the certificate and permit lists: the holder's ID
number is POSTed and kept behind an opaque ``?q=`` token, typed numbers are normalised, and
a number put into a URL by hand is ignored."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import login
from tests.factories import person
from tests.permits.conftest import grant
from zeren.certificates.models import CertificateType
from zeren.certificates.services import certificate_register
from zeren.core.models import SecurityEvent

pytestmark = pytest.mark.django_db

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


@pytest.fixture
def holders(staff_a, village_a, section_staff):
    a = person(actor=staff_a, division=village_a, name="持证甲")
    b = person(actor=staff_a, division=village_a, name="持证乙")
    for n, p in enumerate((a, b), start=1):
        grant(section_staff, p, number=f"隆再字00{n}")
        certificate_register(
            actor=staff_a,
            type=CertificateType.objects.get(code="migrant"),
            holder=p,
            spouse=None,
            facts={"marital_status": "已婚", "children": "1", "destination": "北京市"},
            applied_on=dt.date(2026, 3, 1),
        )
    return a, b


@pytest.mark.parametrize("url", ["/staff/permits/", "/staff/certificates/"])
def test_a_search_by_holder_number_keeps_it_out_of_the_url(url, holders, section_staff):
    a, _ = holders
    client = login(section_staff)
    typed = f"{a.id_number[:6]} {a.id_number[6:]}".translate(FULL_WIDTH)
    response = client.post(url, {"holder_id_number": typed})
    assert response.status_code == 302
    location = response["Location"]
    assert "?q=" in location and a.id_number not in location and "holder" not in location
    page = client.get(location).content.decode()
    assert "持证甲" in page and "持证乙" not in page
    search = SecurityEvent.objects.filter(kind="search").latest("pk")
    assert search.detail["criteria"] == ["holder_id_number"]
    assert a.id_number not in str(search.detail) and search.path == url


@pytest.mark.parametrize("url", ["/staff/permits/", "/staff/certificates/"])
def test_a_number_typed_into_the_url_is_ignored(url, holders, section_staff):
    a, _ = holders
    page = login(section_staff).get(url, {"holder_id_number": a.id_number}).content.decode()
    assert "持证甲" in page and "持证乙" in page
