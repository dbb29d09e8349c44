"""Birth register import: every row checked, all errors at once, whole file or nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from tests.statistics.conftest import HEADER, female_id, make_mother, sheet
from zeren.core.models import ChangeLog
from zeren.people.rules import make_id_number
from zeren.statistics.imports import ImportFailed, birth_import
from zeren.statistics.models import Birth

TODAY = dt.date(2026, 6, 30)


def row(mother, *, sex="男", day="2026-03-01", order=1, village=None, name=None):
    village = village or mother.division
    return [
        mother.id_number,
        name or mother.name,
        sex,
        day,
        order,
        village.parent.name,
        village.name,
        "乡镇上报",
    ]


def test_a_valid_file_is_imported_whole_with_one_change_log_row(
    section_staff, village_a, village_b
):
    m1, m2 = make_mother(village_a), make_mother(village_b)
    before = ChangeLog.objects.filter(action="bulk").count()
    result = birth_import(
        actor=section_staff,
        content=sheet(
            [
                HEADER,
                row(m1, order=1),
                row(m1, order=2, sex="女", day="2026-03-01"),  # twins
                row(m2, sex="女", day="2026年4月2日"),
            ]
        ),
        today=TODAY,
    )
    assert result.rows == 3
    assert sorted(Birth.objects.values_list("mother_id", "birth_order", "sex")) == sorted(
        [(m1.pk, 1, "M"), (m1.pk, 2, "F"), (m2.pk, 1, "F")]
    )
    b = Birth.objects.get(mother=m2)
    assert (b.birth_date, b.township_id, b.village_id) == (
        dt.date(2026, 4, 2),
        village_b.parent_id,
        village_b.pk,
    )
    assert ChangeLog.objects.filter(action="bulk").count() == before + 1
    assert ChangeLog.objects.filter(action="create", content_type__model="birth").count() == 0


def test_every_error_is_reported_with_row_and_column_and_nothing_is_written(
    section_staff, village_a
):
    m = make_mother(village_a)
    bad_check = m.id_number[:17] + ("0" if m.id_number[17] != "0" else "1")
    male = make_id_number("130525", dt.date(1985, 1, 1), 1)
    stranger = female_id()  # valid, but not a registered person
    registered = make_mother(village_a, "李娜")
    Birth.objects.create(
        mother=registered,
        sex="F",
        birth_date=dt.date(2025, 1, 1),
        birth_order=1,
        township_id=village_a.parent_id,
        village=village_a,
    )
    content = sheet(
        [
            HEADER,
            row(m),  # row 2: fine on its own
            [bad_check, m.name, "男", "2026-03-01", 2, "隆尧镇", village_a.name, ""],  # 3
            [male, "某人", "男", "2026-03-01", 1, "隆尧镇", village_a.name, ""],  # 4
            [stranger, "某人", "男", "2026-03-01", 1, "隆尧镇", village_a.name, ""],  # 5
            row(m),  # 6: same mother, same order as row 2
            row(registered),  # 7: already in the database
            row(m, order=3, sex="未知", day="2026-07-01"),  # 8: bad sex, future date
            [*row(m, order=0, village=village_a)[:5], "无此乡", "某村", ""],  # 9
            row(m, order=4, name="王五"),  # 10: name differs
        ]
    )
    with pytest.raises(ImportFailed) as caught:
        birth_import(actor=section_staff, content=content, today=TODAY)
    found = {(e.row, e.column) for e in caught.value.errors}
    assert found == {
        (3, "母亲身份证号"),
        (4, "母亲身份证号"),
        (5, "母亲身份证号"),
        (6, "孩次"),
        (7, "孩次"),
        (8, "婴儿性别"),
        (8, "出生日期"),
        (9, "孩次"),
        (9, "乡镇"),
        (10, "母亲姓名"),
    }
    messages = {(e.row, e.column): e.message for e in caught.value.errors}
    assert "校验码" in messages[(3, "母亲身份证号")] or "校验" in messages[(3, "母亲身份证号")]
    assert "男性" in messages[(4, "母亲身份证号")]
    assert "不是已登记" in messages[(5, "母亲身份证号")]
    assert "与第2行重复" in messages[(6, "孩次")]
    assert "已经登记" in messages[(7, "孩次")]
    assert str(caught.value.errors[0]).startswith("第3行「母亲身份证号」")
    assert Birth.objects.count() == 1  # only the one made above


def test_missing_columns_are_named(section_staff):
    with pytest.raises(ImportFailed) as caught:
        birth_import(actor=section_staff, content=sheet([["母亲身份证号", "婴儿性别"]]))
    assert {e.column for e in caught.value.errors} >= {"母亲姓名", "出生日期", "孩次", "乡镇", "村"}


def test_unreadable_files_are_refused(section_staff):
    with pytest.raises(ImportFailed, match="不是有效的 Excel 工作簿"):
        birth_import(actor=section_staff, content=b"not a spreadsheet")


def test_a_township_imports_only_its_own_births(staff_a, village_a, village_b):
    own, other = make_mother(village_a), make_mother(village_b)
    with pytest.raises(ImportFailed) as caught:
        birth_import(
            actor=staff_a,
            content=sheet(
                [
                    HEADER,
                    row(own),
                    row(other, village=village_b),
                    row(other, order=2, village=village_a),
                ]
            ),
            today=TODAY,
        )
    messages = {(e.row, e.column): e.message for e in caught.value.errors}
    assert "不在您的管辖范围内" in messages[(3, "乡镇")]
    # A mother registered in another township is out of sight: refused as unregistered.
    assert "不是已登记" in messages[(4, "母亲身份证号")]
    assert Birth.objects.count() == 0
    birth_import(actor=staff_a, content=sheet([HEADER, row(own)]), today=TODAY)
    assert Birth.objects.count() == 1


def test_without_the_permission_nothing_is_read(auditor, village_a):
    with pytest.raises(PermissionDenied):
        birth_import(actor=auditor, content=sheet([HEADER, row(make_mother(village_a))]))


def test_numbers_typed_as_numbers_are_refused(section_staff, village_a):
    m = make_mother(village_a)
    values = row(m)
    values[0] = 130525198501010020.0
    with pytest.raises(ImportFailed, match="文本格式"):
        birth_import(actor=section_staff, content=sheet([HEADER, values]), today=TODAY)
