"""Staff pages: scoped, masked, and each use case reachable."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from tests.conftest import login
from tests.funds.conftest import make_beneficiary, pay_months
from tests.funds.test_import import good_row, sheet
from zeren.core.models import SecurityEvent
from zeren.funds import documents
from zeren.funds.models import Beneficiary, PaymentBatch, PaymentLine, Verification
from zeren.funds.services import campaign_open

pytestmark = pytest.mark.django_db


def test_township_staff_see_only_their_township_and_masked_accounts(staff_a, staff_b, village_a):
    b = make_beneficiary(village=village_a, account="6222020200112233445")
    page = login(staff_a).get(reverse("funds-beneficiary-list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "张三" in html and "3445" in html and "6222020200112233445" not in html
    assert b.person.id_number not in html
    assert "张三" not in login(staff_b).get(reverse("funds-beneficiary-list")).content.decode()
    assert login(staff_b).get(reverse("funds-beneficiary-detail", args=[b.pk])).status_code == 404
    detail = login(staff_a).get(reverse("funds-beneficiary-detail", args=[b.pk]))
    assert "6222020200112233445" not in detail.content.decode()


def test_revealing_an_account_is_logged(staff_a, village_a):
    b = make_beneficiary(village=village_a)
    r = login(staff_a).post(reverse("funds-beneficiary-reveal", args=[b.pk]))
    assert "6222020200112233445" in r.content.decode()
    assert SecurityEvent.objects.filter(kind="reveal", object_id=str(b.pk)).exists()


def test_the_public_and_partners_are_kept_out(public, partner):
    r = public.get(reverse("funds-dashboard"))
    assert r.status_code == 302
    assert login(partner).get(reverse("funds-dashboard")).status_code == 403


def test_dashboard_and_indicator_export(section_staff, village_a):
    make_beneficiary(village=village_a)
    campaign_open(actor=None, year=2026, kind="full")
    client = login(section_staff)
    page = client.get(reverse("funds-dashboard") + "?year=2026")
    assert page.status_code == 200 and "隆尧镇" in page.content.decode()
    export = client.get(reverse("funds-indicators-export") + "?year=2026")
    assert export.status_code == 200 and export.content[:2] == b"PK"


def test_import_page_lists_errors_and_offers_the_annotated_copy(staff_a):
    rows = [good_row(n) for n in range(5)]
    rows[2][1] = "123"
    client = login(staff_a)
    upload = SimpleUploadedFile("b.xlsx", sheet(rows))
    page = client.post(reverse("funds-import"), {"file": upload})
    html = page.content.decode()
    assert "未导入任何数据" in html and "身份证号应为18位" in html
    token = page.context["token"]
    copy = client.get(reverse("funds-import-errors", args=[token]))
    assert copy.status_code == 200
    assert login(staff_a).get(reverse("funds-import-errors", args=[token])).status_code == 404
    assert Beneficiary.objects.count() == 0

    ok = client.post(
        reverse("funds-import"), {"file": SimpleUploadedFile("b.xlsx", sheet(rows[:2]))}
    )
    assert ok.status_code == 302 and Beneficiary.objects.count() == 2


def test_batches_from_creation_to_bank_file_and_receipt(section_staff, staff_a, village_a):
    b = make_beneficiary(village=village_a)
    county = login(section_staff)
    r = county.post(reverse("funds-batch-list"), {"program": "special", "period_of": "2026-03-01"})
    batch = PaymentBatch.objects.get()
    assert r.status_code == 302 and batch.line_count == 1
    county.post(reverse("funds-batch-issue", args=[batch.pk]), {"issued_on": "2026-03-05"})
    bank = county.get(reverse("funds-batch-bank-file", args=[batch.pk]))
    assert bank["Content-Disposition"].startswith("attachment; filename*=UTF-8''")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(bank.content)).get_sheet_by_index(0)
    rows = rows.to_python()
    # a string cell in text format (@): Excel keeps all 19 digits, not 6.22202E+18
    assert rows[1][4] == "6222020200112233445"
    styles = zipfile.ZipFile(io.BytesIO(bank.content)).read("xl/styles.xml").decode()
    assert 'formatCode="@"' in styles
    assert rows[1][5] == 340.0
    assert b.person.id_number not in str(rows)
    assert login(staff_a).get(reverse("funds-batch-bank-file", args=[batch.pk])).status_code == 403

    line = PaymentLine.objects.get()
    login(staff_a).post(reverse("funds-batch-detail", args=[batch.pk]), {"line": [line.pk]})
    line.refresh_from_db()
    assert line.confirmed_at is not None

    county.post(
        reverse("funds-line-reverse", args=[line.pk]),
        {"note": "标准有误", "corrected_amount": "170"},
    )
    assert list(PaymentLine.objects.order_by("id").values_list("entry", flat=True)) == [
        "payment",
        "reversal",
        "correction",
    ]


def test_recording_outcomes_on_the_multi_row_page_and_by_sheet(staff_a, village_a):
    first = make_beneficiary(village=village_a, name="甲")
    second = make_beneficiary(village=village_a, name="乙")
    pay_months("special", 2026, range(1, 8))
    campaign, _ = campaign_open(actor=None, year=2026, kind="full")
    v1 = campaign.verifications.get(beneficiary=first)
    v2 = campaign.verifications.get(beneficiary=second)
    client = login(staff_a)
    page = client.get(reverse("funds-campaign-record", args=[campaign.pk]))
    assert "甲" in page.content.decode() and "乙" in page.content.decode()
    r = client.post(
        reverse("funds-campaign-record", args=[campaign.pk]),
        {
            "ids": [v1.pk, v2.pk],
            f"outcome_{v1.pk}": "died",
            f"date_{v1.pk}": "2026-05-10",
            f"method_{v1.pk}": "home",
        },
    )
    assert r.status_code == 302
    v1.refresh_from_db()
    assert v1.outcome == "died" and v1.recorded_by == staff_a
    first.refresh_from_db()
    assert first.status == "terminated"

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = book.add_worksheet()
    ws.write_row(0, 0, documents.OUTCOME_COLUMNS)
    ws.write_row(1, 0, [str(v2.pk), "乙", "", "", "", "核实无误", "电话", "", ""])
    book.close()
    client.post(
        reverse("funds-campaign-upload", args=[campaign.pk]),
        {"file": SimpleUploadedFile("r.xlsx", out.getvalue())},
    )
    assert Verification.objects.get(pk=v2.pk).outcome == "confirmed"
    sheet_dl = client.get(reverse("funds-campaign-sheet", args=[campaign.pk]))
    assert sheet_dl.status_code == 200


def test_ineligible_list_letters_and_platform_export(section_staff, village_a):
    from zeren.funds.services import OutcomeRow, verification_record

    ok = make_beneficiary(village=village_a, name="合格")
    dead = make_beneficiary(village=village_a, name="已故")
    campaign, _ = campaign_open(actor=None, year=2026, kind="full")
    v = {x.beneficiary_id: x.pk for x in campaign.verifications.all()}
    verification_record(
        actor=None,
        rows=[
            OutcomeRow(v[ok.pk], "confirmed"),
            OutcomeRow(v[dead.pk], "died", "", dt.date(2026, 5, 10)),
        ],
    )
    client = login(section_staff)
    page = client.get(reverse("funds-ineligible") + "?year=2026")
    assert "已故" in page.content.decode() and "合格" not in page.content.decode()
    letter = client.get(reverse("funds-letter", args=[dead.pk]) + "?year=2026")
    assert letter.status_code == 200 and letter.content[:2] == b"PK"
    zipped = client.get(
        reverse("funds-ineligible") + f"?year=2026&township={dead.township_id}&format=zip"
    )
    assert zipped["Content-Type"] == "application/zip"
    export = client.post(reverse("funds-platform"), {"year": "2026"})
    assert "合格" in export.content.decode("utf-8-sig")
    assert SecurityEvent.objects.filter(kind="export").exists()


def test_other_pages_render(section_staff, village_a):
    b = make_beneficiary(village=village_a)
    campaign, _ = campaign_open(actor=None, year=2026, kind="full")
    client = login(section_staff)
    for name, args in [
        ("funds-batch-list", []),
        ("funds-campaign-list", []),
        ("funds-campaign-detail", [campaign.pk]),
        ("funds-recoveries", []),
        ("funds-platform", []),
        ("funds-import", []),
        ("funds-import-template", []),
        ("funds-beneficiary-detail", [b.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 200, name
    r = client.post(reverse("funds-beneficiary-report", args=[b.pk]), {"report": "有人举报"})
    assert r.status_code == 302


def test_administrators_edit_the_rate_tables(admin_user, bureau):
    from tests.conftest import make_user
    from zeren.core.roles import Role

    assert login(admin_user).get("/admin/funds/rate/").status_code == 200
    clerk_admin = make_user("sysadmin", Role.ADMIN, department=bureau)
    assert clerk_admin.has_perm("funds.change_rate")
    assert clerk_admin.has_perm("funds.change_entitlementrule")
    assert not clerk_admin.has_perm("funds.change_beneficiary")


def test_an_out_of_scope_beneficiary_is_a_logged_404(staff_b, village_a):
    b = make_beneficiary(village=village_a)
    assert login(staff_b).get(reverse("funds-beneficiary-detail", args=[b.pk])).status_code == 404
    event = SecurityEvent.objects.get(kind="denied", username="staff_b")
    assert event.detail == {"object": "funds.Beneficiary", "pk": b.pk, "action": "view"}
