"""Demo cases walked through the real services, at different steps (idempotent)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal

from zeren.cases import rules, selectors, services
from zeren.cases.models import Case, CaseDocument, Violation
from zeren.core import workdays
from zeren.org.models import Division, User
from zeren.people.models import Person

# How far each demo case goes: filed, notified, heard, decided, served, archived.
PLAN = [
    "filed",
    "filed",
    "notified",
    "notified",
    "heard",
    "decided",
    "served",
    "served",
    "archived",
]
VIOLATIONS = ["sex-identification", "illegal-surgery", "forged-certificate", "false-certificate"]


def load(rng: random.Random, progress: Callable[[str], None]) -> None:
    if Case.objects.exists():
        return
    head = User.objects.filter(username="juzhang").first()
    officers = list(
        User.objects.filter(username__startswith="officer", officer__isnull=False)
        .exclude(username="officer10")  # the demo officer whose certificate lapsed
        .order_by("username")
    )
    persons = list(Person.objects.select_related("division__parent").order_by("id")[:40])
    if head is None or len(officers) < 2 or not persons:
        progress("案件演示数据：缺少演示账号或相对人，跳过")
        return
    cal = workdays.calendar()
    made = 0
    for n, until in enumerate(PLAN):
        person = persons[(n * 3) % len(persons)]
        township = person.division
        while township.level != Division.Level.TOWNSHIP and township.parent_id:
            township = township.parent
        pair = [officers[(2 * n) % len(officers)], officers[(2 * n + 1) % len(officers)]]
        handler = pair[0]
        filed_on = dt.date(2026, 3, 2) + dt.timedelta(days=7 * n)
        violation = Violation.objects.get(code=rng.choice(VIOLATIONS))
        case = services.case_file(
            actor=handler,
            kind="penalty",
            violation=violation,
            township=township,
            officers=[u.officer for u in pair],
            filed_on=filed_on,
            approved_by=head,
            act_date=filed_on - dt.timedelta(days=rng.randint(5, 60)),
            facts=f"群众举报，{person.name}涉嫌{violation.name}",
            person=person,
        )
        made += 1
        if until == "filed":
            continue
        day = cal.add_working_days(filed_on, 2)
        services.case_record_investigation(
            actor=handler,
            case=case,
            form=CaseDocument.Form.INTERVIEW,
            on=day,
            subject=person.name,
            content="问：是否实施了上述行为？答：是。",
            signatories=[person.name, str(pair[0]), str(pair[1])],
            recorded_by=[u.officer for u in pair],
        )
        notice_on = cal.add_working_days(day, 2)
        lenient = ["积极配合调查、如实陈述"]
        grade = rules.assess(selectors.violation_spec(violation), circumstances=lenient)
        amount = ((grade.grade_min + grade.grade_max) / 2 / 100).quantize(Decimal(1)) * 100
        services.case_serve_notice(
            actor=handler,
            case=case,
            served_on=notice_on,
            reasons="违法事实清楚，证据确凿",
            circumstances=lenient,
            amount=amount,
        )
        case.refresh_from_db()
        services.case_record_statement(
            actor=handler,
            case=case,
            on=cal.add_working_days(notice_on, 1),
            statement="当事人承认违法事实",
        )
        if until == "notified":
            continue
        last = cal.add_working_days(notice_on, 5)
        if until == "heard":
            services.case_request_hearing(actor=handler, case=case, requested_on=last)
            case.refresh_from_db()
            hearing_on = cal.add_working_days(last, 9)
            notice_on = cal.add_working_days(last, 1)
            chair = selectors.hearing_chair_candidates(case, notice_on).first()
            if chair is None:
                continue
            services.case_schedule_hearing(
                actor=handler,
                case=case,
                notice_on=notice_on,
                hearing_on=hearing_on,
                place="县卫健局三楼会议室",
                chair=chair,
            )
            continue
        approved_on = cal.add_working_days(last, 1)
        services.case_approve(
            actor=head,
            case=case,
            approved_on=approved_on,
            collective_on=approved_on,
            collective_minutes="局务会议集体讨论，同意按从轻情节处理",
            legal_review_on=approved_on,
            legal_review_opinion="事实清楚，证据确凿，程序合法，适用依据正确",
        )
        case.refresh_from_db()
        decided_on = cal.add_working_days(approved_on, 1)
        services.case_decide(actor=handler, case=case, decided_on=decided_on)
        case.refresh_from_db()
        if until == "decided":
            continue
        served_on = cal.add_working_days(decided_on, 2)
        services.case_serve_decision(
            actor=handler,
            case=case,
            served_on=served_on,
            recipient=person.name,
            recipient_role="本人",
            method="直接送达",
            signature=person.name,
        )
        case.refresh_from_db()
        if until == "served":
            continue
        services.case_record_payment(
            actor=handler,
            case=case,
            paid_on=cal.add_working_days(served_on, 5),
            amount=case.amount,
            kind="principal",
            receipt=f"FS{n:06d}",
        )
        case.refresh_from_db()
        closed_on = cal.add_working_days(served_on, 6)
        services.case_close(
            actor=handler, case=case, closed_on=closed_on, summary="当事人已自动履行完毕"
        )
        case.refresh_from_db()
        services.case_archive(
            actor=handler, case=case, archived_on=cal.add_working_days(closed_on, 5)
        )
    progress(f"演示案件：{made} 件（立案、告知、听证、决定、送达、归档各环节）")
