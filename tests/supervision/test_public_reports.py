"""The public report form: rate limited per client IP; a receipt code to follow the report."""

from __future__ import annotations

import re

import pytest

from tests.conftest import login
from tests.supervision.conftest import make_permits
from zeren.supervision import rules
from zeren.supervision.models import Report
from zeren.supervision.services import (
    report_close,
    report_submit,
    report_take,
)

pytestmark = pytest.mark.django_db

CODE = re.compile(r"[0-9A-HJKMNP-TV-Z]{4}(?:-[0-9A-HJKMNP-TV-Z]{4}){3}")


def _post(client, township, ip="203.0.113.7", **extra):
    data = {"kind": "report", "township": township.pk, "content": "有人以欺骗手段办理再生育证"}
    data.update(extra)
    return client.post("/supervision/report/", data, REMOTE_ADDR=ip)


def _code(response) -> str:
    match = CODE.search(response.content.decode())
    assert match, "no receipt code on the page"
    return match.group(0)


def _status(client, code, ip="198.51.100.9"):
    return client.post("/supervision/report/status/", {"code": code}, REMOTE_ADDR=ip)


# --- rate limiting -----------------------------------------------------------------------


def test_a_client_may_report_n_times_an_hour_then_gets_429(public, township_a, settings):
    settings.ZEREN_REPORTS_PER_HOUR = 3
    for _ in range(3):
        assert _post(public, township_a).status_code == 200
    refused = _post(public, township_a)
    assert refused.status_code == 429
    text = refused.content.decode()
    assert "操作过于频繁" in text and "每小时最多可提交举报投诉3次" in text
    assert Report.objects.count() == 3
    # Another client is not affected.
    assert _post(public, township_a, ip="203.0.113.8").status_code == 200
    assert Report.objects.count() == 4


def test_the_honeypot_neither_reports_nor_counts(public, township_a, settings):
    settings.ZEREN_REPORTS_PER_HOUR = 1
    assert _post(public, township_a, website="http://spam.example").status_code == 200
    assert not Report.objects.exists()
    assert _post(public, township_a).status_code == 200


# --- receipt codes and the status page ---------------------------------------------------


def test_receipt_codes_are_random_and_normalised():
    codes = {rules.receipt_code_new() for _ in range(200)}
    assert len(codes) == 200 and all(CODE.fullmatch(c) for c in codes)
    code = "ABCD-EFGH-JKMN-PQRS"
    assert rules.receipt_code_normalize(" abcd efgh-jkmn pqrs ") == code.replace("-", "")
    assert rules.receipt_code_normalize("ABCD-EFGH-JKMN-PQRO") == "ABCDEFGHJKMNPQR0"
    assert rules.receipt_code_normalize("ABCD-EFGH-JKMN-PQR") is None
    assert rules.receipt_code_normalize("ABCD-EFGH-JKMN-PQRU") is None


def test_the_code_is_shown_once_and_only_its_hash_is_stored(public, township_a):
    response = _post(public, township_a, reporter_name="王五", reporter_phone="13900001111")
    code = _code(response)
    assert "只显示这一次" in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    report = Report.objects.get()
    stored = str(list(Report.objects.values()))
    assert code not in stored and code.replace("-", "") not in stored
    assert report.receipt_hash and len(report.receipt_hash) == 64


def test_the_reporter_follows_the_status_to_the_answer(public, township_a, section_staff, settings):
    permit = make_permits(township_a, 1)[0]
    code = _code(
        _post(
            public,
            township_a,
            permit_number=permit.number,
            reporter_name="王五",
            reporter_phone="13900001111",
        )
    )
    report = Report.objects.get()
    page = _status(public, code)
    assert page.status_code == 200
    text = page.content.decode()
    assert report.reference in text and "已受理，等待办理" in text
    report_take(actor=section_staff, report=report)
    assert "正在办理" in _status(public, code.lower()).content.decode()
    report_close(
        actor=section_staff,
        report=report,
        outcome="经核查，持证人张三已离婚，许可已撤销（内部记录）",
        reply="经核查情况属实，已依法处理。",
    )
    text = _status(public, code.replace("-", " ")).content.decode()
    assert "已办结" in text and "经核查情况属实，已依法处理。" in text
    for private in ("王五", "13900001111", "张三", "内部记录", permit.number, permit.holder.name):
        assert private not in text


def test_an_unknown_and_a_malformed_code_get_the_same_answer(public, township_a):
    _post(public, township_a)
    unknown = _status(public, rules.receipt_code_new())
    malformed = _status(public, "JB20260302000001")
    reference = Report.objects.get().reference
    by_reference = _status(public, reference)
    for response in (unknown, malformed, by_reference):
        assert response.status_code == 404
        assert "没有找到与该查询码对应的举报投诉" in response.content.decode()
        assert "受理编号" not in response.content.decode()


def test_lookups_are_rate_limited(public, settings):
    settings.ZEREN_REPORT_LOOKUPS_PER_HOUR = 2
    for _ in range(2):
        assert _status(public, rules.receipt_code_new()).status_code == 404
    refused = _status(public, rules.receipt_code_new())
    assert refused.status_code == 429 and "操作过于频繁" in refused.content.decode()


def test_staff_entering_a_report_get_the_code_to_pass_on(section_staff, township_a, public):
    client = login(section_staff)
    response = client.post(
        "/staff/supervision/reports/new/",
        {"kind": "complaint", "township": township_a.pk, "content": "电话投诉审批拖延"},
        follow=True,
    )
    code = _code(response)
    assert "请告知举报人" in response.content.decode()
    # Entered by staff, it has a handler from the start: it is being handled.
    assert "正在办理" in _status(public, code).content.decode()


def test_closing_records_the_reply_and_cannot_happen_twice(section_staff, township_a):
    from django.core.exceptions import ValidationError

    report = report_submit(actor=None, kind="report", township=township_a, content="某某违规办证")
    assert report.receipt_code
    report_take(actor=section_staff, report=report)
    assert report.status == Report.Status.INVESTIGATING
    response = login(section_staff).post(
        f"/staff/supervision/reports/{report.pk}/close/",
        {"outcome": "已核实", "reply": "已处理完毕。"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "closed" and report.reply == "已处理完毕。" and report.closed_at
    with pytest.raises(ValidationError, match="已办结"):
        report_close(actor=section_staff, report=report, outcome="again")
