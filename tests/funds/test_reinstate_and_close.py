"""A suspended beneficiary can be reinstated; a verification campaign can be closed.

Suspension follows a verification outcome of suspected deception or changed conditions; when
the check finds the report unfounded, payment resumes. A campaign closes when every outcome is
in, or after its deadline; afterwards no outcome can be recorded in it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.conftest import login
from tests.funds.conftest import make_beneficiary, pay_months
from zeren.cli import main
from zeren.funds.models import Beneficiary, Campaign
from zeren.funds.services import (
    OutcomeRow,
    beneficiary_reinstate,
    campaign_close,
    campaign_open,
    verification_record,
)

pytestmark = pytest.mark.django_db


def _suspended(village) -> Beneficiary:
    b = make_beneficiary(village=village, name="被举报")
    pay_months("special", 2026, range(1, 3))
    campaign, _ = campaign_open(actor=None, year=2026, kind="full")
    v = campaign.verifications.get(beneficiary=b)
    verification_record(
        actor=None, rows=[OutcomeRow(v.pk, "deception", "home", note="举报子女在外地工作")]
    )
    b.refresh_from_db()
    assert b.status == Beneficiary.Status.SUSPENDED
    return b


def test_reinstating_a_suspended_beneficiary_resumes_payment(village_a, section_staff):
    b = _suspended(village_a)
    beneficiary_reinstate(actor=section_staff, beneficiary=b, note="入户核查：举报不实")
    b.refresh_from_db()
    assert b.status == Beneficiary.Status.ACTIVE
    assert b.status_reason == ""
    assert b.status_note == "入户核查：举报不实"


def test_reinstating_needs_a_reason_and_a_suspension(village_a, section_staff, beneficiary_a):
    b = _suspended(village_a)
    with pytest.raises(ValidationError, match="理由"):
        beneficiary_reinstate(actor=section_staff, beneficiary=b, note="  ")
    with pytest.raises(ValidationError, match="只有暂停的扶助对象可以恢复"):
        beneficiary_reinstate(actor=section_staff, beneficiary=beneficiary_a, note="误操作")
    b.refresh_from_db()
    assert b.status == Beneficiary.Status.SUSPENDED


def test_a_township_cannot_reinstate(village_a, staff_a):
    b = _suspended(village_a)
    with pytest.raises(PermissionDenied):
        beneficiary_reinstate(actor=staff_a, beneficiary=b, note="乡镇认为不实")


def test_reinstate_page_and_api(village_a, section_staff):
    b = _suspended(village_a)
    client = login(section_staff)
    page = client.get(f"/staff/funds/beneficiaries/{b.pk}/")
    assert "恢复扶助" in page.content.decode()
    response = client.post(f"/staff/funds/beneficiaries/{b.pk}/reinstate/", {"note": ""})
    assert response.status_code == 302
    b.refresh_from_db()
    assert b.status == Beneficiary.Status.SUSPENDED  # an empty reason changes nothing
    client.post(f"/staff/funds/beneficiaries/{b.pk}/reinstate/", {"note": "核查不实"})
    b.refresh_from_db()
    assert b.status == Beneficiary.Status.ACTIVE

    again = client.post(
        f"/api/funds/beneficiaries/{b.pk}/reinstate/",
        {"note": "再次恢复"},
        content_type="application/json",
    )
    assert again.status_code == 400
    assert "只有暂停的扶助对象可以恢复" in again.content.decode()


def _campaign_with(village, n: int = 2) -> Campaign:
    for i in range(n):
        make_beneficiary(village=village, name=f"对象{i}")
    pay_months("special", 2026, range(1, 2))
    campaign, _ = campaign_open(actor=None, year=2026, kind="full")
    return campaign


def test_a_campaign_with_pending_outcomes_cannot_close_before_its_deadline(
    village_a, section_staff
):
    campaign = _campaign_with(village_a)
    before = campaign.deadline
    with pytest.raises(ValidationError, match="还有2名对象未登记核查结果"):
        campaign_close(actor=section_staff, campaign=campaign, today=before)
    closed = campaign_close(actor=section_staff, campaign=campaign, today=before + dt.timedelta(1))
    assert closed.status == Campaign.Status.CLOSED


def test_a_complete_campaign_closes_and_takes_no_more_outcomes(village_a, section_staff):
    campaign = _campaign_with(village_a, n=1)
    v = campaign.verifications.get()
    verification_record(actor=None, rows=[OutcomeRow(v.pk, "confirmed", "home")])
    campaign_close(actor=section_staff, campaign=campaign, today=campaign.starts_on)
    with pytest.raises(ValidationError, match="已结束"):
        campaign_close(actor=section_staff, campaign=campaign, today=campaign.starts_on)
    with pytest.raises(ValidationError):
        verification_record(actor=None, rows=[OutcomeRow(v.pk, "died", "home")])


def test_a_township_cannot_close_a_campaign(village_a, staff_a):
    campaign = _campaign_with(village_a, n=1)
    with pytest.raises(PermissionDenied):
        campaign_close(actor=staff_a, campaign=campaign, today=campaign.deadline)
    assert login(staff_a).post(f"/staff/funds/campaigns/{campaign.pk}/close/").status_code == 403


def test_close_page_asks_for_confirmation(village_a, section_staff):
    campaign = _campaign_with(village_a, n=1)
    page = login(section_staff).get(f"/staff/funds/campaigns/{campaign.pk}/").content.decode()
    assert 'data-confirm="结束后不能再登记核查结果' in page


def test_cli_closes_a_campaign_and_refuses_clearly(village_a, capsys):
    campaign = _campaign_with(village_a, n=1)
    assert main(["funds", "campaign", "close", "--id", "999999"]) == 2
    assert "没有编号为 999999 的核查活动" in capsys.readouterr().err
    v = campaign.verifications.get()
    verification_record(actor=None, rows=[OutcomeRow(v.pk, "confirmed", "home")])
    assert main(["funds", "campaign", "close", "--id", str(campaign.pk)]) == 0
    assert "已结束" in capsys.readouterr().out
    assert main(["funds", "campaign", "close", "--id", str(campaign.pk)]) == 2
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CLOSED


def test_an_impossible_death_date_is_refused_not_replaced_by_today(village_a, section_staff):
    b = make_beneficiary(village=village_a, name="日期")
    response = login(section_staff).post(
        f"/staff/funds/beneficiaries/{b.pk}/terminate/",
        {"reason": "death", "event_date": "2026-02-30"},
        follow=True,
    )
    assert "“2026-02-30”不是有效日期" in response.content.decode()
    b.refresh_from_db()
    assert b.status == Beneficiary.Status.ACTIVE
