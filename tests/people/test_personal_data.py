"""Personal data at rest: encrypted, masked on output, revealed only with a log entry."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from tests.conftest import login
from tests.factories import id_number, person
from zeren.core import crypto
from zeren.core.fields import mask_id_number, mask_phone
from zeren.core.models import ChangeLog, SecurityEvent
from zeren.people.models import Person
from zeren.people.services import person_create, person_find_by_id_number, person_reveal

pytestmark = pytest.mark.django_db

NUMBER = "130525199001010011"
PHONE = "13812345678"


@pytest.fixture
def someone(staff_a, village_a):
    return person(actor=staff_a, division=village_a, name="李四", id_number=NUMBER, phone=PHONE)


def test_no_plaintext_id_number_or_phone_is_stored(someone):
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM people_person")
        rows = cursor.fetchall()
    raw = json.dumps([[str(v) for v in row] for row in rows], ensure_ascii=False)
    assert NUMBER not in raw and PHONE not in raw
    assert NUMBER[-8:] not in raw and PHONE[-6:] not in raw
    assert "sm4g2:" in raw


def test_no_plaintext_name_or_address_is_stored_and_exact_name_search_works(someone, staff_a):
    """Finding 5: a database dump shows no name or address; the keyed hash still finds them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM people_person")
        people = json.dumps(cursor.fetchall(), default=str, ensure_ascii=False)
        cursor.execute("SELECT object_repr, before, after FROM core_changelog")
        log = json.dumps(cursor.fetchall(), default=str, ensure_ascii=False)
    for text in (people, log):
        assert "李四" not in text and "某村1号" not in text
    found = login(staff_a).post("/staff/persons/", {"name": " 李四 "}, follow=True)
    assert "李四" in found.content.decode()
    assert (
        login(staff_a)
        .post("/staff/persons/", {"name": "李"}, follow=True)
        .content.decode()
        .count(f"/staff/persons/{someone.pk}/")
        == 0
    )  # exact names only: a part of a name finds nobody


def test_the_change_log_holds_no_plaintext_either(someone):
    raw = json.dumps(
        list(ChangeLog.objects.values("before", "after", "object_repr")), ensure_ascii=False
    )
    assert NUMBER not in raw and PHONE not in raw


def test_ciphertext_differs_each_time_but_lookup_by_hash_finds_the_person(someone, staff_a):
    assert crypto.encrypt(NUMBER) != crypto.encrypt(NUMBER)
    assert person_find_by_id_number(actor=staff_a, id_number=NUMBER.lower()) == someone


def test_a_tampered_ciphertext_is_refused():
    token = crypto.encrypt(NUMBER)
    tampered = token[:-4] + ("AAAA" if token[-4:] != "AAAA" else "BBBB")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(tampered)


@pytest.mark.parametrize(
    ("value", "masked"),
    [("130525199001011234", "130*************34"), ("", ""), ("12345", "*****")],
)
def test_id_numbers_are_masked(value, masked):
    assert mask_id_number(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"), [("13812345678", "138****5678"), ("6664605", "*****05")]
)
def test_phones_are_masked(value, masked):
    assert mask_phone(value) == masked


def test_pages_and_api_show_only_masked_values(someone, staff_a):
    client = login(staff_a)
    page = client.get(f"/staff/persons/{someone.pk}/").content.decode()
    assert "130*************11" in page and NUMBER not in page and PHONE not in page
    listing = client.get("/staff/persons/").content.decode()
    assert NUMBER not in listing and PHONE not in listing
    api = client.get(f"/api/persons/{someone.pk}/").json()
    assert api["id_number_masked"] == "130*************11"
    assert NUMBER not in json.dumps(api) and PHONE not in json.dumps(api)


def test_a_reveal_shows_the_number_and_is_logged(someone, staff_a):
    client = login(staff_a)
    response = client.post(f"/staff/persons/{someone.pk}/reveal/", {"reason": "核对"})
    assert NUMBER in response.content.decode()
    api = client.post(f"/api/persons/{someone.pk}/reveal/", {"reason": "核对"}).json()
    assert api == {"id_number": NUMBER, "phone": PHONE}
    events = SecurityEvent.objects.filter(
        kind="reveal", username="staff_a", object_id=str(someone.pk)
    )
    assert events.count() == 2


def test_roles_without_reveal_cannot_reveal(someone, auditor):
    with pytest.raises(PermissionDenied):
        person_reveal(actor=auditor, person=someone, reason="核对")
    assert SecurityEvent.objects.filter(kind="denied", username="auditor").exists()


def test_registration_refuses_a_bad_number_and_a_duplicate(staff_a, village_a, someone):
    with pytest.raises(ValidationError, match="校验位错误"):
        person_create(
            actor=staff_a, name="王五", id_number="130525199001010012", division=village_a
        )
    with pytest.raises(ValidationError, match="已登记"):
        person_create(actor=staff_a, name="王五", id_number=NUMBER, division=village_a)
    assert Person.objects.count() == 1


def test_township_staff_cannot_register_in_another_township(staff_a, village_b):
    with pytest.raises(PermissionDenied):
        person_create(actor=staff_a, name="王五", id_number=id_number(), division=village_b)


def test_birth_date_and_sex_come_from_the_number(someone):
    assert str(someone.birth_date) == "1990-01-01" and someone.sex == "M"


def test_creating_through_the_api_masks_the_answer(staff_a, village_a):
    number = id_number()
    response = login(staff_a).post(
        "/api/persons/",
        {"name": "赵六", "id_number": number, "division": village_a.code, "phone": "13900001111"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert number not in json.dumps(body) and body["id_number_masked"].startswith("130***")


def test_the_api_names_the_field_of_a_bad_number(staff_a, village_a):
    response = login(staff_a).post(
        "/api/persons/",
        {"name": "赵六", "id_number": "130525199001010012", "division": village_a.code},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "校验位" in response.json()["id_number"][0]


def test_registering_through_the_page_leads_to_the_staff_detail_page(staff_a, village_a):
    response = login(staff_a).post(
        "/staff/persons/new/",
        {"name": "页面登记", "id_number": id_number(), "division": village_a.pk, "phone": ""},
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/persons/")


def test_a_bad_number_on_the_page_is_shown_next_to_the_field(staff_a, village_a):
    response = login(staff_a).post(
        "/staff/persons/new/",
        {"name": "页面登记", "id_number": "130525199001010012", "division": village_a.pk},
    )
    assert response.status_code == 200 and "校验位错误" in response.content.decode()
    assert not Person.objects.filter(name_hash=crypto.blind_index("页面登记")).exists()


def test_the_export_is_masked_scoped_and_logged(someone, staff_a, staff_b, village_b):
    import io

    from python_calamine import CalamineWorkbook

    person(actor=staff_b, division=village_b, name="乙村人")
    response = login(staff_a).get("/staff/persons/export.xlsx")
    assert response.status_code == 200
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        .get_sheet_by_name("相对人")
        .to_python()
    )
    assert [r[0] for r in rows[1:]] == ["李四"]
    assert rows[1][1] == "130*************11" and rows[1][4] == "138****5678"
    assert NUMBER not in str(rows) and PHONE not in str(rows)
    event = SecurityEvent.objects.get(kind="export", username="staff_a")
    assert event.detail["rows"] == 1


def test_roles_without_the_export_right_cannot_export(someone, partner):
    assert login(partner).get("/staff/persons/export.xlsx").status_code == 403
