"""Periodic work: automatic draws, reminders, alerts and the monthly re-birth bulletin."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.supervision.conftest import make_permits
from zeren.core.models import Notification
from zeren.org.models import Division
from zeren.permits.models import PermitKind
from zeren.supervision import periodic
from zeren.supervision.models import SamplingPlan

pytestmark = pytest.mark.django_db


def test_the_monthly_draw_covers_every_township_once(township_a, officer1, officer2):
    make_permits(township_a, 5, approval_date=dt.date(2026, 3, 1))
    make_permits(township_a, 12, kind=PermitKind.REBIRTH, approval_date=dt.date(2026, 3, 1))
    first = periodic.draw_due_plans(dt.date(2026, 3, 1))
    townships = Division.objects.filter(level=Division.Level.TOWNSHIP).count()
    # two township regimes for every township, one county spot check
    assert first == {"drawn": 2 * townships + 1, "skipped": 0, "failed": 0}
    again = periodic.draw_due_plans(dt.date(2026, 3, 1))  # a second worker, or a rerun
    assert again == {"drawn": 0, "skipped": 2 * townships + 1, "failed": 0}
    assert SamplingPlan.objects.count() == 2 * townships + 1
    spot = SamplingPlan.objects.get(regime__code="rebirth-spot-check")
    assert (spot.population_count, spot.required_count) == (12, 10)


def test_a_failed_automatic_draw_leaves_a_notice(township_a):
    make_permits(township_a, 3, kind=PermitKind.REBIRTH, approval_date=dt.date(2026, 3, 1))
    counts = periodic.draw_due_plans(dt.date(2026, 3, 1))  # no officers at all
    assert counts["failed"] == 1
    failed = Notification.objects.filter(kind="alert", dedupe_key__startswith="draw_failed:")
    notice = failed.get()
    assert "可抽派的执法人员不足" in notice.body and notice.title.startswith("自动抽取失败")
    assert notice.link == "/staff/supervision/plans/" and notice.recipient is None
    periodic.draw_due_plans(dt.date(2026, 3, 1))
    assert failed.count() == 1


def test_reminders_go_once_per_township_and_day(township_a):
    make_permits(township_a, 2, approval_date=dt.date(2026, 3, 1))
    periodic.draw_due_plans(dt.date(2026, 3, 1))
    assert periodic.send_reminders(dt.date(2026, 3, 20)) == 0  # due 31 March, too early
    assert periodic.send_reminders(dt.date(2026, 3, 29)) == 1
    assert periodic.send_reminders(dt.date(2026, 3, 29)) == 0
    notice = Notification.objects.get(kind="reminder")
    assert notice.division == township_a and "2项" in notice.title


def test_alerts_when_below_target_near_the_end(township_a):
    make_permits(township_a, 5, approval_date=dt.date(2026, 3, 1))
    periodic.draw_due_plans(dt.date(2026, 3, 1))
    assert periodic.raise_alerts(dt.date(2026, 3, 10)) == 0
    assert periodic.raise_alerts(dt.date(2026, 3, 28)) >= 1
    alert = Notification.objects.filter(kind="alert", division=township_a).first()
    assert "应检查4件，已完成0件" in alert.body
    assert periodic.raise_alerts(dt.date(2026, 3, 29)) == 0


def test_the_monthly_rebirth_bulletin_per_township(township_a, township_b):
    import io

    from python_calamine import CalamineWorkbook

    permits = make_permits(
        township_a, 3, kind=PermitKind.REBIRTH, approval_date=dt.date(2026, 2, 10)
    )
    sent = periodic.publish_rebirth_bulletins(dt.date(2026, 3, 1))
    assert sent == Division.objects.filter(level=Division.Level.TOWNSHIP).count()
    notice = Notification.objects.get(dedupe_key=f"bulletin:{township_a.code}:2026-02")
    assert "3件" in notice.title and notice.kind == "bulletin"
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(bytes(notice.document)))
        .get_sheet_by_index(0)
        .to_python()
    )
    numbers = {str(r[0]) for r in rows}
    assert {p.number for p in permits} <= numbers
    assert permits[0].holder.id_number not in str(rows)
    empty = Notification.objects.get(dedupe_key=f"bulletin:{township_b.code}:2026-02")
    assert "0件" in empty.title
    assert periodic.publish_rebirth_bulletins(dt.date(2026, 3, 1)) == 0
