"""Campaigns with real dates: the regime's months, moved on when past; never overdue at birth."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import login
from tests.funds.conftest import make_beneficiary
from zeren.funds import rules, selectors
from zeren.funds.models import Campaign
from zeren.funds.services import campaign_open

D = dt.date


# 全面核查 "每年2-3月份", 信息核查 "3月份", 定期检查 months 1-12 (reference.CAMPAIGN_KINDS)
@pytest.mark.parametrize(
    ("months", "year", "today", "window"),
    [
        ((2, 3), 2026, D(2026, 1, 10), (D(2026, 2, 1), D(2026, 3, 31))),  # before: as written
        ((2, 3), 2026, D(2026, 3, 31), (D(2026, 2, 1), D(2026, 3, 31))),  # last day: still on
        ((2, 3), 2026, D(2026, 4, 1), (D(2027, 2, 1), D(2027, 3, 31))),  # past: next year
        ((2, 3), 2026, D(2026, 12, 1), (D(2027, 2, 1), D(2027, 3, 31))),  # opened in December
        ((2, 3), 2025, D(2026, 12, 1), (D(2027, 2, 1), D(2027, 3, 31))),  # two years late
        ((3, 3), 2026, D(2026, 12, 1), (D(2027, 3, 1), D(2027, 3, 31))),
        ((1, 12), 2026, D(2026, 12, 1), (D(2026, 1, 1), D(2026, 12, 31))),  # year still on
        ((1, 12), 2026, D(2027, 1, 1), (D(2027, 1, 1), D(2027, 12, 31))),
        ((11, 2), 2026, D(2026, 12, 1), (D(2026, 11, 1), D(2027, 2, 28))),  # across the year
        ((2, 2), 2027, D(2028, 2, 15), (D(2028, 2, 1), D(2028, 2, 29))),  # leap year
    ],
)
def test_the_default_window_is_the_next_occurrence_not_yet_past(months, year, today, window):
    assert rules.campaign_window(*months, year, today) == window
    assert window[1] >= today


def test_a_month_outside_the_year_is_refused():
    with pytest.raises(ValueError, match="月份应为1-12"):
        rules.campaign_window(0, 3, 2026, D(2026, 1, 1))


@pytest.mark.django_db
def test_a_campaign_opened_in_december_is_not_overdue_at_birth(village_a, village_b):
    make_beneficiary(village=village_a, name="甲")
    make_beneficiary(village=village_b, name="乙")
    december = D(2026, 12, 1)
    campaign, added = campaign_open(actor=None, year=2026, kind="full", today=december)
    assert added == 2
    assert (campaign.starts_on, campaign.deadline) == (D(2027, 2, 1), D(2027, 3, 31))
    rows = selectors.campaign_progress(year=2026, today=december)
    assert len(rows) == 2 and not any(r["late"] for r in rows)
    assert not any("已过期限" in a for a in selectors.alerts(year=2026, today=december))


@pytest.mark.django_db
def test_the_window_may_be_given_and_a_past_deadline_is_refused(village_a):
    make_beneficiary(village=village_a)
    today = D(2026, 12, 1)
    with pytest.raises(ValidationError, match="已过"):
        campaign_open(actor=None, year=2026, kind="full", today=today, deadline=D(2026, 11, 30))
    with pytest.raises(ValidationError, match="不能早于开始日期"):
        campaign_open(
            actor=None,
            year=2026,
            kind="full",
            today=today,
            starts_on=D(2026, 12, 20),
            deadline=D(2026, 12, 10),
        )
    assert not Campaign.objects.exists()  # nothing half-written
    campaign, _ = campaign_open(
        actor=None,
        year=2026,
        kind="full",
        today=today,
        starts_on=D(2026, 12, 1),
        deadline=D(2026, 12, 31),
    )
    assert (campaign.starts_on, campaign.deadline) == (D(2026, 12, 1), D(2026, 12, 31))


@pytest.mark.django_db
def test_the_campaign_page_takes_the_dates(village_a, head):
    make_beneficiary(village=village_a)
    client = login(head)
    page = client.get("/staff/funds/campaigns/").content.decode()
    assert 'type="date" name="starts_on"' in page and 'type="date" name="deadline"' in page
    response = client.post(
        "/staff/funds/campaigns/",
        {"year": "2026", "kind": "full", "starts_on": "2030-01-05", "deadline": "2030-02-28"},
    )
    assert response.status_code == 302
    campaign = Campaign.objects.get(kind="full", year=2026)
    assert (campaign.starts_on, campaign.deadline) == (D(2030, 1, 5), D(2030, 2, 28))
    bad = client.post(
        "/staff/funds/campaigns/",
        {"year": "2026", "kind": "new", "deadline": "2026/13/40"},
        follow=True,
    ).content.decode()
    assert "完成期限“2026/13/40”不是有效日期" in bad
    assert not Campaign.objects.filter(kind="new").exists()
