"""Manual records: attachments checked and stored in the data directory, Excel import whole."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import login
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


def _office(part: str) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(part, "<x/>")
    return buffer.getvalue()


def _zip_of(name: str) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr(name, "x")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "accepted"),
    [
        ("纪要.docx", _office("word/document.xml"), True),
        ("台账.xlsx", _office("xl/workbook.xml"), True),
        ("纪要.docx", _zip_of("payload.js"), False),  # a renamed ZIP
        ("台账.xlsx", _office("word/document.xml"), False),  # a Word file named .xlsx
        ("照片.PNG", b"\x89PNG\r\n\x1a\n" + b"0" * 16, True),
        ("照片.jpg", b"\xff\xd8\xff\xe0" + b"0" * 16, True),
        ("照片.jpg", b"\x89PNG\r\n\x1a\n", False),
        ("恰好10MB.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024 - 5), True),
        ("多1字节.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024 - 4), False),
    ],
)
def test_attachment_types_are_checked_by_content_and_the_limit_is_10_mb(
    section_staff, data_dir, name, content, accepted
):
    upload = SimpleUploadedFile(name, content)
    if accepted:
        record = _create(section_staff, upload)
        assert services.attachment_path(record).read_bytes() == content
    else:
        with pytest.raises(ValidationError):
            _create(section_staff, upload)
        assert not Record.objects.exists() and not list(data_dir.rglob("*.*"))


def test_an_uploaded_name_cannot_choose_where_the_file_lands(section_staff, data_dir):
    record = _create(section_staff, SimpleUploadedFile("../../../etc/纪要.pdf", PDF))
    assert record.attachment_name == "纪要.pdf"
    path = services.attachment_path(record)
    assert path.resolve().is_relative_to(data_dir / "ledger") and path.name != "纪要.pdf"


def test_the_quick_form_takes_an_attachment_served_only_to_who_may_see_it(
    expectations, section_staff, staff_a, data_dir
):
    client = login(section_staff)
    target = item(3, 4)
    posted = client.post(
        f"/staff/ledger/items/{target.pk}/?period=2026",
        {
            "date": "2026-04-08",
            "kind": "meeting",
            "summary": "协调会",
            "attachment": SimpleUploadedFile("纪要.pdf", PDF),
        },
    )
    assert posted.status_code == 302
    record = Record.objects.get()
    download = client.get(f"/staff/ledger/records/{record.pk}/attachment/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert (
        "纪要.pdf" in download["Content-Disposition"]
        or "filename*" in download["Content-Disposition"]
    )
    # A township account does not see the bureau's records, nor their attachments.
    assert login(staff_a).get(f"/staff/ledger/records/{record.pk}/attachment/").status_code == 404
    refused = client.post(
        f"/staff/ledger/items/{target.pk}/?period=2026",
        {
            "date": "2026-04-09",
            "kind": "meeting",
            "summary": "又一次",
            "attachment": SimpleUploadedFile("run.pdf", b"MZ\x90\x00"),
        },
    )
    assert refused.status_code == 200 and "附件内容与扩展名.pdf不符" in refused.content.decode()
    assert Record.objects.count() == 1


def test_the_excel_import_page_adds_the_rows_or_names_the_errors(expectations, section_staff):
    client = login(section_staff)
    good = sheet([HEADER, [7, 2, "2026-05-29", "宣传活动", "5·29会员活动日宣传"]])
    done = client.post(
        "/staff/ledger/import/",
        {"file": SimpleUploadedFile("台账.xlsx", good)},
        follow=True,
    )
    assert "已导入履职记录 1 条" in done.content.decode()
    bad = sheet([HEADER, [9, 9, "2026-06-18", "培训", "没有这个事项"]])
    refused = client.post(
        "/staff/ledger/import/", {"file": SimpleUploadedFile("台账.xlsx", bad)}, follow=True
    )
    assert "第2行「事项顺序」：清单中没有第9项职责第9事项" in refused.content.decode()
    assert Record.objects.count() == 1
