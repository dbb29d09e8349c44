"""Automatic records: the capabilities' own services, called as usual, feed the mapped items."""

from __future__ import annotations

import datetime as dt

from tests.ledger.conftest import item
from tests.statistics.conftest import HEADER, make_births, make_mother, sheet
from zeren.cases import services as case_services
from zeren.cases.models import Payment
from zeren.core.audit import verify_chain
from zeren.core.models import ChangeLog
from zeren.ledger.models import EventMapping, Record
from zeren.statistics.imports import birth_import
from zeren.statistics.services import alerts_record

D = dt.date.fromisoformat


def _auto(duty: int, order: int):
    return Record.objects.filter(work_item=item(duty, order), source="automatic")


def test_closing_a_case_records_comprehensive_governance(file_case, walk, officer1):
    case = walk(file_case(), "served")
    case_services.case_record_payment(
        actor=officer1,
        case=case,
        paid_on=D("2026-04-01"),
        amount=case.amount,
        kind=Payment.Kind.PRINCIPAL,
    )
    case.refresh_from_db()
    assert not _auto(3, 2).exists()
    case_services.case_close(actor=officer1, case=case, closed_on=D("2026-04-02"), summary="缴清")
    record = _auto(3, 2).get()
    assert (record.date, record.event_key, record.object_id) == (
        D("2026-04-02"),
        "cases.case_closed",
        str(case.pk),
    )
    assert record.division_id == case.township_id and record.section.name == "政策法规股"
    # Saving the closed case again records nothing more.
    case.refresh_from_db()
    case.save()
    assert _auto(3, 2).count() == 1


def test_a_births_import_records_statistics_and_monitoring(section_staff, village_a):
    mother = make_mother(village_a)
    row = [
        mother.id_number,
        mother.name,
        "男",
        "2026-03-01",
        1,
        village_a.parent.name,
        village_a.name,
        "",
    ]
    birth_import(actor=section_staff, content=sheet([HEADER, row]), today=D("2026-06-30"))
    assert _auto(5, 4).count() == 1 and _auto(5, 1).count() == 1
    assert "导入出生登记 1 条" in _auto(5, 4).get().summary
    # The records written on the log_bulk row log their own changes after it: the change
    # log's hash chain stays whole (the cause of the earlier miss was a collision there).
    assert verify_chain(ChangeLog).ok


def test_a_raised_alert_records_the_warning_and_the_sex_ratio_items(village_a):
    make_births(village_a, boys=80, girls=20, day=D("2026-05-10"))
    assert alerts_record(today=D("2026-05-11")) > 0
    assert _auto(5, 2).count() == 1 and _auto(3, 4).count() == 1


def test_the_mapping_is_data_an_item_can_be_fed_without_code(section_staff, village_a):
    EventMapping.objects.create(
        event_key="statistics.births_imported",
        label="出生登记",
        duty_number=8,
        item_order=2,
        kind="statistics",
    )
    mother = make_mother(village_a)
    row = [
        mother.id_number,
        mother.name,
        "女",
        "2026-03-01",
        1,
        village_a.parent.name,
        village_a.name,
        "",
    ]
    birth_import(actor=section_staff, content=sheet([HEADER, row]), today=D("2026-06-30"))
    assert _auto(8, 2).count() == 1
