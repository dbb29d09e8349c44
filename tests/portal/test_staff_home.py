"""The staff home page shows each role what needs its attention, within its scope."""

from __future__ import annotations

import pytest

from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_the_bureau_head_sees_every_capability_card(head):
    page = login(head).get("/staff/").content.decode()
    for title in (
        "事中事后监管",
        "案件查处",
        "扶助资金",
        "免费证件",
        "统计预警",
        "责任清单维护",
        "相对人",
    ):
        assert title in page


def test_township_staff_see_their_township_and_no_list_maintenance(staff_a):
    page = login(staff_a).get("/staff/").content.decode()
    assert "管辖范围：隆尧镇" in page and "责任清单维护" not in page


def test_the_auditor_sees_the_security_events(auditor):
    page = login(auditor).get("/staff/").content.decode()
    assert "最近安全事件" in page and "案件查处" in page


def test_a_partner_department_sees_only_the_cases_shared_with_it(partner):
    main = login(partner).get("/staff/").content.decode().split("<main")[1]
    assert "扶助资金" not in main and "事中事后监管" in main  # shared tasks only
    assert "在办 0 件" in main  # nothing shared yet


def test_card_figures_are_cached_briefly_per_user(head, settings, monkeypatch):
    from zeren.portal import home_cards

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    calls = []
    real = home_cards._cases

    def counting(user, today):
        calls.append(user.pk)
        return real(user, today)

    monkeypatch.setattr(
        home_cards,
        "CARDS",
        [home_cards.Card("staff/cards/cases.html", "cases.view_case", counting)],
    )
    home_cards.cards_for(head)
    home_cards.cards_for(head)
    assert calls == [head.pk]


@pytest.mark.parametrize(
    ("today", "entered", "missing"),
    [
        ("2026-10-31", False, False),  # not yet November
        ("2026-11-01", False, True),  # from 1 November: 2027 is missing
        ("2026-12-31", False, True),
        ("2026-11-01", True, False),  # entered: nothing to say
    ],
)
def test_administrators_are_told_next_years_schedule_is_missing(
    admin_user, today, entered, missing
):
    import datetime as dt

    from django.core.cache import cache
    from django.template.loader import render_to_string

    from zeren.core.models import CalendarYear
    from zeren.portal.home_cards import cards_for

    cache.clear()
    if entered:
        CalendarYear.objects.create(year=2027, source="测试")
    card = next(
        c
        for c in cards_for(admin_user, dt.date.fromisoformat(today))
        if c["template"].endswith("calendar.html")
    )
    assert card["data"] == {"year": 2027, "missing": missing}
    html = render_to_string(card["template"], {"data": card["data"]})
    assert ("2027年节假日安排尚未录入" in html) is missing


def test_officers_get_no_calendar_card(officer1):
    import datetime as dt

    from zeren.portal.home_cards import cards_for

    cards = cards_for(officer1, dt.date(2026, 11, 2))
    assert not any(c["template"].endswith("calendar.html") for c in cards)


def test_the_auditors_security_panel_names_people_and_describes_events(auditor, head):
    from django.test import RequestFactory

    from zeren.core.security import log_event

    type(head).objects.filter(pk=head.pk).update(name="李建国")
    request = RequestFactory().get("/staff/account/otp/enrol/")
    log_event("otp", request=request, actor=head, username=head.username, derive_actor=False)
    page = login(auditor).get("/staff/").content.decode()
    panel = page.split("最近安全事件", 1)[1].split("</table>", 1)[0]
    assert f'<span title="登录名：{head.username}">李建国</span>' in panel
    assert "/staff/account/otp/enrol/" not in panel
    assert f">{head.username}<" not in panel
