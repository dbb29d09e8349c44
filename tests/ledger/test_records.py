"""Manual records: attachments checked and stored in the data directory, Excel import whole."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.ledger.conftest import item
from tests.statistics.conftest import sheet
from zeren.core.models import ChangeLog
from zeren.core.spreadsheets import ImportFailed
from zeren.ledger import services
from zeren.ledger.models import Record

D = dt.date.fromisoformat
PDF = b"%PDF-1.4\n%test\n"


@pytest.fixture
def data_dir(tmp_path, settings):
    settings.DATA_DIR = tmp_path
    return tmp_path


def _create(actor, upload):
    return services.record_create(
        actor=actor,
        work_item=item(3, 4),
        date=D("2026-04-08"),
        kind="meeting",
        summary="性别比综合治理协调会",
        attachment=upload,
    )


def test_an_attachment_is_stored_under_the_data_directory(section_staff, data_dir):
    record = _create(section_staff, SimpleUploadedFile("纪要.pdf", PDF))
    path = services.attachment_path(record)
    assert path.read_bytes() == PDF
    assert path.is_relative_to(settings.DATA_DIR / "ledger")
    assert record.attachment_name == "纪要.pdf" and record.staff == section_staff


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("run.exe", b"MZ\x90\x00", "附件只接受"),
        ("纪要.pdf", b"MZ\x90\x00 not a pdf", "附件内容与扩展名.pdf不符"),
        ("大.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "不能超过 10 MB"),
    ],
)
def test_a_bad_attachment_is_refused_and_nothing_is_kept(
    section_staff, data_dir, name, content, message
):
    with pytest.raises(ValidationError, match=message):
        _create(section_staff, SimpleUploadedFile(name, content))
    assert not Record.objects.exists()
    assert not list(data_dir.rglob("*.*"))


HEADER = ["职责序号", "事项顺序", "日期", "类别", "摘要"]


def test_an_excel_import_adds_every_row_with_one_change_log_row(section_staff):
    before = ChangeLog.objects.filter(action="bulk").count()
    count = services.records_import(
        actor=section_staff,
        content=sheet(
            [
                HEADER,
                [7, 2, "2026-05-29", "宣传活动", "5·29会员活动日宣传"],
                [9, 1, "2026年6月18日", "培训", "计生干部培训"],
            ]
        ),
        today=D("2026-06-30"),
    )
    assert count == 2
    assert Record.objects.get(work_item=item(9, 1)).kind == "training"
    assert ChangeLog.objects.filter(action="bulk").count() == before + 1


def test_an_import_with_errors_names_row_and_column_and_adds_nothing(section_staff):
    with pytest.raises(ImportFailed) as exc:
        services.records_import(
            actor=section_staff,
            content=sheet(
                [
                    HEADER,
                    [7, 2, "2026-05-29", "宣传活动", "好的一行"],
                    [9, 9, "2026-06-18", "培训", "没有这个事项"],
                    [9, 1, "2026-06-18", "聚餐", "类别不对"],
                    [9, 1, "昨天", "培训", "日期不对"],
                ]
            ),
            today=D("2026-06-30"),
        )
    text = [str(e) for e in exc.value.errors]
    assert text == [
        "第3行「事项顺序」：清单中没有第9项职责第9事项",
        text[1],
        "第5行「日期」：日期格式应为 2026-01-05",
    ]
    assert text[1].startswith("第4行「类别」：应为：计划、")
    assert not Record.objects.exists()


def test_an_import_missing_columns_names_them(section_staff):
    with pytest.raises(ImportFailed) as exc:
        services.records_import(actor=section_staff, content=sheet([["日期", "摘要"]]))
    assert [str(e) for e in exc.value.errors] == [
        "第1行「职责序号」：缺少此列",
        "第1行「事项顺序」：缺少此列",
        "第1行「类别」：缺少此列",
    ]
