"""Data scope: township staff see only their township, through pages and the API."""

from __future__ import annotations

import pytest

from tests.conftest import login
from tests.factories import person
from zeren.core.models import SecurityEvent
from zeren.core.services import share_grant
from zeren.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def person_a(staff_a, village_a):
    return person(actor=staff_a, division=village_a, name="甲村人")


@pytest.fixture
def person_b(staff_b, village_b):
    return person(actor=staff_b, division=village_b, name="乙村人")


def test_township_a_cannot_open_a_township_b_person_page(staff_a, person_b):
    response = login(staff_a).get(f"/staff/persons/{person_b.pk}/")
    assert response.status_code in (403, 404)
    assert "乙村人" not in response.content.decode()


def test_township_a_cannot_fetch_a_township_b_person_through_the_api(staff_a, person_b):
    response = login(staff_a).get(f"/api/persons/{person_b.pk}/")
    assert response.status_code in (403, 404)


def test_township_a_cannot_reveal_or_change_a_township_b_person(staff_a, person_b):
    client = login(staff_a)
    assert client.post(f"/api/persons/{person_b.pk}/reveal/").status_code in (403, 404)
    response = client.patch(
        f"/api/persons/{person_b.pk}/", {"address": "改"}, content_type="application/json"
    )
    assert response.status_code in (403, 404)
    person_b.refresh_from_db()
    assert person_b.address != "改"


def test_township_lists_hold_only_their_own_persons(staff_a, person_a, person_b):
    client = login(staff_a)
    api = client.get("/api/persons/").json()["results"]
    assert [p["id"] for p in api] == [person_a.pk]
    page = client.get("/staff/persons/").content.decode()
    assert "甲村人" in page and "乙村人" not in page


def test_the_bureau_sees_every_township(head, person_a, person_b):
    ids = set(Person.objects.restrict(head, "view").values_list("pk", flat=True))
    assert {person_a.pk, person_b.pk} <= ids


def test_a_partner_department_sees_only_what_is_shared(partner, head, person_a, person_b):
    from django.contrib.contenttypes.models import ContentType

    from zeren.core.models import Share

    assert not Person.objects.restrict(partner, "view").exists()
    Share.objects.create(
        department=partner.department,
        content_type=ContentType.objects.get_for_model(Person),
        object_id=person_a.pk,
        reason="联合查处",
        granted_by=head,
    )
    assert list(Person.objects.restrict(partner, "view")) == [person_a]


def test_an_out_of_scope_attempt_is_logged(staff_a, person_b):
    login(staff_a).get(f"/staff/persons/{person_b.pk}/")
    assert SecurityEvent.objects.filter(kind="denied", username="staff_a").exists()


def test_the_public_gets_no_persons(public, person_a):
    assert public.get("/api/persons/").status_code in (401, 403)
    response = public.get(f"/staff/persons/{person_a.pk}/")
    assert response.status_code == 302 and "/staff/login/" in response["Location"]


def test_the_bureau_shares_a_person_with_the_health_bureau_through_the_page(
    head, partner, person_a, person_b
):
    from tests.conftest import login as log_in

    assert log_in(partner).get(f"/api/persons/{person_a.pk}/").status_code == 404
    response = log_in(head).post(
        f"/staff/shares/new/people.person/{person_a.pk}/",
        {
            "department": partner.department.pk,
            "reason": "联合查处两非案件",
            "next": f"/staff/persons/{person_a.pk}/",
        },
    )
    assert response.status_code == 302
    assert log_in(partner).get(f"/api/persons/{person_a.pk}/").status_code == 200
    assert log_in(partner).get(f"/api/persons/{person_b.pk}/").status_code == 404
    page = log_in(head).get(f"/staff/persons/{person_a.pk}/").content.decode()
    assert "联合查处两非案件" in page


def test_an_expired_share_shows_nothing(head, partner, person_a):
    import datetime as dt

    from zeren.core.models import Share

    share = share_grant(actor=head, obj=person_a, department=partner.department, reason="核查")
    Share.objects.filter(pk=share.pk).update(expires_on=dt.date(2020, 1, 1))
    assert not Person.objects.restrict(partner, "view").exists()


def test_sharing_needs_the_right_a_reason_and_a_partner(staff_a, head, person_a, bureau, partner):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(PermissionDenied):
        share_grant(actor=staff_a, obj=person_a, department=partner.department, reason="x")
    with pytest.raises(ValidationError, match="共享事由"):
        share_grant(actor=head, obj=person_a, department=partner.department, reason=" ")
    with pytest.raises(ValidationError, match="协作部门"):
        share_grant(actor=head, obj=person_a, department=bureau, reason="x")


def test_a_revoked_share_hides_the_person_again(head, partner, person_a):
    from tests.conftest import login as log_in

    share = share_grant(actor=head, obj=person_a, department=partner.department, reason="核查")
    assert log_in(head).post(f"/staff/shares/{share.pk}/revoke/").status_code == 302
    assert not Person.objects.restrict(partner, "view").exists()
