"""Cases through the API (scoped), staff pages, the daily reminders, file review and the CLI."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import login
from zeren.cases import selectors, services
from zeren.cli import main
from zeren.core.models import Notification

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


def test_a_case_runs_through_the_api(officer1, officer2, head, party, township_a):
    client = login(officer1)
    response = client.post(
        "/api/cases/",
        {
            "kind": "penalty",
            "violation": "sex-identification",
            "township": township_a.code,
            "officers": [officer1.officer.pk, officer2.officer.pk],
            "filed_on": "2026-03-02",
            "approved_by": head.pk,
            "act_date": "2026-02-20",
            "facts": "非医学需要的胎儿性别鉴定",
            "person": party.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["rule_set"] == "apl-2021"

    def post(path, data, user=officer1):
        return login(user).post(f"/api/cases/{pk}/{path}/", data, content_type="application/json")

    r = post("notice", {"served_on": "2026-03-10", "reasons": "事实清楚", "amount": "14000"})
    assert r.status_code == 400 and "笔录" in json.dumps(r.json(), ensure_ascii=False)
    assert (
        post(
            "records",
            {
                "form": "interview",
                "on": "2026-03-05",
                "subject": "李四",
                "content": "……",
                "signatories": ["李四"],
                "recorded_by": [officer1.officer.pk, officer2.officer.pk],
            },
        ).status_code
        == 200
    )
    r = post(
        "notice",
        {
            "served_on": "2026-03-10",
            "reasons": "事实清楚",
            "amount": "14000",
            "circumstances": ["积极配合调查、如实陈述"],
        },
    )
    assert r.status_code == 200 and r.json()["step"] == "notified"
    r = post("hearing-request", {"requested_on": "2026-03-18"})
    assert r.status_code == 400 and "听证申请逾期" in json.dumps(r.json(), ensure_ascii=False)
    assert post("statement", {"on": "2026-03-12", "statement": "认错"}).status_code == 200
    r = post(
        "approve",
        {
            "approved_on": "2026-03-18",
            "collective_on": "2026-03-18",
            "collective_minutes": "同意",
            "legal_review_on": "2026-03-18",
            "legal_review_opinion": "同意",
        },
        user=head,
    )
    assert r.status_code == 200, r.content
    assert post("decide", {"decided_on": "2026-03-19"}).json()["decision_number"]
    r = post(
        "serve",
        {
            "served_on": "2026-03-20",
            "recipient": "李四",
            "recipient_role": "本人",
            "method": "直接送达",
            "signature": "李四",
        },
    )
    assert r.json()["due_on"] == "2026-04-07"
    deadlines = client.get(f"/api/cases/{pk}/deadlines/?today=2026-03-21").json()
    payment = next(d for d in deadlines["deadlines"] if d["key"] == "payment")
    assert payment["due"] == "2026-04-07" and "顺延" in payment["arithmetic"]
    assert payment["source"] and payment["status"] == "green"
    events = client.get(f"/api/cases/{pk}/events/").json()
    assert [e["action"] for e in events][:2] == ["file", "interview"]
    docs = client.get(f"/api/cases/{pk}/documents/").json()
    r = client.get(f"/api/cases/{pk}/documents/{docs[-1]['sequence']}.docx/")
    assert r.status_code == 200 and r.content[:2] == b"PK"


def test_the_api_is_scoped_to_the_township(file_case, staff_a, staff_b):
    case = file_case()
    assert login(staff_a).get(f"/api/cases/{case.pk}/").status_code == 200
    assert login(staff_b).get(f"/api/cases/{case.pk}/").status_code == 404
    assert login(staff_b).get("/api/cases/").json()["results"] == []
    # Township staff may follow cases but not move them.
    r = login(staff_a).post(
        f"/api/cases/{case.pk}/decide/",
        {"decided_on": "2026-03-19"},
        content_type="application/json",
    )
    assert r.status_code == 403


def test_the_api_late_fee_and_the_calculator(officer1):
    client = login(officer1)
    r = client.get("/api/cases/late-fee/?kind=fee&principal=10000&due=2026-01-15&on=2026-06-20")
    assert r.json()["amount"] == "100.00"
    r = client.post(
        "/api/violations/sex-identification/assess/",
        {"circumstances": ["一年内再次实施同类违法行为"], "amount": "31000", "reason": "x"},
        content_type="application/json",
    )
    assert r.status_code == 400 and "超出法定幅度" in json.dumps(r.json(), ensure_ascii=False)
    r = client.post(
        "/api/violations/sex-identification/assess/",
        {"circumstances": ["一年内再次实施同类违法行为"]},
        content_type="application/json",
    )
    assert (r.json()["grade"], r.json()["grade_min"], r.json()["grade_max"]) == (
        "aggravated",
        "24000.00",
        "30000.00",
    )


def test_the_dashboard_shows_deadlines_by_colour(file_case, walk, officer1, staff_b):
    case = walk(file_case(), "notified")
    page = login(officer1).get("/staff/cases/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "期限看板" in html and case.number in html
    board = selectors.deadline_board(selectors.my_cases(officer1), today=D("2026-03-16"))
    keys = {e["deadline"].key for e in board["this_week"]}
    assert "hearing_request" in keys
    assert board["by_step"][1][2] == 1  # one case at "notified"
    detail = login(officer1).get(f"/staff/cases/{case.pk}/").content.decode()
    assert "行政处罚法第六十四条" in detail and "2026-03-17" in detail
    assert login(staff_b).get(f"/staff/cases/{case.pk}/").status_code == 404


def _deadline_notes(case, deadline: str = "", kind: str = ""):
    rows = Notification.objects.filter(
        kind="deadline", dedupe_key__startswith=f"deadline:case{case.pk}:{deadline}"
    )
    return rows.filter(dedupe_key__contains=f":{kind}:") if kind else rows


def test_the_daily_job_notifies_once(file_case, walk, officer1, officer2):
    case = walk(file_case(), "notified")
    created = services.deadlines_notify(today=D("2026-03-16"))
    # hearing_request due 03-17 is approaching: handler officer1 and officer2 are told.
    assert created >= 2
    told = _deadline_notes(case, "hearing_request", "approaching")
    assert {n.recipient_id for n in told} == {officer1.pk, officer2.pk}
    note = told.first()
    assert note.due_on == D("2026-03-17") and note.link == f"/staff/cases/{case.pk}/"
    assert "即将到期" in note.title and note.division_id == case.township_id
    assert services.deadlines_notify(today=D("2026-03-16")) == 0
    # The party's unused right lapses: nobody is told it was "missed".
    services.deadlines_notify(today=D("2026-03-18"))
    assert not _deadline_notes(case, kind="missed").exists()
    # A decision not served within seven working days (by 2026-03-30) is missed.
    walk(case, "decided")
    services.deadlines_notify(today=D("2026-04-01"))
    assert _deadline_notes(case, "service", "missed").count() == 2


def test_file_review_scores_and_results(file_case, walk, officer1, head, section_staff):
    case = walk(file_case(), "served")
    scores = {key: top for key, _, top in services.CHECKLIST}
    with pytest.raises(ValidationError, match="已结案"):
        services.file_review_record(
            actor=section_staff,
            case=case,
            period="2026H1",
            reviewed_on=D("2026-06-30"),
            scores=scores,
        )
    services.case_record_payment(
        actor=officer1, case=case, paid_on=D("2026-04-01"), amount=case.amount, kind="principal"
    )
    case.refresh_from_db()
    services.case_close(actor=officer1, case=case, closed_on=D("2026-04-02"), summary="缴清")
    case.refresh_from_db()
    with pytest.raises(ValidationError, match="应在0～5之间"):
        services.file_review_record(
            actor=section_staff,
            case=case,
            period="2026H1",
            reviewed_on=D("2026-06-30"),
            scores={**scores, "archive": 6},
        )
    review = services.file_review_record(
        actor=section_staff,
        case=case,
        period="2026H1",
        reviewed_on=D("2026-06-30"),
        scores={**scores, "archive": 2},
    )
    assert review.total == 97
    results = selectors.review_results("2026H1", selectors.Case.objects.all())
    assert results["by_township"][0]["average"] == 97
    assert {r["officer"] for r in results["by_officer"]} == {"officer1", "officer2"}
    page = login(head).get("/staff/cases/reviews/?period=2026H1").content.decode()
    assert "97.0" in page


@pytest.mark.parametrize(
    ("kind", "principal", "due", "on", "expected"),
    [
        ("fee", "10000", "2026-01-15", "2026-06-20", "100.00"),
        ("fine", "1000", "2026-01-15", "2026-01-25", "300.00"),
        ("fine", "1000", "2026-01-15", "2026-03-01", "1000.00"),
    ],
)
def test_cli_late_fee_prints_the_amount_last(capsys, kind, principal, due, on, expected):
    code = main(
        ["cases", "late-fee", "--kind", kind, "--principal", principal, "--due", due, "--on", on]
    )
    assert code == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == expected


def test_cli_late_fee_lists_each_source_once(capsys):
    args = ["--principal", "1000", "--due", "2026-01-15", "--on", "2026-03-01"]
    assert main(["cases", "late-fee", "--kind", "fine", *args]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert "依据：行政处罚法第七十二条；行政强制法第四十五条" in lines
    assert lines[-1] == "1000.00"


def test_cli_deadlines_as_json(capsys, file_case, walk):
    case = walk(file_case(), "notified")
    assert (
        main(["cases", "deadlines", case.number, "--format", "json", "--today", "2026-03-16"]) == 0
    )
    doc = json.loads(capsys.readouterr().out)
    assert doc["rule_set"]["code"] == "apl-2021"
    hearing = next(d for d in doc["deadlines"] if d["key"] == "hearing_request")
    assert hearing["due"] == "2026-03-17" and hearing["status"] == "amber"
    assert "第六十四条" in hearing["source"] and hearing["arithmetic"]
    assert main(["cases", "deadlines", "no-such-case"]) == 2


def test_the_deadlines_day_is_read_by_the_one_parser_and_a_bad_one_is_a_400(file_case, staff_a):
    case = file_case()
    client = login(staff_a)
    url = f"/api/cases/{case.pk}/deadlines/"
    for bad in ("x", "2026-02-30", "2026-13-01", "21/03/2026", "２０２６-03-21"):
        r = client.get(url, {"today": bad})
        assert r.status_code == 400, (bad, r.content)
        assert r.json()["today"] == [
            f"判断日期“{bad}”不是有效日期，应写作 2026-12-01 或 2026/12/01"
        ]
    iso = client.get(url, {"today": "2026-03-21"})
    assert iso.status_code == 200
    assert client.get(url, {"today": "2026/3/21"}).json() == iso.json()
    assert client.get(url).status_code == 200
