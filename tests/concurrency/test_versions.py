"""Concurrent edits (issue 10, point 7 and finding 10): a stale form or API write loses nothing."""

from __future__ import annotations

import pytest

from tests import factories
from tests.conftest import login
from zeren.catalogue.models import Duty
from zeren.catalogue.services import draft_for, list_draft_start
from zeren.core import transitions
from zeren.people.models import Person

pytestmark = pytest.mark.django_db


def _form(person: Person, **changes) -> dict:
    data = {
        "name": person.name,
        "phone": "",
        "address": person.address,
        "division": person.division_id,
    }
    return {**data, **changes}


def test_two_stale_edit_forms_of_one_person_do_not_both_save(admin_user, head, village_a):
    person = factories.person(actor=admin_user, division=village_a, name="王五")
    first, second = login(admin_user), login(head)
    page_a = first.get(f"/staff/persons/{person.pk}/edit/").content.decode()
    page_b = second.get(f"/staff/persons/{person.pk}/edit/").content.decode()
    version = transitions.version_of(person)
    assert f'name="version" value="{version}"' in page_a and version in page_b

    saved = first.post(
        f"/staff/persons/{person.pk}/edit/", _form(person, address="甲改的地址", version=version)
    )
    assert saved.status_code == 302
    stale = second.post(
        f"/staff/persons/{person.pk}/edit/", _form(person, address="乙改的地址", version=version)
    )
    assert stale.status_code == 200
    text = stale.content.decode()
    assert "该相对人已由root于" in text and "修改（改动了：住址" in text
    assert "您的修改未保存" in text and "乙改的地址" in text  # what B typed is still there
    person.refresh_from_db()
    assert person.address == "甲改的地址"

    # B read the message; the re-rendered form carries the new version, so saving now works.
    fresh = transitions.version_of(person)
    assert f'name="version" value="{fresh}"' in text
    again = second.post(
        f"/staff/persons/{person.pk}/edit/", _form(person, address="乙改的地址", version=fresh)
    )
    assert again.status_code == 302
    person.refresh_from_db()
    assert person.address == "乙改的地址"


def test_the_api_answers_an_etag_and_refuses_a_stale_if_match_with_409(admin_user, village_a):
    person = factories.person(actor=admin_user, division=village_a)
    client = login(admin_user)
    etag = client.get(f"/api/persons/{person.pk}/").headers["ETag"]
    assert etag == f'"v{transitions.version_of(person)}"'

    url = f"/api/persons/{person.pk}/"
    ok = client.patch(
        url, {"address": "一"}, content_type="application/json", headers={"if-match": etag}
    )
    assert ok.status_code == 200 and ok.headers["ETag"] != etag
    stale = client.patch(
        url, {"address": "二"}, content_type="application/json", headers={"if-match": etag}
    )
    assert stale.status_code == 409
    assert "已由root于" in stale.json()["detail"][0]
    missing = client.patch(url, {"address": "三"}, content_type="application/json")
    assert missing.status_code == 428 and "If-Match" in missing.json()["detail"]
    person.refresh_from_db()
    assert person.address == "一"


def test_a_stale_list_draft_item_form_is_refused(admin_user, head):
    draft = draft_for(admin_user.department) or list_draft_start(
        actor=admin_user, department=admin_user.department
    )
    duty = Duty.objects.filter(version=draft).order_by("pk").first()
    version = transitions.version_of(duty)
    url = f"/staff/list/draft/duty/{duty.pk}/"
    first = login(admin_user).post(
        url, {"number": duty.number, "text": "甲的表述", "version": version}
    )
    assert first.status_code == 302
    stale = login(admin_user).post(
        url, {"number": duty.number, "text": "乙的表述", "version": version}
    )
    assert stale.status_code == 200 and "您的修改未保存" in stale.content.decode()
    duty.refresh_from_db()
    assert duty.text == "甲的表述"


def test_an_edit_posted_without_its_version_is_refused_not_saved(admin_user, village_a):
    """A form that lost its hidden version (or a hand-made POST) cannot skip the check."""
    person = factories.person(actor=admin_user, division=village_a, name="赵六")
    form = _form(person, address="没有版本的修改", version="")
    form.pop("version", None)
    response = login(admin_user).post(f"/staff/persons/{person.pk}/edit/", form)
    assert response.status_code == 200
    assert "您的修改未保存" in response.content.decode()
    person.refresh_from_db()
    assert person.address != "没有版本的修改"
