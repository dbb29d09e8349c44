"""Joint investigations: a case shared with a partner department is visible to it, and only it."""

from __future__ import annotations

import pytest

from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_a_shared_case_opens_for_the_partner_and_others_stay_hidden(file_case, head, partner):
    shared, other = file_case(), file_case()
    client = login(partner)
    assert client.get(f"/staff/cases/{shared.pk}/").status_code == 404
    response = login(head).post(
        f"/staff/shares/new/cases.case/{shared.pk}/",
        {
            "department": partner.department.pk,
            "reason": "联合查处两非案件",
            "next": f"/staff/cases/{shared.pk}/",
        },
    )
    assert response.status_code == 302 and response["Location"] == f"/staff/cases/{shared.pk}/"
    assert client.get(f"/staff/cases/{shared.pk}/").status_code == 200
    assert client.get(f"/staff/cases/{other.pk}/").status_code == 404
    assert [c["id"] for c in client.get("/api/cases/").json()["results"]] == [shared.pk]
    # Reading is all a partner may do.
    assert client.post(f"/api/cases/{shared.pk}/notice/", {}).status_code == 403


def test_the_case_page_shows_who_it_is_shared_with(file_case, head, partner):
    from zeren.core.services import share_grant

    case = file_case()
    share_grant(actor=head, obj=case, department=partner.department, reason="公安协查")
    page = login(head).get(f"/staff/cases/{case.pk}/").content.decode()
    assert "公安协查" in page and "共享给协作部门" in page


def test_a_share_cannot_be_made_to_a_foreign_redirect(file_case, head, partner):
    case = file_case()
    response = login(head).post(
        f"/staff/shares/new/cases.case/{case.pk}/",
        {"department": partner.department.pk, "reason": "x", "next": "https://evil.example/"},
    )
    assert response["Location"] == "/staff/"


def test_only_listed_kinds_can_be_shared(head, partner):
    response = login(head).post(
        f"/staff/shares/new/org.user/{head.pk}/",
        {"department": partner.department.pk, "reason": "x"},
    )
    assert response.status_code == 404
