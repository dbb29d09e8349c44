"""Verification campaigns of regime (三): coverage, idempotent opening, outcomes, consequences."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
import xlsxwriter
from django.core.exceptions import ValidationError
from docx import Document

from tests.funds.conftest import make_beneficiary, pay_months
from zeren.core.models import SecurityEvent
from zeren.funds import documents, selectors
from zeren.funds.models import (
    Beneficiary,
    Campaign,
    CampaignKind,
    Deduction,
    PaymentLine,
    Verification,
)
from zeren.funds.services import (
    OutcomeErrors,
    OutcomeRow,
    beneficiary_terminate,
    campaign_open,
    campaign_open_adhoc,
    platform_mark,
    verification_record,
)

pytestmark = pytest.mark.django_db


def test_the_regime_is_data_with_its_source():
    full = CampaignKind.objects.get(code="full")
    assert (full.start_month, full.end_month, full.coverage) == (2, 3, Decimal("1.000"))
    assert full.performer == "township"
    assert "2-3月份上门调查" in full.source
    new = CampaignKind.objects.get(code="new")
    assert (new.start_month, new.end_month, new.performer) == (3, 3, "county")
    assert "立即组织人员进行核查" in CampaignKind.objects.get(code="adhoc").source


def test_a_full_campaign_covers_every_active_beneficiary_once_and_reopening_adds_no_duplicates(
    village_a, village_b
):
    active = [
        make_beneficiary(village=v, name=f"对象{i}")
        for i, v in enumerate([village_a, village_a, village_b])
    ]
    gone = make_beneficiary(village=village_b, name="已故")
    beneficiary_terminate(
        actor=None, beneficiary=gone, reason="death", event_date=dt.date(2025, 12, 1)
    )

    january = dt.date(2026, 1, 10)  # opened before the regime's February-March window
    campaign, added = campaign_open(actor=None, year=2026, kind="full", today=january)
    assert added == 3 and campaign.total == 3
    assert (campaign.starts_on, campaign.deadline) == (dt.date(2026, 2, 1), dt.date(2026, 3, 31))
    ids = sorted(
        Verification.objects.filter(campaign=campaign).values_list("beneficiary_id", flat=True)
    )
    assert ids == sorted(b.pk for b in active)

    again, added_again = campaign_open(actor=None, year=2026, kind="full")
    assert again.pk == campaign.pk and added_again == 0
    assert Verification.objects.filter(campaign=campaign).count() == 3

    late = make_beneficiary(village=village_a, name="新增")
    _, added_late = campaign_open(actor=None, year=2026, kind="full")
    assert added_late == 1
    assert Verification.objects.filter(campaign=campaign, beneficiary=late).count() == 1
    assert Campaign.objects.filter(kind="full", year=2026).count() == 1


def test_the_new_campaign_takes_only_this_years_new_beneficiaries(village_a):
    make_beneficiary(village=village_a, start_date=dt.date(2025, 6, 1), name="旧")
    new = make_beneficiary(village=village_a, start_date=dt.date(2026, 1, 1), name="新")
    campaign, added = campaign_open(actor=None, year=2026, kind="new", today=dt.date(2026, 2, 1))
    assert added == 1
    assert campaign.verifications.get().beneficiary == new
    assert (campaign.starts_on, campaign.deadline) == (dt.date(2026, 3, 1), dt.date(2026, 3, 31))


def test_the_payment_check_confirms_receipt(village_a):
    paid = make_beneficiary(village=village_a, name="已发")
    pay_months("special", 2026, range(1, 4))
    campaign, added = campaign_open(actor=None, year=2026, kind="payment")
    assert added == 1
    v = campaign.verifications.get(beneficiary=paid)
    verification_record(actor=None, rows=[OutcomeRow(v.pk, "confirmed", "phone")])
    lines = PaymentLine.objects.filter(beneficiary=paid)
    assert lines.count() == 3 and not lines.filter(confirmed_at__isnull=True).exists()
    rows = selectors.payment_confirmation(year=2026)
    assert rows == [{"township": "隆尧镇", "lines": 3, "confirmed": 3, "rate": 1.0}]


def test_outcomes_are_recorded_in_bulk_with_their_consequences(village_a, village_b):
    ok = make_beneficiary(village=village_a, name="正常")
    dead = make_beneficiary(village=village_a, name="死亡")
    cheat = make_beneficiary(village=village_b, name="骗取")
    unpaid = make_beneficiary(village=village_b, name="未到位")
    pay_months("special", 2026, range(1, 8))
    campaign, _ = campaign_open(actor=None, year=2026, kind="full")
    v = {x.beneficiary_id: x.pk for x in campaign.verifications.all()}

    counts = verification_record(
        actor=None,
        rows=[
            OutcomeRow(v[ok.pk], "confirmed", "home"),
            OutcomeRow(v[dead.pk], "died", "home", dt.date(2026, 5, 10)),
            OutcomeRow(v[cheat.pk], "deception", "home", note="子女实际在外地工作"),
            OutcomeRow(v[unpaid.pk], "not_received", "phone"),
        ],
    )
    assert counts == {"confirmed": 1, "died": 1, "deception": 1, "not_received": 1}
    dead.refresh_from_db()
    cheat.refresh_from_db()
    assert dead.status == "terminated" and dead.entitled_until == dt.date(2026, 5, 31)
    assert cheat.status == "suspended" and cheat.status_reason == "deception"
    assert selectors.recoveries_outstanding() == [
        {
            "township": "隆尧镇",
            "people": 1,
            "owed": Decimal("680.00"),
            "repaid": Decimal(0),
            "outstanding": Decimal("680.00"),
        }
    ]
    assert sorted(Deduction.objects.values_list("outcome", "township__name", "points")) == [
        ("deception", "魏家庄镇", Decimal("2.00")),
        ("died", "隆尧镇", Decimal("1.00")),
        ("not_received", "魏家庄镇", Decimal("1.00")),
    ]
    # The county then decides the deception: everything since ineligibility is recovered.
    result = beneficiary_terminate(
        actor=None, beneficiary=cheat, reason="deception", event_date=dt.date(2026, 1, 1)
    )
    assert result.recoverable == Decimal("2380.00")  # 7 months x 340

    status = selectors.campaign_status(year=2026)
    assert status == [
        {"township": "130525100", "kind": "full", "total": 2, "done": 2, "coverage": 1.0},
        {"township": "130525101", "kind": "full", "total": 2, "done": 2, "coverage": 1.0},
    ]


def test_a_bad_submission_records_nothing_and_names_every_row(village_a, village_b, staff_a):
    a = make_beneficiary(village=village_a, name="甲")
    b = make_beneficiary(village=village_b, name="乙")
    campaign, _ = campaign_open(actor=None, year=2026, kind="full")
    va = campaign.verifications.get(beneficiary=a)
    vb = campaign.verifications.get(beneficiary=b)
    with pytest.raises(OutcomeErrors) as caught:
        verification_record(
            actor=staff_a,
            rows=[
                OutcomeRow(va.pk, "died", where="第1行"),  # no date
                OutcomeRow(vb.pk, "confirmed", where="第2行"),  # another township
            ],
        )
    assert caught.value.problems == [
        "第1行：请填写死亡/变化日期",
        f"第2行：核查编号{vb.pk}不存在或不在您的管辖范围内",
    ]
    assert not Verification.objects.exclude(outcome="").exists()
    verification_record(actor=staff_a, rows=[OutcomeRow(va.pk, "confirmed", "home")])
    with pytest.raises(OutcomeErrors, match="不能重复记录"):
        verification_record(actor=staff_a, rows=[OutcomeRow(va.pk, "confirmed")])


def test_an_ad_hoc_check_opens_at_once_for_the_reported_person(beneficiary_a):
    campaign = campaign_open_adhoc(
        actor=None,
        beneficiary=beneficiary_a,
        report="群众举报其子女仍在世",
        today=dt.date(2026, 6, 1),
    )
    assert campaign.kind == "adhoc" and campaign.total == 1
    assert campaign.deadline == dt.date(2026, 6, 8)
    with pytest.raises(ValidationError):
        campaign_open(actor=None, year=2026, kind="adhoc")


def test_the_outcome_sheet_round_trips(village_a):
    b = make_beneficiary(village=village_a)
    campaign, _ = campaign_open(actor=None, year=2026, kind="full")
    sheet = documents.outcome_sheet(campaign=campaign, verifications=campaign.verifications.all())
    from python_calamine import CalamineWorkbook

    data = CalamineWorkbook.from_filelike(io.BytesIO(sheet)).get_sheet_by_index(0).to_python()
    assert data[0][:6] == ["核查编号", "姓名", "身份证号", "村", "扶助类别", "核查结果"]
    assert "*" in data[1][2]  # masked

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = book.add_worksheet()
    ws.write_row(0, 0, documents.OUTCOME_COLUMNS)
    ws.write_row(1, 0, [str(int(data[1][0])), "", "", "", "", "已死亡", "上门", "2026-05-10", ""])
    ws.write_row(2, 0, ["999999", "", "", "", "", "乱填", "", "", ""])
    book.close()
    rows, errors = documents.parse_outcome_sheet(out.getvalue())
    assert [(e.row, e.column) for e in errors] == [(3, "核查结果")]
    assert rows[0].outcome == "died" and rows[0].event_date == dt.date(2026, 5, 10)
    assert rows[0].verification_id == campaign.verifications.get(beneficiary=b).pk


def test_platform_export_and_letters(village_a):
    ok = make_beneficiary(village=village_a, name="合格")
    dead = make_beneficiary(village=village_a, name="不合格")
    pay_months("special", 2026, range(1, 8))
    campaign, _ = campaign_open(actor=None, year=2026, kind="full")
    v = {x.beneficiary_id: x.pk for x in campaign.verifications.all()}
    verification_record(
        actor=None,
        rows=[
            OutcomeRow(v[ok.pk], "confirmed", "home"),
            OutcomeRow(v[dead.pk], "died", "home", dt.date(2026, 5, 10)),
        ],
    )
    assert platform_mark(actor=None, year=2026) == 1
    text = documents.platform_file(year=2026).decode("utf-8-sig")
    assert "合格" in text and ok.person.id_number in text and "不合格" not in text
    assert Beneficiary.objects.get(pk=ok.pk).platform_year == 2026

    listed = list(selectors.ineligible(year=2026, township=ok.township))
    assert listed == [Beneficiary.objects.get(pk=dead.pk)]
    Beneficiary.objects.filter(pk=dead.pk).update(status_note='户籍A&B<村>"组"')
    listed[0].refresh_from_db()
    letter = Document(io.BytesIO(documents.letter_docx(listed[0], 2026, actor=None)))
    body = "\n".join(p.text for p in letter.paragraphs)
    assert (
        "不合格" in body and "680.00元（大写：陆佰捌拾元整）" in body and "扶助对象已死亡" in body
    )
    assert dead.person.id_number in body  # served on the party: the full number
    assert '扶助对象已死亡（户籍A&B<村>"组"）' in body  # escaped, not lost
    assert (letter.sections[0].page_width.twips, letter.sections[0].page_height.twips) == (
        11906,
        16838,
    )
    reveal = SecurityEvent.objects.filter(kind="reveal", object_id=str(dead.person.pk)).get()
    assert reveal.detail["document"] == "《扶助资格核查结果告知书》不合格"
    with zipfile.ZipFile(io.BytesIO(documents.letters_zip(listed, 2026, actor=None))) as zf:
        assert len(zf.namelist()) == 1


def test_platform_export_needs_the_full_campaign():
    with pytest.raises(ValidationError, match="尚未发起全面核查"):
        platform_mark(actor=None, year=2031)


def test_progress_flags_a_late_township(village_a):
    make_beneficiary(village=village_a)
    campaign_open(actor=None, year=2026, kind="full", today=dt.date(2026, 1, 10))
    rows = selectors.campaign_progress(year=2026, today=dt.date(2026, 4, 2))
    assert rows[0]["late"] and rows[0]["coverage"] == 0.0
    alerts = selectors.alerts(year=2026, today=dt.date(2026, 4, 2))
    assert any("已过期限" in a for a in alerts)
