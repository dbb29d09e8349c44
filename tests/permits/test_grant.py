"""发证 and 变更 from the staff pages and the API: scoped, masked, refusals write nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import login
from tests.factories import person
from zeren.permits.models import Permit, PermitEvent

pytestmark = pytest.mark.django_db


def _form(holder, township, approver, **extra):
    data = {
        "holder_id_number": holder.id_number,
        "spouse_id_number": "",
        "township": township.pk,
        "number": "隆再字100",
        "approval_date": "2026-02-03",
        "approved_by": approver.pk,
        "valid_from": "",
        "valid_to": "2027-02-02",
        "conditions": "第二胎",
        "documents": "隆计生批〔2026〕3号",
    }
    data.update(extra)
    return data


def test_the_grant_page_records_a_licence_with_its_holders_and_approver(
    section_staff, head, holder, staff_a, village_a, township_a
):
    spouse = person(actor=staff_a, division=village_a, name="配偶甲")
    client = login(section_staff)
    page = client.get("/staff/permits/grant/rebirth/")
    assert page.status_code == 200 and "发证：再生育证" in page.content.decode()
    response = client.post(
        "/staff/permits/grant/rebirth/",
        _form(holder, township_a, head, spouse_id_number=spouse.id_number.lower()),
    )
    permit = Permit.objects.get(number="隆再字100")
    assert response.status_code == 302 and response["Location"] == f"/staff/permits/{permit.pk}/"
    assert permit.kind == "rebirth" and permit.holder == holder and permit.spouse == spouse
    assert permit.township == township_a and permit.village == village_a
    assert permit.approved_by == head and permit.valid_from == dt.date(2026, 2, 3)
    event = permit.events.get()
    assert event.kind == "grant" and event.documents == "隆计生批〔2026〕3号"
    assert event.actor_name == "clerk"


def test_the_termination_form_asks_for_the_hospital_and_the_rebirth_form_does_not(
    section_staff,
):
    client = login(section_staff)
    assert "医疗机构" in client.get("/staff/permits/grant/termination/").content.decode()
    assert "医疗机构" not in client.get("/staff/permits/grant/rebirth/").content.decode()
    assert client.get("/staff/permits/grant/marriage/").status_code == 404


def test_an_unknown_id_number_is_named_beside_its_field_and_nothing_is_written(
    section_staff, head, township_a
):
    response = login(section_staff).post(
        "/staff/permits/grant/rebirth/",
        _form(type("P", (), {"id_number": "110105194912310021"}), township_a, head),
    )
    assert response.status_code == 400
    assert "该身份证号尚未登记为相对人" in response.content.decode()
    assert not Permit.objects.exists() and not PermitEvent.objects.exists()


@pytest.mark.parametrize(
    "change, message",
    [
        ({"number": "隆再字001"}, "证号“隆再字001”已存在"),
        ({"valid_to": "2026-01-01"}, "有效期止不能早于有效期起"),
    ],
)
def test_the_services_refusal_is_shown_beside_the_form_and_nothing_is_written(
    section_staff, head, holder, township_a, rebirth, change, message
):
    response = login(section_staff).post(
        "/staff/permits/grant/rebirth/", _form(holder, township_a, head, **change)
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert Permit.objects.count() == 1 and PermitEvent.objects.count() == 1


def test_a_township_that_is_not_the_holders_is_refused(section_staff, head, holder, township_b):
    response = login(section_staff).post(
        "/staff/permits/grant/rebirth/", _form(holder, township_b, head)
    )
    assert response.status_code == 400
    assert "与所选乡镇“魏家庄镇”不符" in response.content.decode()
    assert not Permit.objects.exists()


def test_township_staff_cannot_grant(staff_a):
    assert login(staff_a).get("/staff/permits/grant/rebirth/").status_code == 403


def test_the_township_choice_is_limited_to_the_jurisdiction(section_staff, township_a):
    from zeren.core.scope import townships_for
    from zeren.org.models import Division, User
    from zeren.permits.forms import GrantForm

    # A bureau clerk of the county sees every township; a user scoped to one township sees one.
    form = GrantForm(
        kind="rebirth", townships=townships_for(section_staff), approvers=User.objects.none()
    )
    assert (
        form.fields["township"].queryset.count()
        == Division.objects.filter(level="township").count()
    )
    section_staff.township = township_a
    form = GrantForm(
        kind="rebirth", townships=townships_for(section_staff), approvers=User.objects.none()
    )
    assert list(form.fields["township"].queryset) == [township_a]


def test_the_detail_page_amends_and_shows_a_refusal_beside_the_form(section_staff, rebirth):
    client = login(section_staff)
    response = client.post(
        f"/staff/permits/{rebirth.pk}/amend/",
        {"valid_to": "2027-06-30", "conditions": "", "reason": "延长有效期", "on": "2026-03-01"},
    )
    assert response.status_code == 302
    rebirth.refresh_from_db()
    assert rebirth.valid_to == dt.date(2027, 6, 30)
    event = rebirth.events.get(kind="amend")
    assert event.changes == {
        "before": {"valid_to": "2026-12-31"},
        "after": {"valid_to": "2027-06-30"},
    }
    assert event.effective_date == dt.date(2026, 3, 1)
    refused = client.post(
        f"/staff/permits/{rebirth.pk}/amend/", {"valid_to": "", "reason": "无内容"}
    )
    assert refused.status_code == 400
    assert "请填写要变更的内容" in refused.content.decode()
    assert rebirth.events.filter(kind="amend").count() == 1


def test_an_amend_of_a_revoked_licence_is_refused_and_changes_nothing(section_staff, rebirth):
    from zeren.permits.services import permit_revoke

    permit_revoke(actor=section_staff, permit=rebirth, ground="deception", documents="d")
    response = login(section_staff).post(
        f"/staff/permits/{rebirth.pk}/amend/", {"valid_to": "2027-06-30", "reason": "延长"}
    )
    assert response.status_code == 400
    rebirth.refresh_from_db()
    assert rebirth.valid_to == dt.date(2026, 12, 31)


def test_the_amend_form_changes_the_spouse_by_id_number(section_staff, staff_a, village_a, rebirth):
    spouse = person(actor=staff_a, division=village_a, name="新配偶")
    login(section_staff).post(
        f"/staff/permits/{rebirth.pk}/amend/",
        {"spouse_id_number": spouse.id_number, "reason": "登记配偶"},
    )
    rebirth.refresh_from_db()
    assert rebirth.spouse == spouse


# --- API ---------------------------------------------------------------------------------


def _api_body(holder, township, extra=None):
    body = {
        "kind": "termination",
        "number": "隆终字7",
        "holder_id_number": holder.id_number,
        "township": township.code,
        "approval_date": "2026-03-01",
        "approved_by": "head",
        "valid_to": "2026-03-31",
        "hospital": "县医院",
        "documents": "批准书",
    }
    body.update(extra or {})
    return body


def test_the_api_grants_and_answers_masked(section_staff, head, holder, township_a):
    response = login(section_staff).post(
        "/api/permits/", _api_body(holder, township_a), content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["number"] == "隆终字7" and data["hospital"] == "县医院"
    assert data["holder_id_number_masked"] == holder.id_number_masked
    assert holder.id_number not in response.content.decode()
    assert data["events"][0]["kind"] == "grant"
    assert Permit.objects.get().approved_by == head


@pytest.mark.parametrize(
    "extra, field, message",
    [
        ({"township": "130525101"}, "township", "不符"),
        ({"township": "999999999"}, "township", "没有代码为“999999999”的乡镇"),
        ({"holder_id_number": "110105194912310021"}, "holder_id_number", "尚未登记为相对人"),
        ({"approved_by": "staff_a"}, "approved_by", "批准人应为"),
        ({"valid_to": "2026-02-01"}, "valid_to", "有效期止不能早于有效期起"),
    ],
)
def test_the_api_refuses_with_the_reason_and_writes_nothing(
    section_staff, head, staff_a, holder, township_a, extra, field, message
):
    response = login(section_staff).post(
        "/api/permits/", _api_body(holder, township_a, extra), content_type="application/json"
    )
    assert response.status_code == 400
    assert message in str(response.json()[field])
    assert not Permit.objects.exists()


def test_township_staff_cannot_grant_through_the_api(staff_a, holder, township_a):
    response = login(staff_a).post(
        "/api/permits/", _api_body(holder, township_a), content_type="application/json"
    )
    assert response.status_code == 403 and not Permit.objects.exists()


def test_a_township_cannot_grant_outside_its_township(staff_a, holder_b, township_b, monkeypatch):
    """Even with the permission, a township-scoped user cannot place a licence elsewhere."""
    from zeren.core.roles import ROLE_PERMISSIONS, Role

    monkeypatch.setitem(
        ROLE_PERMISSIONS, Role.TOWNSHIP, ROLE_PERMISSIONS[Role.TOWNSHIP] | {"permits.add_permit"}
    )
    response = login(staff_a).post(
        "/api/permits/", _api_body(holder_b, township_b), content_type="application/json"
    )
    assert response.status_code == 400
    assert "该乡镇不在您的管辖范围内" in str(response.json()["township"])
    assert not Permit.objects.exists()


def test_the_api_amends_and_refuses_out_of_scope(section_staff, staff_a, staff_b, rebirth):
    ok = login(staff_a).post(
        f"/api/permits/{rebirth.pk}/amend/",
        {"conditions": "已核实", "reason": "补充条件"},
        content_type="application/json",
    )
    assert ok.status_code == 200, ok.json()
    assert ok.json()["conditions"] == "已核实" and ok.json()["events"][-1]["kind"] == "amend"
    other = login(staff_b).post(
        f"/api/permits/{rebirth.pk}/amend/",
        {"conditions": "x", "reason": "y"},
        content_type="application/json",
    )
    assert other.status_code == 404
    empty = login(staff_a).post(
        f"/api/permits/{rebirth.pk}/amend/", {"reason": "无"}, content_type="application/json"
    )
    assert empty.status_code == 400 and "请填写要变更的内容" in str(empty.json())
    assert rebirth.events.filter(kind="amend").count() == 1
