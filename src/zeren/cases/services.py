"""Every write on a case: the nine steps as guarded transitions, each recording a case event.

Each function checks the legal preconditions first and refuses with a ValidationError that
says why (in Chinese, naming the rule and its source); nothing is written when it refuses.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q, Sum

from zeren.cases import rules, selectors
from zeren.cases.models import (
    MONETARY_PENALTIES,
    SUMMARY_PENALTIES,
    Case,
    CaseDocument,
    CaseEvent,
    CaseKind,
    FileReview,
    Instalment,
    Payment,
    PenaltyKind,
    Recusal,
    Step,
    Violation,
)
from zeren.core import crypto, sequences, transitions, workdays
from zeren.core.audit import acting_as
from zeren.core.facts import check_fact_date, local_today
from zeren.core.permissions import require
from zeren.core.roles import Role
from zeren.org.models import Department, Division, Officer
from zeren.people.models import Person

LATER_THAN_APPROVAL = [Step.APPROVED, Step.DECIDED, Step.SERVED, Step.CLOSED, Step.ARCHIVED]
PERSON_RECIPIENTS = ("本人", "同住成年家属")
ORGANISATION_RECIPIENTS = ("法定代表人", "主要负责人", "负责收件的人")
SERVICE_METHODS = ("直接送达", "留置送达", "邮寄送达", "委托送达", "公告送达")


# -- helpers -------------------------------------------------------------------------------
def _require_case(actor: Any, case: Case, perm: str = "cases.change_case") -> None:
    """``core.permissions.require`` for a case: ``perm`` and the case in scope for its action."""
    require(
        actor,
        perm,
        "无权办理此案件",
        obj=case,
        action=perm.split(".")[1].split("_")[0],
        out_of_scope="该案件不在您的管辖范围内",
    )


def _require_step(case: Case, *steps: str, doing: str) -> None:
    if case.step not in steps:
        allowed = "、".join(Step(s).label for s in steps)
        raise ValidationError(
            f"案件当前环节为“{case.get_step_display()}”，{doing}须在“{allowed}”环节进行"
        )


def _name(user: Any) -> str:
    return str(user) if user is not None else "系统"


# What each recorded step is called in the reason for a refused date.
STEP_LABELS = {
    "file": "立案",
    "decide_on_spot": "当场处罚决定",
    "summary_report": "备案",
    "recusal_declared": "回避申请",
    "recusal_decided": "回避决定",
    "officer_added": "增派执法人员",
    "interview": "询问笔录",
    "inquiry": "调查笔录",
    "notice": "告知书送达",
    "statement": "陈述申辩",
    "hearing_requested": "听证申请",
    "hearing_notice": "听证通知",
    "hearing": "听证",
    "approve": "审批",
    "extend": "延长期限",
    "decide": "决定",
    "serve": "决定书送达",
    "payment": "缴款",
    "instalments": "分期缴纳",
    "reminder": "催告",
    "court": "申请强制执行",
    "close": "结案",
    "archive": "归档",
    "void": "作废",
}


def _check_step_date(
    case: Case, on: dt.date, action: str, *, after: tuple[dt.date, str] | None = None
) -> None:
    """A step happened no later than today and no earlier than the step it follows.

    By default the step it follows is the latest step already in the case file (the file
    reads as a story in date order); ``after`` names another one (a payment follows the
    service of the decision, not a reminder recorded in between).
    """
    if after is None:
        last = (
            case.events.exclude(action="void").order_by("-on", "-id").first() if case.pk else None
        )
        after = (last.on, STEP_LABELS.get(last.action, "前一环节")) if last else None
    check_fact_date(
        on,
        what=STEP_LABELS.get(action, "本环节"),
        after=after[0] if after else None,
        after_what=after[1] if after else "",
    )


def _event(
    case: Case,
    *,
    actor: Any,
    on: dt.date,
    action: str,
    summary: str,
    data: dict | None = None,
    after: tuple[dt.date, str] | None = None,
) -> CaseEvent:
    _check_step_date(case, on, action, after=after)
    return CaseEvent.objects.create(
        case=case,
        on=on,
        step=case.step,
        action=action,
        summary=summary,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_name=_name(actor),
        data=data or {},
    )


def _bureau_name(case: Case) -> str:
    department = (
        case.handler.department
        or Department.objects.filter(kind=Department.Kind.BUREAU).order_by("code").first()
    )
    return department.name if department else ""


def common_fields(case: Case) -> dict[str, Any]:
    """What every document of the case shows about the case and the party."""
    data: dict[str, Any] = {
        "bureau": _bureau_name(case),
        "case_number": case.number,
        "kind": case.get_kind_display(),
        "party_name": case.party_name,
        "party_kind": case.get_party_kind_display(),
        "violation": case.violation.name,
        "legal_basis": case.violation.legal_basis,
        "facts": case.facts,
        "act_date": f"{case.act_date:%Y年%m月%d日}",
        "township": case.township.name,
        "officers": "、".join(str(o) for o in case.officers.all()),
        "handler": str(case.handler),
        "rule_set": case.rule_set.name,
    }
    if case.party_kind == Case.PartyKind.PERSON and case.person_id:
        data["party_id"] = case.person.id_number_masked
        data["party_address"] = case.person.address
    else:
        data["party_id"] = case.organisation_code
        data["party_address"] = ""
        data["legal_representative"] = case.legal_representative
    if case.amount is not None:
        data["amount"] = f"{case.amount:.2f}"
    return data


def _document(
    case: Case, *, event: CaseEvent | None, form: str, on: dt.date, data: dict, number: str = ""
) -> CaseDocument:
    # One counter per case; documents written before the counter existed are adopted.
    sequence = sequences.next_value(
        authority=f"case-{case.pk}",
        kind="文书序号",
        year=0,
        adopt=lambda: case.documents.aggregate(m=Max("sequence"))["m"] or 0,
    )
    return CaseDocument.objects.create(
        case=case,
        event=event,
        sequence=sequence,
        form=form,
        number=number or f"{case.number}-{sequence:02d}",
        on=on,
        data={**common_fields(case), **data, "date": f"{on:%Y年%m月%d日}"},
    )


def _officer_problems(officers: list[Officer], on: dt.date) -> None:
    if len(officers) < 2:
        raise ValidationError(
            f"执法人员不得少于两人（行政处罚法第四十二条），本案只有{len(officers)}人"
        )
    for officer in officers:
        if officer.certificate_on(on) is None:
            raise ValidationError(
                f"执法人员{officer}在{on:%Y-%m-%d}没有有效的行政执法证（已过期、注销或未取得），"
                "不得参与调查（行政处罚法第四十二条、第五十五条）"
            )


def _active_officers(case: Case) -> list[Officer]:
    return list(case.officers.select_related("user"))


def _book(case: Case) -> rules.RuleBook:
    return selectors.rulebook(case.rule_set)


def _deadline(case: Case, key: str) -> rules.Deadline | None:
    for d in selectors.case_deadlines(case):
        if d.key == key:
            if d.error:
                raise ValidationError(d.error)
            return d  # a pending deadline (year not entered) has due None, never blocks
    return None


def _large_amount(case: Case, book: rules.RuleBook) -> Decimal | None:
    key = (
        "large_amount_person"
        if case.party_kind == Case.PartyKind.PERSON
        else "large_amount_organisation"
    )
    return book.number(key) if book.has(key) else None


def _check_scope(actor: Any, township: Division) -> None:
    if actor.is_superuser:
        return
    jurisdiction = actor.jurisdiction
    if jurisdiction is None or not township.is_within(jurisdiction):
        raise PermissionDenied("所选乡镇不在您的管辖范围内")


# The bureau numbers its case files and decisions (隆计案, 隆计罚决, 隆计征决, 隆计当罚).
NUMBER_AUTHORITY = "longyao-jsj"


def _next_number(prefix: str, year: int) -> str:
    """“隆计案〔2026〕7号”: the next number of ``prefix`` in ``year`` (core.sequences, locked)."""
    n = sequences.next_value(authority=NUMBER_AUTHORITY, kind=prefix, year=year)
    return f"{prefix}〔{year}〕{n}号"


def _lock_case(case: Case, *steps: str, doing: str) -> Case:
    """Lock the case row and re-check its step (core.transitions); the loser is told who won."""
    return transitions.lock(case, field="step", expected=steps, doing=doing)


# -- 1. filing -----------------------------------------------------------------------------
def case_file(
    *,
    actor: Any,
    kind: str,
    violation: Violation,
    township: Division,
    officers: list[Officer],
    filed_on: dt.date,
    approved_by: Any,
    act_date: dt.date,
    facts: str,
    act_end_date: dt.date | None = None,
    person: Person | None = None,
    organisation_name: str = "",
    organisation_code: str = "",
    legal_representative: str = "",
    birth_date: dt.date | None = None,
    serious: bool = False,
    complex: bool = False,
) -> Case:
    """Open a case with the head's approval; refused beyond the limitation period."""
    require(actor, "cases.add_case", "无权立案")
    _check_scope(actor, township)
    if approved_by is None or not approved_by.has_perm("cases.approve_case"):
        raise ValidationError("立案须经行政机关负责人批准：所选审批人无审批权限")
    if kind not in CaseKind.values:
        raise ValidationError(f"未知案件类别“{kind}”")
    if violation.kind != kind:
        raise ValidationError(f"违法行为“{violation}”不属于{CaseKind(kind).label}案件")
    if township.level != Division.Level.TOWNSHIP:
        raise ValidationError("请选择乡镇")
    if person is None and not organisation_name.strip():
        raise ValidationError("请指定当事人（公民或单位）")
    if person is None and not legal_representative.strip():
        raise ValidationError("单位当事人须填写法定代表人或主要负责人")
    if act_end_date is not None and act_end_date < act_date:
        raise ValidationError("违法行为终了日不能早于发生日")
    if act_date > filed_on:
        raise ValidationError("违法行为发生日不能晚于立案日")
    if not facts.strip():
        raise ValidationError("请填写案情摘要")
    rule_set = selectors.rule_set_in_force(filed_on)
    book = selectors.rulebook(rule_set)
    if kind == CaseKind.FEE:
        if birth_date is None:
            raise ValidationError("征收社会抚养费案件须填写子女出生日期")
        if book.has("fee_repeal") and filed_on >= book.date("fee_repeal"):
            item = book.get("fee_repeal")
            raise ValidationError(
                f"社会抚养费已于{book.date('fee_repeal'):%Y-%m-%d}停止征收，此日起不得立案征收"
                f"（不论子女出生日期；{item.citation}）"
            )
        if book.has("fee_abolition"):
            item = book.get("fee_abolition")
            abolished = book.date("fee_abolition")
            if birth_date > abolished:
                raise ValidationError(
                    f"子女出生于{birth_date:%Y-%m-%d}，在社会抚养费废止日{abolished:%Y-%m-%d}之后，"
                    f"不得立案征收（{item.citation}）"
                )
    limit = None
    if kind == CaseKind.PENALTY:
        limit = _check_limitation(book, act_date, act_end_date, serious, filed_on)
    _officer_problems(officers, filed_on)
    return _file(
        actor=actor,
        kind=kind,
        violation=violation,
        township=township,
        officers=officers,
        filed_on=filed_on,
        approved_by=approved_by,
        act_date=act_date,
        facts=facts,
        act_end_date=act_end_date,
        person=person,
        organisation_name=organisation_name,
        organisation_code=organisation_code,
        legal_representative=legal_representative,
        birth_date=birth_date,
        serious=serious,
        complex=complex,
        rule_set=rule_set,
        limitation=limit.arithmetic if limit else "社会抚养费不适用行政处罚时效",
    )


def _check_limitation(
    book: rules.RuleBook,
    act_date: dt.date,
    act_end_date: dt.date | None,
    serious: bool,
    filed_on: dt.date,
) -> workdays.Computed:
    """Refuse a filing beyond the limitation (APL 2021 Art. 36; 1996 Art. 29).

    The version is the one of the act, unless the law on ``filed_on`` is lighter (Art. 37):
    ``rules.limitation_rule`` on the dated versions. ``book`` is kept for the callers.
    """
    ended = act_end_date or act_date
    version, choice = rules.limitation_rule(
        selectors.timeline(), act_on=ended, decided_on=filed_on, serious=serious
    )
    item = version.item
    limit = workdays.calendar().period_end(ended, int(item.number), item.unit)
    if filed_on > limit.date:
        raise ValidationError(
            f"已超过处罚时效：违法行为{'终了' if act_end_date else '发生'}于{ended:%Y-%m-%d}，"
            f"{item.period_text}时效至{limit.date:%Y-%m-%d}（{item.citation}），"
            f"立案日{filed_on:%Y-%m-%d}已超过，不得立案" + (f"（{choice}）" if choice else "")
        )
    return limit


def _file(*, actor: Any, rule_set: Any, limitation: str, **kw: Any) -> Case:
    officers = kw.pop("officers")
    approved_by = kw["approved_by"]
    filed_on = kw["filed_on"]
    person = kw["person"]
    with transaction.atomic(), acting_as(actor):
        number = _next_number("隆计案", filed_on.year)
        case = Case.objects.create(
            number=number,
            kind=kw["kind"],
            rule_set=rule_set,
            party_kind=Case.PartyKind.PERSON if person else Case.PartyKind.ORGANISATION,
            person=person,
            organisation_name=kw["organisation_name"].strip(),
            organisation_code=kw["organisation_code"].strip(),
            legal_representative=kw["legal_representative"].strip(),
            violation=kw["violation"],
            facts=kw["facts"].strip(),
            act_date=kw["act_date"],
            act_end_date=kw["act_end_date"],
            birth_date=kw["birth_date"],
            serious=kw["serious"],
            complex=kw["complex"],
            township=kw["township"],
            handler=actor,
            filed_on=filed_on,
            filing_approved_by=approved_by,
        )
        case.officers.set(officers)
        event = _event(
            case,
            actor=actor,
            on=filed_on,
            action="file",
            summary=f"立案，经{approved_by}批准；适用{rule_set.name}",
            data={"approved_by": str(approved_by), "limitation": limitation},
        )
        _document(
            case,
            event=event,
            form=CaseDocument.Form.FILING,
            on=filed_on,
            data={"approved_by": str(approved_by), "limitation": limitation},
        )
    return case


# -- summary procedure (简易程序: a decision on the spot) ------------------------------------
def _summary_limit(book: rules.RuleBook, party_kind: str) -> rules.RuleItem | None:
    key = (
        "summary_limit_person"
        if party_kind == Case.PartyKind.PERSON
        else "summary_limit_organisation"
    )
    return book.get(key) if book.has(key) else None


def case_decide_on_spot(
    *,
    actor: Any,
    violation: Violation,
    township: Division,
    officers: list[Officer],
    decided_on: dt.date,
    place: str,
    act_date: dt.date,
    facts: str,
    facts_certain: bool,
    reasons: str,
    statement: str,
    amount: Decimal | None,
    act_end_date: dt.date | None = None,
    person: Person | None = None,
    organisation_name: str = "",
    organisation_code: str = "",
    legal_representative: str = "",
    recipient: str = "",
    recipient_role: str = "",
    signature: str = "",
    refused_to_sign: bool = False,
    penalty_kind: str = PenaltyKind.FINE,
) -> Case:
    """Decide a warning or a small fine on the spot and hand the decision over (Arts. 51-52).

    ``penalty_kind``: ``warning`` (警告, no amount: ``amount`` None) or ``fine`` (yuan, up to
    the rule set's limit for the party). Any other kind of Art. 9 is refused.

    Only when the facts are certain, there is a legal basis, the fine is within the rule
    set's threshold for the party, and every officer deciding holds a certificate valid that
    day. The party is told the facts, reasons and basis and heard; handing the decision over
    on the spot is its service. The case opens at the enforcement step; the decision must
    then be reported to the bureau for the record (``case_report_summary``).
    """
    require(actor, "cases.add_case", "无权当场作出处罚决定")
    _check_scope(actor, township)
    if violation.kind != CaseKind.PENALTY:
        raise ValidationError("简易程序只适用于行政处罚，社会抚养费不得当场征收")
    if township.level != Division.Level.TOWNSHIP:
        raise ValidationError("请选择乡镇")
    if person is None and not organisation_name.strip():
        raise ValidationError("请指定当事人（公民或单位）")
    if person is None and not legal_representative.strip():
        raise ValidationError("单位当事人须填写法定代表人或主要负责人")
    if act_end_date is not None and act_end_date < act_date:
        raise ValidationError("违法行为终了日不能早于发生日")
    if act_date > decided_on:
        raise ValidationError("违法行为发生日不能晚于决定日")
    if not facts.strip():
        raise ValidationError("请填写违法事实")
    if not facts_certain:
        raise ValidationError(
            "当场处罚须违法事实确凿（行政处罚法第五十一条）；事实尚需调查核实的，应按普通程序立案调查"
        )
    if not violation.legal_basis.strip():
        raise ValidationError(
            f"“{violation}”没有载明法定依据，不得当场处罚（行政处罚法第五十一条）"
        )
    rule_set = selectors.rule_set_in_force(decided_on)
    book = selectors.rulebook(rule_set)
    party_kind = Case.PartyKind.PERSON if person else Case.PartyKind.ORGANISATION
    limit = _summary_limit(book, party_kind)
    if limit is None:
        raise ValidationError(
            f"{decided_on:%Y-%m-%d}适用的“{book.name}”没有简易程序（当场处罚），请按普通程序立案"
        )
    if penalty_kind not in SUMMARY_PENALTIES:
        label = (
            PenaltyKind(penalty_kind).label if penalty_kind in PenaltyKind.values else penalty_kind
        )
        raise ValidationError(
            f"简易程序只能当场给予警告或者限额以下罚款（行政处罚法第五十一条），"
            f"“{label}”请按普通程序立案"
        )
    warning = penalty_kind == PenaltyKind.WARNING
    if warning and amount:
        raise ValidationError(
            "警告不处罚款，请不要填写金额；既警告又罚款的请选“罚款”并在理由中写明"
        )
    amount = Decimal(0) if warning else Decimal(amount or 0)
    if not warning and (amount <= 0 or amount != amount.quantize(rules.CENT)):
        raise ValidationError("罚款金额应大于零且最多两位小数")
    if not warning and amount > limit.number:
        raise ValidationError(
            f"罚款{rules.money(amount)}元超过简易程序上限：对{Case.PartyKind(party_kind).label}"
            f"处{limit.value}元以下罚款方可当场作出（{limit.citation}），请按普通程序立案"
        )
    lo, hi, how = (
        (amount, amount, "")
        if warning
        else rules.legal_range(selectors.violation_spec(violation), gains=None, base_income=None)
    )
    if not lo <= amount <= hi:
        raise ValidationError(
            f"罚款{rules.money(amount)}元超出法定幅度{lo}～{hi}元（{how}），不得作出"
        )
    limitation = _check_limitation(book, act_date, act_end_date, False, decided_on)
    if not officers:
        raise ValidationError("请指定当场作出决定的执法人员")
    for officer in officers:
        if officer.certificate_on(decided_on) is None:
            raise ValidationError(
                f"执法人员{officer}在{decided_on:%Y-%m-%d}没有有效的行政执法证（已过期、注销或未取得），"
                "不得当场作出处罚决定（行政处罚法第五十二条：应当向当事人出示执法证件）"
            )
    if not reasons.strip():
        raise ValidationError("须告知当事人作出处罚的事实、理由和依据（行政处罚法第四十四条）")
    if not statement.strip():
        raise ValidationError(
            "须听取当事人的陈述申辩并记录，或注明当事人放弃陈述申辩（行政处罚法第四十五条）"
        )
    allowed = PERSON_RECIPIENTS if person else ORGANISATION_RECIPIENTS
    recipient_role = recipient_role or allowed[0]
    if recipient_role not in allowed:
        raise ValidationError(f"签收人身份应为：{'、'.join(allowed)}")
    recipient = (recipient or (person.name if person else legal_representative)).strip()
    if not refused_to_sign and not signature.strip():
        raise ValidationError("决定书须由当事人签收；当事人拒绝签收的，请勾选并在决定书上注明")
    probe = Case(
        person=person,
        organisation_code=organisation_code.strip(),
        organisation_name=organisation_name.strip(),
        violation=violation,
        act_date=act_date,
    )
    earlier = earlier_fine(probe)
    if earlier is not None:
        raise ValidationError(
            f"同一当事人的同一违法行为已在案件{earlier.number}中给予"
            f"{earlier.get_kind_display()}，不得再次处罚（行政处罚法第二十九条）"
        )
    pay = book.get("fine_payment")
    due = None
    if not warning:
        due = rules.span(workdays.calendar(), decided_on, pay)
    report = book.get("summary_report") if book.has("summary_report") else None
    with transaction.atomic(), acting_as(actor):
        case = Case.objects.create(
            number=_next_number("隆计案", decided_on.year),
            kind=CaseKind.PENALTY,
            procedure=Case.Procedure.SUMMARY,
            rule_set=rule_set,
            step=Step.SERVED,
            party_kind=party_kind,
            person=person,
            organisation_name=organisation_name.strip(),
            organisation_code=organisation_code.strip(),
            legal_representative=legal_representative.strip(),
            violation=violation,
            facts=facts.strip(),
            act_date=act_date,
            act_end_date=act_end_date,
            township=township,
            handler=actor,
            filed_on=decided_on,
            statement=statement.strip(),
            statement_recorded_on=decided_on,
            amount=None if warning else rules.money(amount),
            penalty_kind=penalty_kind,
            decided_on=decided_on,
            decision_number=_next_number("隆计当罚", decided_on.year),
            served_on=decided_on,
            service_recipient=recipient,
            service_recipient_role=recipient_role,
            service_method="当场交付",
            service_signature="" if refused_to_sign else signature.strip(),
            due_on=due.date if due else None,
        )
        case.officers.set(officers)
        certificates = "、".join(f"{o}（{o.certificate_on(decided_on).number}）" for o in officers)
        receipt = (
            "当事人拒绝签收，已在决定书上注明（行政处罚法第五十二条）"
            if refused_to_sign
            else f"{recipient_role}{recipient}当场签收：{signature.strip()}"
        )
        event = _event(
            case,
            actor=actor,
            on=decided_on,
            action="decide_on_spot",
            summary=(
                f"简易程序：{place.strip()}当场作出处罚决定{case.decision_number}，"
                + ("警告" if warning else f"罚款{case.amount}元")
                + f"，出示执法证{certificates}；"
                + ("当事人拒绝签收" if refused_to_sign else f"当场交付{recipient}签收")
            ),
            data={"limitation": limitation.arithmetic, "due": due.arithmetic if due else ""},
        )
        _document(
            case,
            event=event,
            form=CaseDocument.Form.DECISION_ON_SPOT,
            on=decided_on,
            number=case.decision_number,
            data={
                "decision_number": case.decision_number,
                "penalty_kind": "警告" if warning else "罚款",
                "decided_date": f"{decided_on:%Y年%m月%d日}",
                "place": place.strip(),
                "officer_certificates": certificates,
                "reasons": reasons.strip(),
                "summary_basis": (
                    f"违法事实确凿并有法定依据，对{Case.PartyKind(party_kind).label}"
                    + (
                        f"予以警告（{limit.citation}）"
                        if warning
                        else f"处{case.amount}元罚款，不超过{limit.value}元（{limit.citation}）"
                    )
                    + "，"
                    "依照行政处罚法第五十二条当场作出本决定"
                    + (f"；本决定报所属行政机关备案（{report.citation}）" if report else "")
                ),
                "statement": statement.strip(),
                "payment": ""
                if warning
                else f"自收到本决定书之日起{pay.period_text}内缴纳（{pay.citation}）",
                "remedies": "如不服本决定，可以在收到本决定书之日起六十日内申请行政复议，"
                "或者在六个月内依法向人民法院提起行政诉讼。",
                "receipt": receipt,
            },
        )
    return case


def case_report_summary(*, actor: Any, case: Case, reported_on: dt.date) -> None:
    """Record that a decision on the spot was reported to the bureau (备案); late is noted."""
    _require_case(actor, case)
    if case.procedure != Case.Procedure.SUMMARY:
        raise ValidationError("只有当场作出的处罚决定需要备案")
    if case.summary_reported_on is not None:
        raise ValidationError(f"已于{case.summary_reported_on:%Y-%m-%d}备案")
    if reported_on < case.decided_on:
        raise ValidationError("备案日期不能早于决定日期")
    deadline = _deadline(case, "summary_report")
    late = deadline is not None and deadline.due is not None and reported_on > deadline.due
    with transaction.atomic(), acting_as(actor):
        transitions.lock(case, field="summary_reported_on", expected=[None], doing="备案")
        case.summary_reported_on = reported_on
        case.save()
        summary = f"当场处罚决定{case.decision_number}报所属行政机关备案"
        if late:
            summary += f"（逾期：应于{deadline.due:%Y-%m-%d}前备案，{deadline.source}）"
        _event(case, actor=actor, on=reported_on, action="summary_report", summary=summary)


# -- 2. investigation ----------------------------------------------------------------------
def case_record_investigation(
    *,
    actor: Any,
    case: Case,
    form: str,
    on: dt.date,
    subject: str,
    content: str,
    signatories: list[str],
    recorded_by: list[Officer],
) -> CaseDocument:
    """An interview record (the party) or an inquiry record (others), signed.

    ``signatories`` are the names of those questioned (and witnesses) who signed;
    ``recorded_by`` the enforcement officers who conducted it and signed: at least two
    distinct officers of this case, each holding an enforcement certificate valid on ``on``
    (Administrative Penalty Law 2021 Art. 42 and 55). Raises ValidationError otherwise, and for
    a date after today or before the latest step of the case.
    """
    _require_case(actor, case)
    _require_step(case, Step.FILED, doing="制作调查笔录")
    if form not in (CaseDocument.Form.INTERVIEW, CaseDocument.Form.INQUIRY):
        raise ValidationError("笔录类型应为询问笔录或调查笔录")
    if on < case.filed_on:
        raise ValidationError("笔录日期不能早于立案日期")
    names = [s.strip() for s in signatories if s.strip()]
    if not subject.strip() or not names:
        raise ValidationError("笔录须载明被询问（调查）人并由其签名")
    _check_step_date(case, on, form)
    signing = _record_officers(case, recorded_by, on)
    label = CaseDocument.Form(form).label
    with transaction.atomic(), acting_as(actor):
        _lock_case(case, Step.FILED, doing="制作调查笔录")
        event = _event(
            case,
            actor=actor,
            on=on,
            action=form,
            summary=f"{label}：{subject.strip()}，签名：{'、'.join(names)}；"
            f"执法人员：{'、'.join(str(o) for o in signing)}",
            data={
                "subject": subject.strip(),
                "signatories": names,
                "recorded_by": [o.pk for o in signing],
            },
        )
        return _document(
            case,
            event=event,
            form=form,
            on=on,
            data={
                "subject": subject.strip(),
                "content": content.strip(),
                "signatories": "、".join(names),
                "officers": "、".join(
                    f"{o}（执法证{o.certificate_on(on).number}）" for o in signing
                ),
            },
        )


def _record_officers(case: Case, officers: list[Officer], on: dt.date) -> list[Officer]:
    """The officers signing a record: two or more distinct ones of this case, certified on ``on``.

    Administrative Penalty Law 2021 Art. 42 (no fewer than two officers, with certificates) and
    Art. 55 (they show their certificates and sign the record). Raises ValidationError.
    """
    distinct = list({o.pk: o for o in officers or []}.values())
    if len(distinct) < 2:
        raise ValidationError(
            f"执法人员不得少于两人（行政处罚法第四十二条、第五十五条）：笔录须由两名以上"
            f"本案执法人员签名，本笔录只有{len(distinct)}名"
        )
    on_case = set(case.officers.values_list("pk", flat=True))
    for officer in distinct:
        if officer.pk not in on_case:
            raise ValidationError(f"{officer}不是本案执法人员（或已回避），不能在笔录上签名")
        if officer.certificate_on(on) is None:
            raise ValidationError(
                f"执法人员{officer}在{on:%Y-%m-%d}没有有效的行政执法证（已过期、注销或未取得），"
                "不能在笔录上签名"
            )
    return distinct


VOIDABLE = (
    CaseDocument.Form.INTERVIEW,
    CaseDocument.Form.INQUIRY,
    CaseDocument.Form.HEARING_RECORD,
)


def case_document_void(
    *, actor: Any, document: CaseDocument, reason: str, on: dt.date | None = None
) -> CaseDocument:
    """Void a wrong record (询问笔录, 调查笔录, 听证笔录) with the reason: it is kept in the file,
    marked void, and listed as void in the file catalogue; a new record can then be made.

    ``on`` (default today, Asia/Shanghai) must not be after today nor before the record's date.
    Raises ValidationError for another kind of document, one already void, a missing reason,
    or a case already archived (the bound file is not changed).
    """
    case = document.case
    _require_case(actor, case)
    if document.form not in VOIDABLE:
        labels = "、".join(CaseDocument.Form(f).label for f in VOIDABLE)
        raise ValidationError(f"只有{labels}可以作废；{document.get_form_display()}不能作废")
    if document.voided_on is not None:
        raise ValidationError(f"{document.number}已于{document.voided_on:%Y-%m-%d}作废")
    if case.step == Step.ARCHIVED:
        raise ValidationError("案件已归档，卷内文书不能再作废")
    if not reason.strip():
        raise ValidationError("请填写作废理由")
    on = on or local_today()
    check_fact_date(on, what="作废", after=document.on, after_what=document.get_form_display())
    with transaction.atomic(), acting_as(actor):
        # Two clerks voiding the same record at once: one void, one refusal naming the first.
        transitions.lock(document, field="voided_on", expected=[None], doing="作废")
        document.voided_on = on
        document.void_reason = reason.strip()
        document.voided_by = actor if getattr(actor, "is_authenticated", False) else None
        document.save()
        CaseEvent.objects.create(
            case=case,
            on=on,
            step=case.step,
            action="void",
            summary=f"作废{document.number}{document.get_form_display()}：{reason.strip()}",
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            actor_name=_name(actor),
            data={"document": document.pk, "reason": reason.strip()},
        )
    return document


def case_declare_recusal(
    *, actor: Any, case: Case, officer: Officer, declared_by: str, on: dt.date, reason: str
) -> Recusal:
    """Record that the party or the officer asks for the officer to step aside."""
    _require_case(actor, case)
    if not reason.strip():
        raise ValidationError("请填写回避理由")
    with transaction.atomic(), acting_as(actor):
        recusal = Recusal.objects.create(
            case=case,
            officer=officer,
            declared_by=declared_by,
            declared_on=on,
            reason=reason.strip(),
        )
        _event(
            case,
            actor=actor,
            on=on,
            action="recusal_declared",
            summary=f"{declared_by}申请{officer}回避：{reason.strip()}",
        )
    return recusal


def case_decide_recusal(*, actor: Any, recusal: Recusal, granted: bool, on: dt.date) -> Recusal:
    """The head decides a recusal; a granted one takes the officer off the case."""
    case = recusal.case
    _require_case(actor, case, "cases.approve_case")
    if recusal.decision != Recusal.Decision.PENDING:
        raise ValidationError("该回避申请已经作出决定")
    with transaction.atomic(), acting_as(actor):
        transitions.lock(
            recusal, field="decision", expected=[Recusal.Decision.PENDING], doing="作出回避决定"
        )
        recusal.decision = Recusal.Decision.GRANTED if granted else Recusal.Decision.REFUSED
        recusal.decided_on = on
        recusal.decided_by = actor
        recusal.save()
        if granted:
            case.officers.remove(recusal.officer)
        _event(
            case,
            actor=actor,
            on=on,
            action="recusal_decided",
            summary=f"{'准予' if granted else '不予'}{recusal.officer}回避",
        )
    return recusal


def case_add_officer(*, actor: Any, case: Case, officer: Officer, on: dt.date) -> None:
    _require_case(actor, case)
    if Recusal.objects.filter(
        case=case, officer=officer, decision=Recusal.Decision.GRANTED
    ).exists():
        raise ValidationError(f"{officer}已在本案回避，不得再参与")
    if officer.certificate_on(on) is None:
        raise ValidationError(f"执法人员{officer}在{on:%Y-%m-%d}没有有效的行政执法证")
    with transaction.atomic(), acting_as(actor):
        case.officers.add(officer)
        _event(case, actor=actor, on=on, action="officer_added", summary=f"增派执法人员{officer}")


# -- 3. notice -----------------------------------------------------------------------------
def case_serve_notice(
    *,
    actor: Any,
    case: Case,
    served_on: dt.date,
    reasons: str,
    circumstances: list[str],
    amount: Decimal,
    gains: Decimal | None = None,
    base_income: Decimal | None = None,
    amount_reason: str = "",
) -> CaseDocument:
    """Close the investigation and tell the party the intended decision and their rights."""
    _require_case(actor, case)
    _require_step(case, Step.FILED, doing="告知")
    if served_on < case.filed_on:
        raise ValidationError("告知日期不能早于立案日期")
    if not case.documents.filter(
        form__in=[CaseDocument.Form.INTERVIEW, CaseDocument.Form.INQUIRY], voided_on__isnull=True
    ).exists():
        raise ValidationError("尚无经签名的询问笔录或调查笔录，调查未终结，不能告知")
    if case.recusals.filter(decision=Recusal.Decision.PENDING).exists():
        raise ValidationError("有回避申请尚未决定，须先由负责人决定")
    _officer_problems(_active_officers(case), served_on)
    if not reasons.strip():
        raise ValidationError("告知书须写明作出决定的理由")
    spec = selectors.violation_spec(case.violation)
    assessment = rules.assess(
        spec,
        circumstances=circumstances,
        gains=gains,
        base_income=base_income,
        amount=Decimal(amount),
        reason=amount_reason,
    )
    book = _book(case)
    hearing = book.get("hearing_request")
    rights = (
        f"当事人有权进行陈述和申辩；有权在收到本告知书之日起{hearing.period_text}内要求听证"
        f"（{hearing.citation}），听证不收取费用。"
    )
    with transaction.atomic(), acting_as(actor):
        _lock_case(case, Step.FILED, doing="告知")
        case.step = Step.NOTIFIED
        case.notice_served_on = served_on
        case.grade = assessment.grade
        case.circumstances = circumstances
        case.gains = gains
        case.base_income = base_income
        case.amount = assessment.amount
        case.amount_reason = amount_reason.strip()
        case.save()
        event = _event(
            case,
            actor=actor,
            on=served_on,
            action="notice",
            summary=f"调查终结，送达告知书，拟{case.get_kind_display()}{assessment.amount}元",
            data={"assessment": assessment.as_dict()},
        )
        return _document(
            case,
            event=event,
            form=CaseDocument.Form.NOTICE,
            on=served_on,
            data={
                "reasons": reasons.strip(),
                "reasoning": "；".join(assessment.reasoning),
                "rights": rights,
                "grade": rules.GRADE_LABELS[assessment.grade],
            },
        )


def case_record_statement(
    *, actor: Any, case: Case, on: dt.date, statement: str, waive_hearing: bool = False
) -> None:
    """Record the party's statement and defence (or that they made none)."""
    _require_case(actor, case)
    _require_step(case, Step.NOTIFIED, Step.HEARING, doing="记录陈述申辩")
    if not statement.strip():
        raise ValidationError("请记录当事人的陈述申辩内容，或注明当事人放弃陈述申辩")
    if on < case.notice_served_on:
        raise ValidationError("陈述申辩日期不能早于告知日期")
    with transaction.atomic(), acting_as(actor):
        _lock_case(case, Step.NOTIFIED, Step.HEARING, doing="记录陈述申辩")
        case.statement = statement.strip()
        case.statement_recorded_on = on
        if waive_hearing and case.hearing_requested_on is None:
            case.hearing_waived = True
        case.save()
        _event(
            case,
            actor=actor,
            on=on,
            action="statement",
            summary="记录陈述申辩" + ("，当事人书面放弃听证" if case.hearing_waived else ""),
            data={"statement": case.statement},
        )


# -- 5. hearing ----------------------------------------------------------------------------
def case_request_hearing(*, actor: Any, case: Case, requested_on: dt.date) -> None:
    """The party asks for a hearing; refused when asked after the period."""
    _require_case(actor, case)
    _require_step(case, Step.NOTIFIED, doing="申请听证")
    if case.hearing_waived:
        raise ValidationError("当事人已书面放弃听证")
    deadline = _deadline(case, "hearing_request")
    assert deadline is not None
    if requested_on < case.notice_served_on:
        raise ValidationError("听证申请日期不能早于告知日期")
    if deadline.due is None and deadline.bound and requested_on > deadline.bound:
        raise ValidationError(
            f"听证申请期限{deadline.pending}，无法判断{requested_on:%Y-%m-%d}的申请是否逾期；"
            "请系统管理员先录入该年节假日安排"
        )
    if deadline.due is not None and requested_on > deadline.due:
        raise ValidationError(
            f"听证申请逾期：告知书于{case.notice_served_on:%Y-%m-%d}送达，"
            f"应在{deadline.due:%Y-%m-%d}前提出（{deadline.rule}，{deadline.source}；"
            f"{deadline.arithmetic}），实际于{requested_on:%Y-%m-%d}提出"
        )
    with transaction.atomic(), acting_as(actor):
        _lock_case(case, Step.NOTIFIED, doing="申请听证")
        case.step = Step.HEARING
        case.hearing_requested_on = requested_on
        case.save()
        _event(
            case,
            actor=actor,
            on=requested_on,
            action="hearing_requested",
            summary=f"当事人申请听证（期限至{deadline.due:%Y-%m-%d}）",
        )


def case_schedule_hearing(
    *,
    actor: Any,
    case: Case,
    notice_on: dt.date,
    hearing_on: dt.date,
    place: str,
    chair: Any,
) -> CaseDocument:
    """Notify the party of the hearing, at least N days ahead, with a chair not on the case.

    ``chair`` (a user) must be one of :func:`selectors.hearing_chair_candidates` on
    ``notice_on``: a certified officer of the bureau not involved in the case, never an
    administrator or a partner department's account (Administrative Penalty Law 2021 Art. 64).
    Raises ValidationError with the reason otherwise.
    """
    _require_case(actor, case)
    _require_step(case, Step.HEARING, doing="通知听证")
    if case.hearing_held_on:
        raise ValidationError("听证已经举行")
    _check_chair(case, chair, notice_on)
    book = _book(case)
    item = book.get("hearing_notice")
    latest = workdays.calendar().latest_before(hearing_on, int(item.number), item.unit)
    if notice_on > latest.date:
        raise ValidationError(
            f"听证日期过近：须在听证{item.period_text}前通知（{item.citation}），"
            f"听证定于{hearing_on:%Y-%m-%d}，最迟应于{latest.date:%Y-%m-%d}通知"
            f"（{latest.arithmetic}），实际通知日{notice_on:%Y-%m-%d}"
        )
    if notice_on < case.hearing_requested_on:
        raise ValidationError("听证通知日期不能早于听证申请日期")
    with transaction.atomic(), acting_as(actor):
        _lock_case(case, Step.HEARING, doing="通知听证")
        case.hearing_notice_on = notice_on
        case.hearing_on = hearing_on
        case.hearing_place = place.strip()
        case.hearing_chair = chair
        case.save()
        event = _event(
            case,
            actor=actor,
            on=notice_on,
            action="hearing_notice",
            summary=f"通知听证：{hearing_on:%Y-%m-%d}在{place.strip()}举行，主持人{chair}",
        )
        return _document(
            case,
            event=event,
            form=CaseDocument.Form.HEARING_NOTICE,
            on=notice_on,
            data={
                "hearing_date": f"{hearing_on:%Y年%m月%d日}",
                "hearing_place": place.strip(),
                "chair": str(chair),
                "free": "当事人不承担组织听证的费用。",
            },
        )


def _check_chair(case: Case, chair: Any, on: dt.date) -> None:
    """Refuse a hearing chair who is not one of the eligible candidates, saying why."""
    if chair is None:
        raise ValidationError("请指定听证主持人")
    if chair.pk == case.handler_id or case.officers.filter(user=chair).exists():
        raise ValidationError("听证主持人应由非本案调查人员担任（回避），请另行指定")
    if chair.is_superuser or getattr(chair, "role", "") == Role.ADMIN:
        raise ValidationError("系统管理员账号不能担任听证主持人，请指定本局持证执法人员")
    department = getattr(chair, "department", None)
    if department is None or department.kind != Department.Kind.BUREAU:
        raise ValidationError("听证主持人应为本局执法人员，协作部门或无部门的账号不能担任")
    if not selectors.hearing_chair_candidates(case, on).filter(pk=chair.pk).exists():
        raise ValidationError(
            f"{chair}在{on:%Y-%m-%d}不是持有效行政执法证、且未参与本案的本局执法人员，"
            "不能担任听证主持人"
        )


def case_record_hearing(
    *, actor: Any, case: Case, held_on: dt.date, record: str, signatories: list[str]
) -> CaseDocument:
    _require_case(actor, case)
    _require_step(case, Step.HEARING, doing="记录听证")
    if case.hearing_on is None:
        raise ValidationError("尚未通知听证")
    if held_on < case.hearing_on:
        raise ValidationError("听证不得早于通知的日期举行")
    names = [s.strip() for s in signatories if s.strip()]
    if not record.strip() or not names:
        raise ValidationError("听证笔录须记载听证情况并由参加人签名")
    with transaction.atomic(), acting_as(actor):
        _lock_case(case, Step.HEARING, doing="记录听证")
        case.hearing_held_on = held_on
        case.save()
        event = _event(case, actor=actor, on=held_on, action="hearing", summary="举行听证")
        return _document(
            case,
            event=event,
            form=CaseDocument.Form.HEARING_RECORD,
            on=held_on,
            data={
                "content": record.strip(),
                "signatories": "、".join(names),
                "chair": str(case.hearing_chair),
            },
        )


# -- 4. approval ---------------------------------------------------------------------------
def earlier_fine(case: Case) -> Case | None:
    """Another case that already fined the same party for the same act, if any."""
    same_party = (
        Q(person_id=case.person_id)
        if case.person_id
        else (
            Q(organisation_code=case.organisation_code)
            if case.organisation_code
            else Q(organisation_name_hash=crypto.blind_index(case.organisation_name))
        )
    )
    return (
        Case.objects.filter(
            same_party,
            violation=case.violation,
            act_date=case.act_date,
            step__in=LATER_THAN_APPROVAL,
        )
        .exclude(pk=case.pk)
        .order_by("filed_on")
        .first()
    )


def case_approve(
    *,
    actor: Any,
    case: Case,
    approved_on: dt.date,
    amount: Decimal | None = None,
    collective_on: dt.date | None = None,
    collective_minutes: str = "",
    legal_review_on: dt.date | None = None,
    legal_review_opinion: str = "",
) -> CaseDocument:
    """The head approves the decision, after collective discussion and legal review if needed."""
    _require_case(actor, case, "cases.approve_case")
    _require_step(case, Step.NOTIFIED, Step.HEARING, doing="审批")
    book = _book(case)
    if case.step == Step.HEARING and case.hearing_held_on is None:
        raise ValidationError("当事人已申请听证，须在听证举行后审批")
    if case.step == Step.NOTIFIED and not case.hearing_waived:
        deadline = _deadline(case, "hearing_request")
        if deadline and (deadline.due is None or approved_on <= deadline.due):
            raise ValidationError(
                f"听证申请期限至{deadline.due or deadline.pending}（{deadline.rule}），"
                "期满前不得审批（当事人书面放弃听证的除外）"
            )
    if case.statement_recorded_on is None:
        raise ValidationError("尚未记录当事人的陈述申辩（或其放弃陈述申辩），不能审批")
    earlier = earlier_fine(case)
    if earlier is not None:
        raise ValidationError(
            f"同一当事人的同一违法行为已在案件{earlier.number}中给予"
            f"{earlier.get_kind_display()}，不得再次处罚（行政处罚法第二十九条）"
        )
    amount = case.amount if amount is None else Decimal(amount)
    if case.amount is not None and amount > case.amount:
        raise ValidationError(
            f"决定金额{amount}元高于告知的{case.amount}元：不得因陈述申辩加重处罚，"
            "如需加重应重新告知"
        )
    spec = selectors.violation_spec(case.violation)
    assessment = rules.assess(
        spec,
        circumstances=case.circumstances,
        gains=case.gains,
        base_income=case.base_income,
        amount=amount,
        reason=case.amount_reason,
        large_amount=_large_amount(case, book),
    )
    reasons = []
    if case.complex:
        reasons.append("案情复杂或重大")
    if assessment.outside_grade:
        reasons.append("金额超出裁量档幅度")
    if assessment.large_amount:
        reasons.append("较大数额")
    if reasons and (collective_on is None or not collective_minutes.strip()):
        raise ValidationError(f"{'、'.join(reasons)}，须经负责人集体讨论决定，并附集体讨论纪要")
    if book.has("legal_review"):
        review_reasons = list(reasons)
        if case.hearing_held_on:
            review_reasons.append("经过听证")
        if review_reasons and (legal_review_on is None or not legal_review_opinion.strip()):
            item = book.get("legal_review")
            raise ValidationError(
                f"{'、'.join(review_reasons)}的案件，决定前须经法制审核（{item.citation}）"
            )
    if approved_on < (case.hearing_held_on or case.notice_served_on):
        raise ValidationError("审批日期不能早于告知或听证日期")
    with transaction.atomic(), acting_as(actor):
        _lock_case(case, Step.NOTIFIED, Step.HEARING, doing="审批")
        case.step = Step.APPROVED
        case.amount = assessment.amount
        case.approved_on = approved_on
        case.approved_by = actor
        case.collective_on = collective_on
        case.collective_minutes = collective_minutes.strip()
        case.legal_review_on = legal_review_on
        case.legal_review_opinion = legal_review_opinion.strip()
        case.save()
        event = _event(
            case,
            actor=actor,
            on=approved_on,
            action="approve",
            summary=f"负责人{actor}审批同意，金额{assessment.amount}元"
            + ("，经集体讨论" if collective_on else ""),
            data={"assessment": assessment.as_dict()},
        )
        return _document(
            case,
            event=event,
            form=CaseDocument.Form.APPROVAL,
            on=approved_on,
            data={
                "approved_by": str(actor),
                "reasoning": "；".join(assessment.reasoning),
                "collective": collective_minutes.strip() or "无需集体讨论",
                "legal_review": legal_review_opinion.strip() or "无需法制审核",
                "statement": case.statement,
            },
        )


def case_extend_decision(*, actor: Any, case: Case, days: int, reason: str, on: dt.date) -> None:
    """The head extends the period to decide (2021 law Art. 60 allows exceptions)."""
    _require_case(actor, case, "cases.approve_case")
    if days <= 0 or not reason.strip():
        raise ValidationError("请填写延长天数和理由")
    with transaction.atomic(), acting_as(actor):
        _lock_case(case, *Step.values, doing="延长决定期限")
        case.decision_extension_days += days
        case.decision_extension_reason = reason.strip()
        case.save()
        _event(case, actor=actor, on=on, action="extend", summary=f"决定期限延长{days}日：{reason}")


# -- 6. decision ---------------------------------------------------------------------------
def case_decide(*, actor: Any, case: Case, decided_on: dt.date) -> CaseDocument:
    """Make the numbered decision document, within the decision period."""
    _require_case(actor, case)
    if case.step in (Step.FILED, Step.NOTIFIED, Step.HEARING):
        raise ValidationError("处罚（征收）决定未经负责人审批，不能作出决定书")
    _require_step(case, Step.APPROVED, doing="作出决定")
    if decided_on < case.approved_on:
        raise ValidationError("决定日期不能早于审批日期")
    deadline = _deadline(case, "decision")
    if deadline is not None and deadline.due is not None and decided_on > deadline.due:
        raise ValidationError(
            f"已超过作出决定的期限{deadline.due:%Y-%m-%d}（{deadline.rule}，{deadline.source}；"
            f"{deadline.arithmetic}），须经负责人批准延长"
        )
    fee = case.kind == CaseKind.FEE
    with transaction.atomic(), acting_as(actor):
        _lock_case(case, Step.APPROVED, doing="作出决定")
        number = _next_number("隆计征决" if fee else "隆计罚决", decided_on.year)
        case.step = Step.DECIDED
        case.decided_on = decided_on
        case.decision_number = number
        case.save()
        book = _book(case)
        pay = book.get("fee_payment" if fee else "fine_payment")
        event = _event(
            case, actor=actor, on=decided_on, action="decide", summary=f"作出决定{number}"
        )
        return _document(
            case,
            event=event,
            form=CaseDocument.Form.DECISION_FEE if fee else CaseDocument.Form.DECISION_PENALTY,
            on=decided_on,
            number=number,
            data={
                "decision_number": number,
                "payment": f"自收到本决定书之日起{pay.period_text}内缴清（{pay.citation}）",
                "remedies": "如不服本决定，可以在收到本决定书之日起六十日内申请行政复议，"
                "或者在六个月内依法向人民法院提起行政诉讼。",
                "statement": case.statement,
            },
        )


# -- 7. service ----------------------------------------------------------------------------
def case_serve_decision(
    *,
    actor: Any,
    case: Case,
    served_on: dt.date,
    recipient: str,
    recipient_role: str,
    method: str,
    signature: str,
) -> CaseDocument:
    """Serve the decision with a proof of service; an unapproved decision is never served."""
    _require_case(actor, case)
    if case.step in (Step.FILED, Step.NOTIFIED, Step.HEARING):
        raise ValidationError("处罚（征收）决定未经负责人审批，不得送达")
    if case.step == Step.APPROVED:
        raise ValidationError("尚未制作编号的决定书，不能送达")
    _require_step(case, Step.DECIDED, doing="送达")
    if served_on < case.decided_on:
        raise ValidationError("送达日期不能早于决定日期")
    allowed = (
        PERSON_RECIPIENTS if case.party_kind == Case.PartyKind.PERSON else ORGANISATION_RECIPIENTS
    )
    if recipient_role not in allowed:
        raise ValidationError(f"签收人身份应为：{'、'.join(allowed)}")
    if method not in SERVICE_METHODS:
        raise ValidationError(f"送达方式应为：{'、'.join(SERVICE_METHODS)}")
    if not recipient.strip() or (method != "公告送达" and not signature.strip()):
        raise ValidationError("送达回证须有收件人并由其签名（或注明留置、公告情况）")
    deadline = _deadline(case, "service")
    late = deadline is not None and deadline.last_day is not None and served_on > deadline.last_day
    # The payment runs from the day the decision counts as served (publication: later).
    facts = dataclasses.replace(
        selectors.case_facts(case), served_on=served_on, service_method=method
    )
    due = next((d for d in selectors.rules_deadlines(case, facts) if d.key == "payment"), None)
    with transaction.atomic(), acting_as(actor):
        _lock_case(case, Step.DECIDED, doing="送达")
        case.step = Step.SERVED
        case.served_on = served_on
        case.service_recipient = recipient.strip()
        case.service_recipient_role = recipient_role
        case.service_method = method
        case.service_signature = signature.strip()
        case.due_on = due.due if due else None
        case.save()
        summary = (
            f"{method}决定书，{recipient_role}{recipient.strip()}签收；"
            f"缴纳期限{due.due or due.pending if due else '无'}"
        )
        if late:
            summary += f"（逾期送达：期限为{deadline.due:%Y-%m-%d}）"
        event = _event(
            case,
            actor=actor,
            on=served_on,
            action="serve",
            summary=summary,
            data={"due": due.arithmetic if due else ""},
        )
        return _document(
            case,
            event=event,
            form=CaseDocument.Form.PROOF_OF_SERVICE,
            on=served_on,
            data={
                "document": f"{case.decision_number}决定书",
                "recipient": recipient.strip(),
                "recipient_role": recipient_role,
                "method": method,
                "signature": signature.strip(),
                "served_date": f"{served_on:%Y年%m月%d日}",
            },
        )


# -- 8. enforcement ------------------------------------------------------------------------
def payment_schedule(case: Case) -> list[tuple[dt.date, Decimal]]:
    """When the principal falls due: the approved instalments, or the whole sum on the due day."""
    plan = [(i.due_on, i.amount) for i in case.instalments.all()]
    if plan:
        return plan
    if case.due_on is None or case.amount is None:
        return []
    return [(case.due_on, case.amount)]


def _principal_payments(case: Case) -> list[tuple[dt.date, Decimal]]:
    return list(case.payments.filter(kind=Payment.Kind.PRINCIPAL).values_list("paid_on", "amount"))


def case_late_fee(case: Case, on: dt.date) -> rules.LateFee | None:
    """The late fee accrued by ``on`` on the principal, or None if nothing was ever late.

    Each instalment runs late from its own due day; a share paid late accrues until it was
    paid (see ``rules.schedule_late_fee``).
    """
    schedule = payment_schedule(case)
    if not schedule:
        return None
    fee = rules.schedule_late_fee(
        kind="fee" if case.kind == CaseKind.FEE else "fine",
        schedule=schedule,
        payments=_principal_payments(case),
        on=on,
        book=_book(case),
    )
    return fee if fee.amount > 0 else None


def case_record_payment(
    *, actor: Any, case: Case, paid_on: dt.date, amount: Decimal, kind: str, receipt: str = ""
) -> Payment:
    _require_case(actor, case)
    _require_step(case, Step.SERVED, doing="登记缴款")
    amount = Decimal(amount)
    if amount <= 0:
        raise ValidationError("缴款金额应大于零")
    if paid_on < case.served_on:
        raise ValidationError("缴款日期不能早于送达日期")
    with transaction.atomic(), acting_as(actor):
        # What was paid is read under the case's row lock: two payments entered at the same
        # moment queue here, and the second sees the first (no overpayment).
        _lock_case(case, Step.SERVED, doing="登记缴款")
        paid = (
            Payment.objects.filter(case=case, kind=Payment.Kind.PRINCIPAL).aggregate(
                s=Sum("amount")
            )["s"]
            or 0
        )
        if kind == Payment.Kind.PRINCIPAL and paid + amount > case.amount:
            raise ValidationError(f"本金应缴{case.amount}元，已缴{paid}元，本次{amount}元超出")
        payment = Payment.objects.create(
            case=case, kind=kind, paid_on=paid_on, amount=amount, receipt=receipt, recorded_by=actor
        )
        if kind == Payment.Kind.PRINCIPAL and paid + amount == case.amount:
            case.paid_off_on = paid_on
            case.save()
        _event(
            case,
            actor=actor,
            on=paid_on,
            action="payment",
            summary=f"缴纳{Payment.Kind(kind).label}{amount}元",
            after=(case.served_on, "决定书送达"),
        )
    return payment


def case_set_instalments(
    *, actor: Any, case: Case, plan: list[tuple[dt.date, Decimal]], on: dt.date
) -> list[Instalment]:
    """Approve payment by instalments (requested within the payment period).

    The instalments are given in the order they fall due, each later than the one before and
    none before the approval; together they make up the principal exactly. Approving a new
    plan replaces the previous one.
    """
    _require_case(actor, case, "cases.approve_case")
    _require_step(case, Step.SERVED, doing="批准分期缴纳")
    if case.paid_off_on is not None:
        raise ValidationError("当事人已缴清，无需分期")
    if on < case.served_on:
        raise ValidationError("批准日期不能早于决定书送达日期")
    if on > case.due_on:
        raise ValidationError(f"分期申请应在缴纳期限{case.due_on:%Y-%m-%d}内提出")
    if len(plan) < 2:
        raise ValidationError("分期缴纳至少分为两期")
    rows = [(d, Decimal(a)) for d, a in plan]
    for n, (due_on, amount) in enumerate(rows, start=1):
        if amount <= 0 or amount != amount.quantize(rules.CENT):
            raise ValidationError(f"第{n}期金额{amount}元应大于零且最多两位小数")
        if n == 1 and due_on <= on:
            raise ValidationError(f"第1期应缴日期{due_on:%Y-%m-%d}应晚于批准日期{on:%Y-%m-%d}")
        if n > 1 and due_on <= rows[n - 2][0]:
            raise ValidationError(
                f"各期应按先后顺序排列：第{n}期应缴日期{due_on:%Y-%m-%d}"
                f"应晚于第{n - 1}期{rows[n - 2][0]:%Y-%m-%d}"
            )
    total = sum((a for _, a in rows), Decimal(0))
    if total != case.amount:
        raise ValidationError(
            f"各期金额之和应等于应缴金额{case.amount}元（现为{rules.money(total)}元）"
        )
    with transaction.atomic(), acting_as(actor):
        _lock_case(case, Step.SERVED, doing="批准分期缴纳")
        case.instalments.all().delete()
        made = [Instalment.objects.create(case=case, due_on=d, amount=a) for d, a in rows]
        case.due_on = rows[-1][0]
        case.save()
        listing = "；".join(
            f"第{n}期{d:%Y-%m-%d}缴{rules.money(a)}元" for n, (d, a) in enumerate(rows, 1)
        )
        _event(
            case,
            actor=actor,
            on=on,
            action="instalments",
            summary=f"批准分{len(rows)}期缴纳：{listing}",
            data={"plan": [[f"{d:%Y-%m-%d}", str(rules.money(a))] for d, a in rows]},
        )
    return made


def case_serve_reminder(*, actor: Any, case: Case, served_on: dt.date) -> CaseDocument:
    """Serve a written reminder (催告书) after the due date passed unpaid."""
    _require_case(actor, case)
    _require_step(case, Step.SERVED, doing="催告")
    if case.paid_off_on is not None:
        raise ValidationError("当事人已缴清，无需催告")
    late = rules.overdue(payment_schedule(case), _principal_payments(case), served_on)
    if not late:
        first = min((d for d, _ in payment_schedule(case) if d >= served_on), default=case.due_on)
        raise ValidationError(f"缴纳期限{first:%Y-%m-%d}尚未届满，不能催告")
    fee = case_late_fee(case, served_on)
    with transaction.atomic(), acting_as(actor):
        _lock_case(case, Step.SERVED, doing="催告")
        case.reminder_served_on = served_on
        case.save()
        event = _event(case, actor=actor, on=served_on, action="reminder", summary="送达催告书")
        return _document(
            case,
            event=event,
            form=CaseDocument.Form.REMINDER,
            on=served_on,
            data={
                "due": f"{case.due_on:%Y年%m月%d日}",
                "late_fee": f"{fee.amount:.2f}" if fee else "0.00",
                "late_fee_arithmetic": fee.arithmetic if fee else "",
                "decision_number": case.decision_number,
            },
        )


def case_apply_court(*, actor: Any, case: Case, applied_on: dt.date) -> CaseDocument:
    """Apply to the court for enforcement, inside the window the rule set allows."""
    _require_case(actor, case)
    _require_step(case, Step.SERVED, doing="申请强制执行")
    if case.paid_off_on is not None:
        raise ValidationError("当事人已缴清，无需申请强制执行")
    book = _book(case)
    window = rules.court_window(
        selectors.case_facts(case), book, workdays.calendar(), selectors.timeline()
    )
    wait = selectors.timeline().at("reminder_wait", applied_on)
    if wait is not None and case.reminder_served_on is None:
        raise ValidationError("申请强制执行前须先送达催告书（行政强制法第五十四条）")
    if window.earliest is None:
        raise ValidationError(
            f"申请强制执行的最早日期{window.pending}，请系统管理员先录入该年节假日安排"
        )
    if window.due is None and window.bound is not None and applied_on > window.bound:
        raise ValidationError(
            f"申请强制执行的期限{window.pending}（按日历日不早于{window.bound:%Y-%m-%d}），"
            f"无法判断{applied_on:%Y-%m-%d}是否在期限内；请系统管理员先录入该年节假日安排"
        )
    if applied_on < window.earliest:
        raise ValidationError(
            f"尚未到可以申请强制执行的日期{window.earliest:%Y-%m-%d}（{window.arithmetic}）"
        )
    if window.due is not None and applied_on > window.due:
        raise ValidationError(
            f"已超过申请法院强制执行的期限{window.due:%Y-%m-%d}（{window.source}；{window.arithmetic}）"
        )
    fee = case_late_fee(case, applied_on)
    with transaction.atomic(), acting_as(actor):
        _lock_case(case, Step.SERVED, doing="申请强制执行")
        case.court_applied_on = applied_on
        case.save()
        event = _event(
            case, actor=actor, on=applied_on, action="court", summary="申请人民法院强制执行"
        )
        return _document(
            case,
            event=event,
            form=CaseDocument.Form.COURT_APPLICATION,
            on=applied_on,
            data={
                "decision_number": case.decision_number,
                "late_fee": f"{fee.amount:.2f}" if fee else "0.00",
                "window": window.arithmetic,
            },
        )


# -- 9. closure and archive ----------------------------------------------------------------
def case_close(*, actor: Any, case: Case, closed_on: dt.date, summary: str) -> CaseDocument:
    _require_case(actor, case)
    _require_step(case, Step.SERVED, doing="结案")
    owes = case.kind == CaseKind.FEE or case.penalty_kind in MONETARY_PENALTIES
    if owes and case.paid_off_on is None and case.court_applied_on is None:
        raise ValidationError("当事人尚未缴清，也未申请法院强制执行，不能结案")
    if case.procedure == Case.Procedure.SUMMARY and case.summary_reported_on is None:
        raise ValidationError("当场处罚决定尚未报所属行政机关备案，不能结案")
    if not summary.strip():
        raise ValidationError("请填写结案报告")
    with transaction.atomic(), acting_as(actor):
        _lock_case(case, Step.SERVED, doing="结案")
        case.step = Step.CLOSED
        case.closed_on = closed_on
        case.closure_summary = summary.strip()
        case.save()
        event = _event(case, actor=actor, on=closed_on, action="close", summary="结案")
        return _document(
            case,
            event=event,
            form=CaseDocument.Form.CLOSURE,
            on=closed_on,
            data={"summary": summary.strip(), "paid": f"{case.principal_paid:.2f}"},
        )


def case_archive(*, actor: Any, case: Case, archived_on: dt.date) -> CaseDocument:
    """Bind the file: one case, one file, with the ordered catalogue."""
    _require_case(actor, case)
    _require_step(case, Step.CLOSED, doing="归档")
    deadline = _deadline(case, "archive")
    late = deadline is not None and deadline.due is not None and archived_on > deadline.due
    entries = [
        {
            "sequence": d.sequence,
            "number": d.number,
            "title": d.get_form_display() + ("（已作废）" if d.voided_on else ""),
            "date": f"{d.on:%Y-%m-%d}",
            "void": f"{d.voided_on:%Y-%m-%d}作废：{d.void_reason}" if d.voided_on else "",
        }
        for d in case.documents.order_by("sequence")
    ]
    with transaction.atomic(), acting_as(actor):
        _lock_case(case, Step.CLOSED, doing="归档")
        case.step = Step.ARCHIVED
        case.archived_on = archived_on
        case.save()
        event = _event(
            case,
            actor=actor,
            on=archived_on,
            action="archive",
            summary="立卷归档" + (f"（逾期：应于{deadline.due:%Y-%m-%d}前归档）" if late else ""),
        )
        return _document(
            case,
            event=event,
            form=CaseDocument.Form.CATALOGUE,
            on=archived_on,
            data={"entries": entries},
        )


# -- file review ---------------------------------------------------------------------------
CHECKLIST = rules.FILE_REVIEW_CHECKLIST


def file_review_record(
    *,
    actor: Any,
    case: Case,
    period: str,
    reviewed_on: dt.date,
    scores: dict[str, int],
    remarks: str = "",
) -> FileReview:
    """Score a closed case file on the checklist for a half-year period."""
    _require_case(actor, case, "cases.review_case")
    if case.step not in (Step.CLOSED, Step.ARCHIVED):
        raise ValidationError("只评查已结案的案卷")
    known = {key: (label, top) for key, label, top in CHECKLIST}
    unknown = set(scores) - set(known)
    if unknown:
        raise ValidationError(f"评查表中没有项目：{'、'.join(sorted(unknown))}")
    missing = set(known) - set(scores)
    if missing:
        raise ValidationError(f"以下项目未评分：{'、'.join(known[k][0] for k in sorted(missing))}")
    for key, value in scores.items():
        label, top = known[key]
        if not 0 <= int(value) <= top:
            raise ValidationError(f"“{label}”得分应在0～{top}之间")
    if FileReview.objects.filter(case=case, period=period).exists():
        raise ValidationError(f"{case.number}在{period}已经评查")
    with transaction.atomic(), acting_as(actor):
        return FileReview.objects.create(
            case=case,
            period=period,
            reviewer=actor,
            reviewed_on=reviewed_on,
            scores={k: int(v) for k, v in scores.items()},
            total=Decimal(sum(int(v) for v in scores.values())),
            remarks=remarks.strip(),
        )


# -- notifications -------------------------------------------------------------------------
def deadline_notification_key(
    case_id: int, deadline: str, due: dt.date, missed: bool, user_id: int
) -> str:
    """The dedupe key of one deadline notification: one per case, deadline, due day, kind
    (approaching / missed) and recipient."""
    kind = "missed" if missed else "approaching"
    return f"deadline:case{case_id}:{deadline}:{due:%Y-%m-%d}:{kind}:user{user_id}"


def deadlines_notify(*, today: dt.date, approaching_days: int = 3) -> int:
    """Notify the handler and officers of every open deadline that is near or missed.

    Set-based: one pass over the open cases, one bulk insert into the inbox
    (``core.notifications``, kind ``deadline``). The dedupe key (case, deadline, due day, kind,
    user) makes a second run, or a second worker, add nothing. Returns how many were added.
    """
    from django.urls import reverse

    from zeren.core.models import Notification
    from zeren.core.notifications import send_from_job

    board = selectors.deadline_board(Case.objects.all(), today=today, horizon_days=approaching_days)
    entries = [(e, True) for e in board["overdue"]] + [(e, False) for e in board["this_week"]]
    if not entries:
        return 0
    case_ids = {e["case_id"] for e, _ in entries}
    recipients: dict[int, set[int]] = {pk: set() for pk in case_ids}
    townships: dict[int, int | None] = {}
    for pk, handler_id, township_id in Case.objects.filter(pk__in=case_ids).values_list(
        "pk", "handler_id", "township_id"
    ):
        recipients[pk].add(handler_id)
        townships[pk] = township_id
    through = Case.officers.through
    for pk, user_id in through.objects.filter(case_id__in=case_ids).values_list(
        "case_id", "officer__user_id"
    ):
        recipients[pk].add(user_id)
    rows = []
    for entry, missed in entries:
        d = entry["deadline"]
        verb = "已逾期" if missed else "即将到期"
        message = f"{entry['case']}：{d.label}{verb}（{d.due:%Y-%m-%d}，{d.rule}）"
        link = reverse("case-detail", args=[entry["case_id"]])
        for user_id in recipients[entry["case_id"]]:
            if user_id is None:
                continue
            rows.append(
                Notification(
                    kind=Notification.Kind.DEADLINE,
                    recipient_id=user_id,
                    division_id=townships.get(entry["case_id"]),
                    title=message[:300],
                    link=link,
                    due_on=d.due,
                    dedupe_key=deadline_notification_key(
                        entry["case_id"], d.key, d.due, missed, user_id
                    ),
                )
            )
    return send_from_job(
        rows,
        job="cases.deadlines_notify",
        actor="期限提醒任务",
        summary=f"期限提醒 {today:%Y-%m-%d}",
    )
