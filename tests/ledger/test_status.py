"""Status from expectations and records; versions; the CLI's JSON shape."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.ledger.conftest import item
from zeren.catalogue.services import list_draft_start, list_publish
from zeren.cli import main
from zeren.ledger import selectors, services
from zeren.ledger.models import Record

D = dt.date.fromisoformat


def _row(period: str, duty: int, order: int):
    _, rows = selectors.ledger_status(period)
    return next(r for r in rows if (r.duty, r.order) == (duty, order))


def test_the_status_lists_the_25_work_items_of_the_seed_with_their_sections(expectations):
    _, rows = selectors.ledger_status("2026")
    assert len(rows) == 25
    assert [(r.duty, r.order) for r in rows][:3] == [(1, 1), (1, 2), (1, 3)]
    assert _row("2026", 5, 4).section == "规划统计股"
    assert _row("2026", 7, 2).section == "宣传教育股"
    assert {r.status for r in rows} <= {"silent", "n/a"}  # nothing recorded yet


def test_a_silent_yearly_item_becomes_performed_with_one_manual_record(expectations, section_staff):
    assert _row("2026", 2, 1).status == "silent"
    services.record_create(
        actor=section_staff,
        work_item=item(2, 1),
        date=D("2026-01-20"),
        kind="plan",
        summary="印发年度工作要点",
    )
    row = _row("2026", 2, 1)
    assert (row.status, row.records, row.automatic) == ("performed", 1, 0)


def test_a_monthly_item_with_one_month_of_records_is_partial_for_the_quarter(
    expectations, section_staff
):
    assert _row("2026-Q1", 5, 4).status == "silent"
    services.record_create(
        actor=section_staff,
        work_item=item(5, 4),
        date=D("2026-02-05"),
        kind="statistics",
        summary="1月统计月报",
    )
    assert _row("2026-Q1", 5, 4).status == "partial"
    assert _row("2026-02", 5, 4).status == "performed"


def test_the_section_filter_keeps_only_that_sections_items(expectations):
    _, rows = selectors.ledger_status("2026", section="科学技术股")
    assert len(rows) == 7 and {r.section for r in rows} == {"科学技术股"}


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"summary": " "}, "summary", "请填写摘要"),
        ({"date": dt.date(2099, 1, 1)}, "date", "晚于今天"),
        ({"date": dt.date(1, 1, 1)}, "date", "早于2000-01-01"),
        ({"date": dt.date(1900, 1, 1)}, "date", "早于2000-01-01"),
        ({"date": dt.date(1999, 12, 31)}, "date", "早于2000-01-01"),
        ({"kind": "party"}, "kind", "类别无效"),
    ],
)
def test_bad_manual_records_are_refused_in_chinese_and_nothing_is_written(
    section_staff, kwargs, field, message
):
    args = {"work_item": item(1, 1), "date": D("2026-03-01"), "kind": "document", "summary": "x"}
    with pytest.raises(ValidationError) as exc:
        services.record_create(actor=section_staff, **{**args, **kwargs})
    assert message in exc.value.message_dict[field][0]
    assert not Record.objects.exists()


def test_township_staff_may_not_record_the_bureaus_duties(staff_a):
    with pytest.raises(PermissionDenied):
        services.record_create(
            actor=staff_a, work_item=item(1, 1), date=D("2026-03-01"), kind="plan", summary="x"
        )


def test_a_record_belongs_to_the_version_in_force_on_its_date(bureau, head, expectations):
    v1 = item(5, 2).duty.version
    draft = list_draft_start(actor=head, department=bureau)
    v2 = list_publish(actor=head, version=draft, summary="第二版")
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    # Both versions are published today in the test database: yesterday falls under the
    # first version (the earliest), today under the second.
    assert services.version_in_force(yesterday) == v1
    assert services.version_in_force(today) == v2
    old = services.record_automatic(
        event_key="statistics.alert_raised", obj=head, date=yesterday, summary="预警"
    )
    new = services.record_automatic(
        event_key="statistics.alert_raised", obj=bureau, date=today, summary="预警"
    )
    assert {r.work_item.duty.version_id for r in old} == {v1.pk}
    assert {r.work_item.duty.version_id for r in new} == {v2.pk}
    # The old records stay readable and still count for the same item in the new version.
    row = _row(str(today.year), 5, 2)
    assert row.automatic == (2 if yesterday.year == today.year else 1)


def test_an_unmapped_event_records_nothing(head):
    assert (
        services.record_automatic(
            event_key="nothing.here", obj=head, date=D("2026-01-01"), summary="x"
        )
        == []
    )


def test_the_cli_prints_the_issue_shape(expectations, section_staff, capsys):
    services.record_create(
        actor=section_staff,
        work_item=item(1, 1),
        date=D("2026-03-12"),
        kind="document",
        summary="x",
    )
    assert main(["ledger", "status", "--period", "2026", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["period"] == "2026" and len(data["items"]) == 25
    first = data["items"][0]
    assert set(first) == {
        "duty",
        "item",
        "section",
        "expectation",
        "records",
        "automatic",
        "status",
    }
    assert (first["duty"], first["section"], first["records"], first["status"]) == (
        1,
        "办公室",
        1,
        "performed",
    )
    assert main(["ledger", "status", "--period", "2026", "--section", "宣传教育股"]) == 0
    assert {i["section"] for i in json.loads(capsys.readouterr().out)["items"]} == {"宣传教育股"}


def test_the_cli_refuses_a_bad_period_and_an_unknown_section(db, capsys):
    assert main(["ledger", "status", "--period", "2026-13"]) == 2
    assert "月份应在01～12之间" in capsys.readouterr().err
    assert main(["ledger", "status", "--period", "2026", "--section", "不存在股"]) == 2
    assert "不存在股" in capsys.readouterr().err
