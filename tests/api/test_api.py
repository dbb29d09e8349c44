"""The REST API: the list is public; organisation and persons need a login."""

from __future__ import annotations

import pytest

from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_the_list_api_is_public_and_in_the_export_shape(public):
    body = public.get("/api/list/").json()
    assert body["version"] == 1 and [d["number"] for d in body["duties"]] == list(range(1, 10))
    assert public.get("/api/list/?version=1").status_code == 200
    assert public.get("/api/list/?version=x").status_code == 400
    assert public.get("/api/list/?version=5").status_code == 404
    assert public.get("/api/list/versions/").json()[0]["number"] == 1


def test_the_schema_and_offline_docs_are_served(public):
    schema = public.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/persons/" in schema.content
    docs = public.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/" in docs


def test_organisation_needs_a_login(public, staff_a):
    assert public.get("/api/divisions/").status_code in (401, 403)
    rows = login(staff_a).get("/api/divisions/?level=township").json()["results"]
    assert len(rows) == 12


def test_person_pages_do_not_count_the_whole_table(
    staff_a, village_a, django_assert_max_num_queries
):
    from tests.factories import person

    for n in range(3):
        person(actor=staff_a, division=village_a, name=f"人{n}")
    client = login(staff_a)
    with django_assert_max_num_queries(12):
        body = client.get("/api/persons/?page_size=2").json()
    assert "count" not in body and len(body["results"]) == 2 and body["next"]


def test_nul_characters_are_refused_with_400_not_a_server_error(staff_a, village_a):
    client = login(staff_a)
    response = client.post(
        "/api/persons/",
        {"name": "a\x00b", "id_number": "130525199001010011", "division": village_a.code},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert client.get("/api/persons/?sex=M%00").status_code == 400
