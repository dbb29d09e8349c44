"""Issue 10, point 3 (whole values only by a logged reveal): the person edit page shows the
phone number masked, never whole; a new number replaces it, an empty field keeps it."""

from __future__ import annotations

import pytest

from tests.conftest import login
from tests.factories import person
from zeren.core import transitions
from zeren.core.models import SecurityEvent
from zeren.people.models import Person

pytestmark = pytest.mark.django_db

PHONE = "13812345678"


@pytest.fixture
def someone(staff_a, village_a):
    return person(actor=staff_a, division=village_a, name="王五", phone=PHONE)


def _post(client, p: Person, **fields):
    data = {
        "name": p.name,
        "phone": "",
        "address": p.address,
        "division": p.division_id,
        "version": transitions.version_of(Person.objects.get(pk=p.pk)),
        **fields,
    }
    return client.post(f"/staff/persons/{p.pk}/edit/", data)


def test_the_edit_page_shows_the_phone_masked_and_writes_no_reveal(someone, staff_a):
    page = login(staff_a).get(f"/staff/persons/{someone.pk}/edit/").content.decode()
    assert PHONE not in page and "12345678" not in page
    assert "138****5678" in page
    assert not SecurityEvent.objects.filter(kind="reveal").exists()


def test_an_empty_phone_field_keeps_the_number_and_a_new_one_replaces_it(someone, staff_a):
    client = login(staff_a)
    assert _post(client, someone, address="新地址").status_code == 302
    assert Person.objects.get(pk=someone.pk).phone == PHONE
    assert _post(client, someone, phone="13900001111").status_code == 302
    assert Person.objects.get(pk=someone.pk).phone == "13900001111"
    assert _post(client, someone, clear_phone="on").status_code == 302
    assert Person.objects.get(pk=someone.pk).phone == ""
