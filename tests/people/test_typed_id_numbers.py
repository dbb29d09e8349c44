"""Identity numbers as people type them, through the persons API and the lookup."""

from __future__ import annotations

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
