"""Finding 10 (ciphertext parts): a copied ciphertext is detected; one corrupted value does not
turn the county's person list or export into a 500."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from python_calamine import CalamineWorkbook

from tests.conftest import login
from tests.factories import person
from zeren.core import crypto
from zeren.core.fields import UNDECRYPTABLE
from zeren.core.models import SecurityEvent
from zeren.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(staff_a, village_a):
    return (
        person(actor=staff_a, division=village_a, name="甲", phone="13800000001"),
        person(actor=staff_a, division=village_a, name="乙", phone="13800000002"),
    )


def _raw(pk: int, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM people_person WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def _set_raw(pk: int, column: str, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE people_person SET {column} = %s WHERE id = %s", [value, pk])


def test_a_ciphertext_copied_onto_another_row_does_not_decrypt(two):
    a, b = two
    _set_raw(b.pk, "id_number", _raw(a.pk, "id_number"))
    copied = Person.objects.get(pk=b.pk)
    assert copied.id_number == UNDECRYPTABLE and copied.id_number != a.id_number
    event = SecurityEvent.objects.get(kind="decrypt_failed")
    assert event.object_id == str(b.pk) and event.detail["field"] == "id_number"


def test_a_ciphertext_copied_onto_another_column_does_not_decrypt(two):
    a, _ = two
    _set_raw(a.pk, "phone", _raw(a.pk, "id_number"))
    assert Person.objects.get(pk=a.pk).phone == UNDECRYPTABLE


def test_the_associated_data_names_table_column_and_row(two):
    a, _ = two
    token = _raw(a.pk, "id_number")
    aad = f"people.Person.id_number:{a.row_key}"
    assert crypto.decrypt(token, aad) == a.id_number
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, "")


def test_one_corrupted_value_shows_an_error_cell_not_a_500(two, staff_a):
    a, b = two
    token = _raw(a.pk, "phone")
    _set_raw(a.pk, "phone", token[:-6] + ("AAAAAA" if not token.endswith("AAAAAA") else "BBBBBB"))
    client = login(staff_a)
    listing = client.get("/staff/persons/")
    assert listing.status_code == 200 and UNDECRYPTABLE in listing.content.decode()
    assert b.phone_masked in listing.content.decode()
    detail = client.get(f"/staff/persons/{a.pk}/")
    assert detail.status_code == 200 and UNDECRYPTABLE in detail.content.decode()
    assert client.get("/api/persons/").status_code == 200
    export = client.get("/staff/persons/export.xlsx")
    assert export.status_code == 200
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(export.content))
        .get_sheet_by_name("相对人")
        .to_python()
    )
    assert {r[0]: r[4] for r in rows[1:]}["甲"] == UNDECRYPTABLE
    assert SecurityEvent.objects.filter(kind="decrypt_failed", object_id=str(a.pk)).exists()


def test_saving_a_row_with_an_undecryptable_value_keeps_the_evidence(two, staff_a):
    from zeren.people.services import person_update

    a, b = two
    _set_raw(b.pk, "id_number", _raw(a.pk, "id_number"))
    broken = Person.objects.get(pk=b.pk)
    person_update(actor=staff_a, person=broken, address="新址")
    assert _raw(b.pk, "id_number") == _raw(a.pk, "id_number")
    assert Person.objects.get(pk=b.pk).address == "新址"


def test_a_person_saved_again_keeps_a_readable_number(two, staff_a):
    from zeren.people.services import person_update

    a, _ = two
    person_update(actor=staff_a, person=Person.objects.get(pk=a.pk), phone="13900000009")
    again = Person.objects.get(pk=a.pk)
    assert again.phone == "13900000009" and again.id_number == a.id_number
