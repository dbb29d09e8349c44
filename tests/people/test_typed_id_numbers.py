"""Identity numbers as people type them, through the persons API and the lookup."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.conftest import login
from zeren.people.models import Person
from zeren.people.services import person_find_by_id_number

pytestmark = pytest.mark.django_db


def _post(client, id_number: str, division: str):
    return client.post(
        "/api/persons/",
        {"name": "王芳", "id_number": id_number, "division": division},
        content_type="application/json",
    )


@pytest.mark.parametrize(
    "typed", ["13052519900101001¹", "130525¹99001010011", "1305251990010100①1"]
)
def test_a_superscript_or_circled_digit_in_an_id_gives_400_not_500(staff_a, village_a, typed):
    response = _post(login(staff_a), typed, village_a.code)
    assert response.status_code == 400
    assert "不是数字" in json.dumps(response.json(), ensure_ascii=False)
    assert not Person.objects.exists()


def test_full_width_digits_and_spaces_are_stored_as_the_plain_number(staff_a, village_a):
    typed = "１３０５２５ １９９００１０１ ００１１"
    response = _post(login(staff_a), typed, village_a.code)
    assert response.status_code == 201, response.content
    person = Person.objects.get()
    assert person.id_number == "130525199001010011"
    assert person_find_by_id_number(actor=staff_a, id_number=typed) == person


# --- searches (issue 10, point 5): a number typed full-width, with spaces or a lower-case x --

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def _typed_variants(number: str) -> list[str]:
    spaced = f"{number[:6]} {number[6:14]}\u3000{number[14:]}"
    return [
        number.translate(FULL_WIDTH),
        spaced,
        spaced.translate(FULL_WIDTH),
        f" {number.lower()}\u00a0",
    ]


@pytest.fixture
def x_person(staff_a, village_a):
    """A person whose number ends in the check character X."""
    from tests.factories import person
    from zeren.people.rules import make_id_number

    number = next(
        n
        for n in (make_id_number("130525", dt.date(1985, 5, 5), s) for s in range(1, 999))
        if n.endswith("X")
    )
    return person(actor=staff_a, division=village_a, name="钱七", id_number=number)


def test_the_digest_of_a_typed_number_is_the_digest_of_the_number(x_person):
    from zeren.people.services import id_number_digest

    for typed in _typed_variants(x_person.id_number):
        assert id_number_digest(typed) == x_person.id_number_hash, typed
    assert id_number_digest("   ") == ""


def test_the_persons_search_page_finds_a_number_as_typed(x_person, staff_a):
    client = login(staff_a)
    for typed in _typed_variants(x_person.id_number):
        url = client.post("/staff/persons/", {"id_number": typed})["Location"]
        assert "钱七" in client.get(url).content.decode(), typed


def test_the_beneficiary_search_finds_a_number_as_typed(x_person, staff_a, village_a):
    from zeren.funds.services import beneficiary_create

    beneficiary_create(
        actor=None,
        person=x_person,
        kind="special_death",
        residence="urban",
        village=village_a,
        start_date=dt.date(2025, 1, 1),
        bank_name="农业银行",
        bank_account="6222020200112233445",
    )
    client = login(staff_a)
    typed = _typed_variants(x_person.id_number)[2]
    url = client.post("/staff/funds/beneficiaries/", {"id_number": typed})["Location"]
    assert "钱七" in client.get(url).content.decode()


def test_the_certificate_holder_filter_finds_a_number_as_typed(x_person, staff_a):
    from zeren.certificates.models import Certificate, CertificateType
    from zeren.certificates.services import certificate_register
    from zeren.certificates.tables import CertificateFilter

    certificate_register(
        actor=staff_a,
        type=CertificateType.objects.get(code="migrant"),
        holder=x_person,
        spouse=None,
        facts={"marital_status": "已婚", "children": "1", "destination": "北京市"},
        applied_on=dt.date(2026, 3, 1),
    )
    typed = _typed_variants(x_person.id_number)[3]
    found = CertificateFilter({"holder_id_number": typed}, queryset=Certificate.objects.all())
    assert [c.holder_id for c in found.qs] == [x_person.pk]
