"""Every write of the funds app: one function per use case, atomic, with an actor.

``actor=None`` means the system itself (the command line, demo data, benchmarks); a user
actor is checked for its permission and its township.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from zeren.core import transitions
from zeren.core.audit import log_bulk
from zeren.core.facts import check_fact_date, fact_date_problem
from zeren.core.permissions import acting, actor_name, check_division, require
from zeren.core.permissions import is_user as _is_user
from zeren.funds import rules
from zeren.funds.models import (
    PROGRAM_KINDS,
    Beneficiary,
    Campaign,
    CampaignKind,
    Deduction,
    DeductionRule,
    EndReason,
    EntitlementRule,
    PaymentBatch,
    PaymentLine,
    PaymentPlan,
    Rate,
    RecoveryEntry,
    Verification,
)
from zeren.org.models import Division
from zeren.people.models import Person

CHUNK = 5000


# ---------------------------------------------------------------------------------------------
# helpers


def _user_or_none(actor: Any) -> Any:
    return actor if _is_user(actor) else None


def load_rates() -> list[rules.RateRow]:
    return [
        rules.RateRow(
            kind=r.kind,
            residence=r.residence,
            amount=r.amount,
            unit=r.unit,
            valid_from=r.valid_from,
            valid_to=r.valid_to,
            level=r.level,
        )
        for r in Rate.objects.all()
    ]


def entitlement_rule(reason: str, day: dt.date) -> EntitlementRule:
    rule = (
        EntitlementRule.objects.filter(reason=reason, valid_from__lte=day)
        .order_by("-valid_from")
        .first()
    )
    if rule is None:
        raise ValidationError(f"没有“{EndReason(reason).label}”的终止规则，请先维护终止规则")
    return rule


def payment_plan(program: str, day: dt.date) -> PaymentPlan:
    plan = (
        PaymentPlan.objects.filter(program=program, valid_from__lte=day)
        .order_by("-valid_from")
        .first()
    )
    if plan is None:
        raise ValidationError("没有配置该资金的发放周期")
    return plan


def _chunks(items: list, size: int = CHUNK) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


# ---------------------------------------------------------------------------------------------
# beneficiaries


def beneficiary_create(
    *,
    actor: Any,
    person: Person,
    kind: str,
    residence: str,
    village: Division,
    start_date: dt.date,
    bank_name: str = "",
    bank_account: str = "",
    facts: dict | None = None,
) -> Beneficiary:
    """Enrol a person for reward or special assistance."""
    require(actor, "funds.add_beneficiary", "无权登记扶助对象")
    if village.level != Division.Level.VILLAGE or village.parent is None:
        raise ValidationError({"village": "请选择村"})
    check_division(actor, village)
    if Beneficiary.objects.filter(person=person, kind=kind).exists():
        raise ValidationError({"kind": "该人员已登记为同类扶助对象"})
    account = bank_account.replace(" ", "")
    if account and not account.isdigit():
        raise ValidationError({"bank_account": "银行账号只能包含数字"})
    with transaction.atomic(), acting(actor):
        return Beneficiary.objects.create(
            person=person,
            kind=kind,
            residence=residence,
            village=village,
            township=village.parent,
            start_date=start_date,
            bank_name=bank_name.strip(),
            bank_account=account,
            facts=facts or {},
        )


@dataclass
class TerminationResult:
    beneficiary: Beneficiary
    entitled_until: dt.date
    recoverable: Decimal
    owed_entries: list[RecoveryEntry] = field(default_factory=list)


def beneficiary_terminate(
    *,
    actor: Any,
    beneficiary: Beneficiary,
    reason: str,
    event_date: dt.date,
    note: str = "",
) -> TerminationResult:
    """End entitlement after an event; what was paid beyond it becomes recoverable.

    ``event_date`` is the date of death, of recovery, or (for deception) the date from which
    the person was no longer eligible. The end of entitlement follows the rule for the reason.
    Unissued lines beyond it are cut back; issued ones give "owed" rows in the recovery ledger.
    """
    require(actor, "funds.terminate_beneficiary", "无权终止扶助资格")
    check_division(actor, beneficiary.village)
    if reason not in EndReason.values:
        raise ValidationError("终止原因不正确")
    beneficiary.refresh_from_db()
    if beneficiary.status == Beneficiary.Status.TERMINATED:
        raise ValidationError(f"该扶助对象已于{beneficiary.status_date}终止")
    check_fact_date(
        event_date, what="终止事由发生", after=beneficiary.start_date, after_what="享受起始"
    )
    rule = entitlement_rule(reason, event_date)
    until = rules.entitlement_end(event_date, rule.mode)
    with transaction.atomic(), acting(actor):
        Beneficiary.objects.select_for_update().filter(pk=beneficiary.pk).first()
        beneficiary.status = Beneficiary.Status.TERMINATED
        beneficiary.status_reason = reason
        beneficiary.status_date = event_date
        beneficiary.status_note = note[:200]
        beneficiary.entitled_until = until
        beneficiary.save()
        owed = _settle_after(actor=actor, beneficiary=beneficiary, until=until, reason=reason)
    total = sum((e.amount for e in owed), Decimal(0))
    return TerminationResult(beneficiary, until, rules.money(total), owed)


def _settle_after(
    *, actor: Any, beneficiary: Beneficiary, until: dt.date, reason: str
) -> list[RecoveryEntry]:
    """Cut back unissued lines after ``until`` and record what issued lines overpaid."""
    rates = load_rates()
    lines = list(
        PaymentLine.objects.filter(beneficiary=beneficiary, period_end__gt=until)
        .select_related("batch")
        .order_by("period_start", "id")
    )
    by_period: dict[dt.date, list[PaymentLine]] = defaultdict(list)
    for line in lines:
        by_period[line.period_start].append(line)
    owed: list[RecoveryEntry] = []
    for entries in by_period.values():
        original = next((e for e in entries if e.entry == PaymentLine.Entry.PAYMENT), entries[0])
        entitled = rules.period_amount(
            rates,
            kind=beneficiary.kind,
            residence=beneficiary.residence,
            period_start=original.period_start,
            period_end=original.period_end,
            start_date=beneficiary.start_date,
            entitled_until=until,
        )
        if original.batch.status == PaymentBatch.Status.DRAFT:
            # Not yet paid: simply pay the right amount (or nothing).
            for e in entries:
                if e.entry != PaymentLine.Entry.PAYMENT:
                    continue
                if entitled == 0:
                    e.delete()
                elif e.amount != entitled:
                    e.amount = entitled
                    e.save(update_fields=["amount", "updated_at"])
            _refresh_batch_totals(original.batch)
            continue
        paid = sum((e.amount for e in entries), Decimal(0))
        already = RecoveryEntry.objects.filter(
            payment_line=original, entry=RecoveryEntry.Entry.OWED
        ).aggregate(s=Sum("amount"))["s"] or Decimal(0)
        amount = rules.recoverable(paid, entitled) - already
        if amount > 0:
            owed.append(
                RecoveryEntry.objects.create(
                    beneficiary=beneficiary,
                    township=beneficiary.township,
                    entry=RecoveryEntry.Entry.OWED,
                    amount=amount,
                    payment_line=original,
                    reason=reason,
                    date=timezone.localdate(),
                    note=f"{original.period_start:%Y年%m月}起的期间，享受截止{until}",
                    recorded_by=actor_name(actor),
                )
            )
    return owed


def beneficiary_suspend(
    *, actor: Any, beneficiary: Beneficiary, reason: str, event_date: dt.date, note: str = ""
) -> Beneficiary:
    """Withhold payment while a reported change or suspected deception is looked into."""
    require(actor, "funds.change_beneficiary", "无权暂停扶助")
    check_division(actor, beneficiary.village)
    beneficiary.refresh_from_db()
    if beneficiary.status != Beneficiary.Status.ACTIVE:
        raise ValidationError(f"该扶助对象当前状态为{beneficiary.get_status_display()}，不能暂停")
    check_fact_date(
        event_date, what="暂停事由发生", after=beneficiary.start_date, after_what="享受起始"
    )
    with transaction.atomic(), acting(actor):
        transitions.lock(
            beneficiary, field="status", expected=[Beneficiary.Status.ACTIVE], doing="暂停扶助"
        )
        beneficiary.status = Beneficiary.Status.SUSPENDED
        beneficiary.status_reason = reason
        beneficiary.status_date = event_date
        beneficiary.status_note = note[:200]
        beneficiary.save()
    return beneficiary


def beneficiary_reinstate(*, actor: Any, beneficiary: Beneficiary, note: str) -> Beneficiary:
    """Resume payment after a suspension turned out unfounded.

    ``note`` (required, at most 200 characters kept) says why the suspicion was unfounded;
    payments resume from the next batch. Raises ``PermissionDenied`` without
    ``funds.terminate_beneficiary`` or outside the actor's township, ``ValidationError`` when
    the beneficiary is not suspended or the note is empty.
    """
    require(actor, "funds.terminate_beneficiary", "无权恢复扶助")
    check_division(actor, beneficiary.village)
    if not note.strip():
        raise ValidationError("请说明恢复扶助的理由（核查结论）")
    # Checked on the caller's copy here, and again under the row lock below: of two
    # simultaneous reinstatements the second is told who reinstated first, and when.
    if beneficiary.status != Beneficiary.Status.SUSPENDED:
        raise ValidationError(
            f"该扶助对象当前状态为{beneficiary.get_status_display()}，只有暂停的扶助对象可以恢复"
        )
    with transaction.atomic(), acting(actor):
        transitions.lock(
            beneficiary, field="status", expected=[Beneficiary.Status.SUSPENDED], doing="恢复扶助"
        )
        beneficiary.status = Beneficiary.Status.ACTIVE
        beneficiary.status_reason = ""
        beneficiary.status_date = timezone.localdate()
        beneficiary.status_note = note.strip()[:200]
        beneficiary.save()
    return beneficiary


# ---------------------------------------------------------------------------------------------
# payment ledger


def _refresh_batch_totals(batch: PaymentBatch) -> None:
    agg = PaymentLine.objects.filter(batch=batch).aggregate(s=Sum("amount"))
    batch.line_count = PaymentLine.objects.filter(
        batch=batch, entry=PaymentLine.Entry.PAYMENT
    ).count()
    batch.total = agg["s"] or Decimal(0)
    batch.save(update_fields=["line_count", "total", "updated_at"])


def payment_batch_create(*, actor: Any, program: str, period_of: dt.date) -> PaymentBatch:
    """Create the batch of the period containing ``period_of``: one line per entitled person.

    Lines are computed in chunks and written with ``bulk_create``; amounts come from the
    rate table, so people entitled for part of the period get part of the amount.
    """
    require(actor, "funds.add_paymentbatch", "无权生成发放批次")
    plan = payment_plan(program, period_of)
    start, end = rules.period_for(period_of, plan.frequency)
    rates = load_rates()
    kinds = PROGRAM_KINDS[program]
    with transaction.atomic(), acting(actor):
        # Two officers creating the same period's batch at once queue here; the second
        # sees the first one's batch and is refused (never a unique-constraint 500).
        transitions.exclusive(f"funds-batch-{program}")
        if PaymentBatch.objects.filter(
            program=program, period_start__lte=end, period_end__gte=start
        ).exists():
            raise ValidationError("该期间已有发放批次")
        batch = PaymentBatch.objects.create(
            program=program, frequency=plan.frequency, period_start=start, period_end=end
        )
        candidates = (
            Beneficiary.objects.filter(kind__in=kinds, start_date__lte=end)
            .filter(
                Q(status=Beneficiary.Status.ACTIVE)
                | Q(status=Beneficiary.Status.TERMINATED, entitled_until__gte=start)
            )
            .order_by("id")
            .values_list("id", "kind", "residence", "start_date", "entitled_until")
        )
        cache: dict[tuple, Decimal] = {}
        pending: list[PaymentLine] = []
        count, total = 0, Decimal(0)
        for pk, kind, residence, start_date, until in candidates.iterator(chunk_size=CHUNK):
            eff_start = start_date if start_date > start else start
            eff_until = until if until is not None and until < end else None
            key = (kind, residence, rules.first_of_month(eff_start), eff_until)
            if key not in cache:
                try:
                    cache[key] = rules.period_amount(
                        rates,
                        kind=kind,
                        residence=residence,
                        period_start=start,
                        period_end=end,
                        start_date=eff_start,
                        entitled_until=eff_until,
                    )
                except rules.NoRate as exc:
                    raise ValidationError(str(exc)) from exc
            amount = cache[key]
            if amount <= 0:
                continue
            pending.append(
                PaymentLine(
                    batch=batch,
                    beneficiary_id=pk,
                    period_start=start,
                    period_end=end,
                    amount=amount,
                )
            )
            count += 1
            total += amount
            if len(pending) >= CHUNK:
                PaymentLine.objects.bulk_create(pending)
                pending = []
        PaymentLine.objects.bulk_create(pending)
        batch.line_count, batch.total = count, total
        batch.save(update_fields=["line_count", "total", "updated_at"])
        log_bulk(
            PaymentLine,
            f"生成发放批次 {batch}：{count} 人，{total} 元",
            {"batch": batch.pk, "lines": count, "total": str(total)},
        )
    return batch


def payment_batch_issue(*, actor: Any, batch: PaymentBatch, issued_on: dt.date) -> PaymentBatch:
    """Record that the bank paid the batch out: from now on its lines are money spent."""
    require(actor, "funds.issue_paymentbatch", "无权确认发放")
    if batch.status != PaymentBatch.Status.DRAFT:
        raise ValidationError("该批次已发放")
    if batch.line_count == 0:
        raise ValidationError("该批次没有发放记录")
    check_fact_date(issued_on, what="发放")
    with transaction.atomic(), acting(actor):
        transitions.lock(
            batch, field="status", expected=[PaymentBatch.Status.DRAFT], doing="确认发放"
        )
        batch.status = PaymentBatch.Status.ISSUED
        batch.issued_on = issued_on
        batch.save()
    return batch


def payment_lines_confirm(*, actor: Any, lines: Iterable[int] | Any) -> int:
    """Confirm receipt (到位) of lines in issued batches; set-based. Returns how many."""
    require(actor, "funds.confirm_paymentline", "无权确认到位")
    qs = PaymentLine.objects.filter(
        confirmed_at__isnull=True, batch__status=PaymentBatch.Status.ISSUED
    )
    if _is_user(actor):
        qs = qs & PaymentLine.objects.restrict(actor, "confirm")
    ids = list(lines.values_list("pk", flat=True)) if hasattr(lines, "values_list") else lines
    ids = list(ids)
    done = 0
    with transaction.atomic(), acting(actor):
        for chunk in _chunks(ids, 900):
            done += qs.filter(pk__in=chunk).update(
                confirmed_at=timezone.now(), confirmed_by=_user_or_none(actor)
            )
        if done:
            log_bulk(PaymentLine, f"确认扶助金到位 {done} 笔", {"count": done})
    return done


def payment_line_reverse(
    *,
    actor: Any,
    line: PaymentLine,
    note: str,
    corrected_amount: Decimal | None = None,
) -> tuple[PaymentLine, PaymentLine | None]:
    """Correct a confirmed line: a reversing entry cancels it, a correction pays the right sum.

    The original stays untouched; both entries join the ledger. Returns (reversal, correction).
    """
    require(actor, "funds.reverse_paymentline", "无权冲正")
    check_division(actor, line.beneficiary.village)
    if not note.strip():
        raise ValidationError({"note": "请填写冲正原因"})
    if line.entry != PaymentLine.Entry.PAYMENT and line.entry != PaymentLine.Entry.CORRECTION:
        raise ValidationError("冲正记录本身不能再冲正")
    if PaymentLine.objects.filter(reverses=line).exists():
        raise ValidationError("该记录已冲正")
    if corrected_amount is not None and corrected_amount <= 0:
        raise ValidationError({"corrected_amount": "更正金额应大于0"})
    with transaction.atomic(), acting(actor):
        reversal = PaymentLine.objects.create(
            batch=line.batch,
            beneficiary=line.beneficiary,
            entry=PaymentLine.Entry.REVERSAL,
            period_start=line.period_start,
            period_end=line.period_end,
            amount=-line.amount,
            reverses=line,
            note=note.strip()[:200],
            confirmed_at=timezone.now(),
            confirmed_by=_user_or_none(actor),
        )
        correction = None
        if corrected_amount is not None:
            correction = PaymentLine.objects.create(
                batch=line.batch,
                beneficiary=line.beneficiary,
                entry=PaymentLine.Entry.CORRECTION,
                period_start=line.period_start,
                period_end=line.period_end,
                amount=rules.money(corrected_amount),
                note=note.strip()[:200],
            )
        _refresh_batch_totals(line.batch)
    return reversal, correction


# ---------------------------------------------------------------------------------------------
# recoveries


def recovery_outstanding(beneficiary: Beneficiary) -> Decimal:
    rows = RecoveryEntry.objects.filter(beneficiary=beneficiary).values("entry")
    sums = {r["entry"]: r["s"] for r in rows.annotate(s=Sum("amount"))}
    return sums.get("owed", Decimal(0)) - sums.get("repaid", Decimal(0))


def recovery_repay(
    *, actor: Any, beneficiary: Beneficiary, amount: Decimal, date: dt.date, note: str = ""
) -> RecoveryEntry:
    """Record money paid back; never more than is outstanding."""
    require(actor, "funds.add_recoveryentry", "无权登记追回")
    check_division(actor, beneficiary.village)
    amount = rules.money(Decimal(amount))
    if amount <= 0:
        raise ValidationError({"amount": "追回金额应大于0"})
    check_fact_date(date, what="追回缴款")
    with transaction.atomic(), acting(actor):
        Beneficiary.objects.select_for_update().filter(pk=beneficiary.pk).first()
        outstanding = recovery_outstanding(beneficiary)
        if amount > outstanding:
            raise ValidationError({"amount": f"追回金额超过应追回余额（{outstanding}元）"})
        return RecoveryEntry.objects.create(
            beneficiary=beneficiary,
            township=beneficiary.township,
            entry=RecoveryEntry.Entry.REPAID,
            amount=amount,
            date=date,
            note=note[:200],
            recorded_by=actor_name(actor),
        )


# ---------------------------------------------------------------------------------------------
# verification campaigns


def _campaign_dates(kind: CampaignKind, year: int, today: dt.date) -> tuple[dt.date, dt.date]:
    """The default window: ``days_allowed`` from today, or the regime's months of ``year``
    moved to their next occurrence when already past (``rules.campaign_window``)."""
    if kind.days_allowed is not None:
        return today, today + dt.timedelta(days=kind.days_allowed)
    return rules.campaign_window(kind.start_month or 1, kind.end_month or 12, year, today)


def _check_window(starts_on: dt.date, deadline: dt.date, today: dt.date) -> None:
    if deadline < today:
        raise ValidationError(
            f"完成期限（{deadline:%Y-%m-%d}）已过：请填写今天（{today:%Y-%m-%d}）或以后的日期"
        )
    if deadline < starts_on:
        raise ValidationError(
            f"完成期限（{deadline:%Y-%m-%d}）不能早于开始日期（{starts_on:%Y-%m-%d}）"
        )


def _population_sql(kind: CampaignKind, year: int) -> tuple[str, list[Any]]:
    """The SELECT of (beneficiary id, township id) for a yearly campaign's population."""
    # Table names come from model metadata; every value is a bound parameter.
    b = Beneficiary._meta.db_table
    if kind.population == CampaignKind.Population.ACTIVE:
        return f"SELECT b.id, b.township_id FROM {b} b WHERE b.status = %s", ["active"]  # noqa: S608
    if kind.population == CampaignKind.Population.NEW_THIS_YEAR:
        return (
            f"SELECT b.id, b.township_id FROM {b} b WHERE b.status = %s "  # noqa: S608
            f"AND b.start_date >= %s AND b.start_date <= %s",
            ["active", dt.date(year, 1, 1), dt.date(year, 12, 31)],
        )
    if kind.population == CampaignKind.Population.PAID_THIS_YEAR:
        line, batch = PaymentLine._meta.db_table, PaymentBatch._meta.db_table
        return (
            f"SELECT b.id, b.township_id FROM {b} b WHERE EXISTS (SELECT 1 FROM {line} l "  # noqa: S608
            f"JOIN {batch} pb ON pb.id = l.batch_id WHERE l.beneficiary_id = b.id "
            f"AND pb.status = %s AND l.period_start >= %s AND l.period_start <= %s)",
            ["issued", dt.date(year, 1, 1), dt.date(year, 12, 31)],
        )
    raise ValidationError("举报核查请针对具体扶助对象发起")


def campaign_open(
    *,
    actor: Any,
    year: int,
    kind: str,
    today: dt.date | None = None,
    starts_on: dt.date | None = None,
    deadline: dt.date | None = None,
) -> tuple[Campaign, int]:
    """Open (or top up) a yearly campaign: one verification per beneficiary, set-based.

    The window (``starts_on`` … ``deadline``) defaults to the regime's months for ``year``,
    moved to their next occurrence when already past on ``today`` (``rules.campaign_window``);
    either date may be given instead. A deadline before the start or before today is refused
    (ValidationError), so no campaign is overdue when it opens. The dates are set when the
    campaign is created; topping up an existing campaign keeps its window.

    Idempotent: re-opening adds only beneficiaries not yet in it (the unique constraint on
    campaign × beneficiary is the last word). Returns the campaign and the rows added.
    """
    require(actor, "funds.add_campaign", "无权发起核查")
    today = today or timezone.localdate()
    mode = CampaignKind.objects.filter(code=kind).first()
    if mode is None:
        raise ValidationError(f"未知的核查方式：{kind}")
    if mode.code == CampaignKind.Code.ADHOC:
        raise ValidationError("举报核查请针对具体扶助对象发起")
    select, params = _population_sql(mode, year)
    default_start, default_deadline = _campaign_dates(mode, year, today)
    starts_on, deadline = starts_on or default_start, deadline or default_deadline
    if not Campaign.objects.filter(kind=mode.code, year=year).exists():
        _check_window(starts_on, deadline, today)
    v = Verification._meta.db_table
    now = timezone.now()
    with transaction.atomic(), acting(actor):
        campaign, _ = Campaign.objects.get_or_create(
            kind=mode.code,
            year=year,
            defaults={
                "title": f"{year}年{mode.name}",
                "starts_on": starts_on,
                "deadline": deadline,
                "coverage_required": mode.coverage,
            },
        )
        if campaign.status != Campaign.Status.OPEN:
            raise ValidationError("该核查活动已结束")
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {v} (campaign_id, beneficiary_id, township_id, outcome, method, "  # noqa: S608
                f"note, created_at, updated_at) "
                f"SELECT %s, pop.id, pop.township_id, '', '', '', %s, %s FROM ({select}) pop "
                f"WHERE true ON CONFLICT (campaign_id, beneficiary_id) DO NOTHING",
                [campaign.pk, now, now, *params],
            )
            added = max(cursor.rowcount, 0)
        campaign.total = Verification.objects.filter(campaign=campaign).count()
        campaign.save(update_fields=["total", "updated_at"])
        log_bulk(
            Verification,
            f"发起{campaign.title}：新增核查对象 {added} 人",
            {"campaign": campaign.pk, "added": added, "total": campaign.total},
        )
    return campaign, added


def campaign_open_adhoc(
    *, actor: Any, beneficiary: Beneficiary, report: str, today: dt.date | None = None
) -> Campaign:
    """A report came in: open a check of that beneficiary at once."""
    require(actor, "funds.add_campaign", "无权发起核查")
    if not report.strip():
        raise ValidationError({"report": "请填写举报内容"})
    today = today or timezone.localdate()
    mode = CampaignKind.objects.get(code=CampaignKind.Code.ADHOC)
    starts_on, deadline = _campaign_dates(mode, today.year, today)
    with transaction.atomic(), acting(actor):
        campaign = Campaign.objects.create(
            kind=mode.code,
            year=today.year,
            title=f"举报核查：{beneficiary.person.name}（{today}）",
            starts_on=starts_on,
            deadline=deadline,
            coverage_required=mode.coverage,
            report=report.strip(),
            total=1,
        )
        Verification.objects.create(
            campaign=campaign, beneficiary=beneficiary, township=beneficiary.township
        )
    return campaign


def campaign_close(*, actor: Any, campaign: Campaign, today: dt.date | None = None) -> Campaign:
    """End a verification campaign: no outcome can be recorded in it afterwards.

    A campaign closes once every verification has its outcome, or, after its deadline, with
    the ones still pending left unverified (they count against the township's coverage).
    Raises ``PermissionDenied`` without ``funds.change_campaign``; ``ValidationError`` when it
    is already closed, or when outcomes are pending before the deadline.
    """
    require(actor, "funds.change_campaign", "无权结束核查")
    today = today or timezone.localdate()
    with transaction.atomic(), acting(actor):
        transitions.lock(
            campaign, field="status", expected=[Campaign.Status.OPEN], doing="结束核查"
        )
        pending = Verification.objects.filter(campaign=campaign, outcome="").count()
        if pending and today <= campaign.deadline:
            raise ValidationError(
                f"还有{pending}名对象未登记核查结果，完成期限{campaign.deadline}前不能结束核查"
            )
        campaign.status = Campaign.Status.CLOSED
        campaign.save()
    return campaign


@dataclass
class OutcomeRow:
    """One outcome to record; ``where`` names the row in the form or the sheet."""

    verification_id: int
    outcome: str
    method: str = ""
    event_date: dt.date | None = None
    note: str = ""
    where: str = ""


class OutcomeErrors(ValidationError):
    """Every problem of a bulk outcome submission, each with its row; ``by_id`` the same
    problems (without the row prefix) keyed by verification id, for showing beside the row."""

    def __init__(self, problems: list[str], by_id: dict[int, list[str]] | None = None) -> None:
        super().__init__(problems)
        self.problems = problems
        self.by_id = by_id or {}


def verification_check(
    *, actor: Any, rows: list[OutcomeRow], today: dt.date | None = None
) -> tuple[dict[int, Verification], dict[int, list[str]]]:
    """Every problem of a bulk outcome submission, without writing anything.

    Returns the verifications found (by id) and the problems keyed by verification id (in
    Chinese, without the row). Dates of death or change follow the fact-date rule: not after
    today (Asia/Shanghai), not before the beneficiary's entitlement started.
    """
    today = today or timezone.localdate()
    scope = Verification.objects.all()
    if _is_user(actor):
        scope = Verification.objects.restrict(actor, "change")
    found: dict[int, Verification] = {}
    for chunk in _chunks([r.verification_id for r in rows], 900):
        for v in scope.filter(pk__in=chunk).select_related("campaign", "beneficiary"):
            found[v.pk] = v
    problems: dict[int, list[str]] = defaultdict(list)
    seen: set[int] = set()
    for r in rows:
        add = problems[r.verification_id].append
        v = found.get(r.verification_id)
        if v is None:
            add(f"核查编号{r.verification_id}不存在或不在您的管辖范围内")
            continue
        if r.verification_id in seen:
            add(f"核查编号{r.verification_id}重复")
        seen.add(r.verification_id)
        if v.campaign.status != Campaign.Status.OPEN:
            add("核查活动已结束")
        if v.outcome:
            add(f"已记录核查结果（{v.get_outcome_display()}），不能重复记录")
        if r.outcome not in Verification.Outcome.values:
            add("核查结果不正确")
        if r.method and r.method not in Verification.Method.values:
            add("核查方式不正确")
        if r.outcome in (Verification.Outcome.DIED, Verification.Outcome.CHANGED):
            if r.event_date is None:
                add("请填写死亡/变化日期")
            elif problem := fact_date_problem(
                r.event_date,
                what="死亡/变化",
                after=v.beneficiary.start_date,
                after_what="享受起始",
                today=today,
            ):
                add(problem)
        elif r.event_date is not None and (
            problem := fact_date_problem(r.event_date, what="死亡/变化", today=today)
        ):
            add(problem)
        if r.outcome == Verification.Outcome.DIED and v.beneficiary.status == "terminated":
            add("该扶助对象已终止，无需再记录死亡")
    return found, {k: v for k, v in problems.items() if v}


def verification_record(
    *, actor: Any, rows: list[OutcomeRow], today: dt.date | None = None
) -> dict[str, int]:
    """Record many outcomes at once, all or nothing, and apply their consequences.

    Died → terminated per the rule (later payments recoverable); deception suspected or
    conditions changed → payment suspended pending the county's decision; not received, a
    death with money paid after it, and deception → a township assessment deduction.
    A confirmed outcome in the payment check confirms that year's lines as received.
    """
    require(actor, "funds.change_verification", "无权记录核查结果")
    today = today or timezone.localdate()
    ids = [r.verification_id for r in rows]
    found, by_id = verification_check(actor=actor, rows=rows, today=today)
    if by_id:
        problems, shown = [], set()
        for r in rows:
            if r.verification_id not in shown:
                shown.add(r.verification_id)
                where = f"{r.where}：" if r.where else ""
                problems.extend(f"{where}{p}" for p in by_id.get(r.verification_id, []))
        raise OutcomeErrors(problems, by_id)
    counts: dict[str, int] = defaultdict(int)
    now = timezone.now()
    user = _user_or_none(actor)
    with transaction.atomic(), acting(actor):
        # Lock the rows and re-check under the lock: of two simultaneous recordings of one
        # verification, the second is refused with who recorded it and when (issue 17, 3).
        for chunk in _chunks(ids, 900):
            for v in Verification.objects.select_for_update().filter(pk__in=chunk).order_by("pk"):
                if v.outcome:
                    when = timezone.localtime(v.recorded_at) if v.recorded_at else None
                    who = f"{v.recorded_by or '系统'}于{when:%Y-%m-%d %H:%M}" if when else None
                    raise transitions.conflict(
                        v, doing="重复记录核查结果", field="outcome", who=who
                    )
        changed = []
        for r in rows:
            v = found[r.verification_id]
            v.outcome, v.method, v.event_date = r.outcome, r.method, r.event_date
            v.note, v.recorded_at, v.recorded_by = r.note[:200], now, user
            changed.append(v)
            counts[r.outcome] += 1
        Verification.objects.bulk_update(
            changed,
            ["outcome", "method", "event_date", "note", "recorded_at", "recorded_by"],
            batch_size=1000,
        )
        log_bulk(
            Verification,
            f"记录核查结果 {len(changed)} 条",
            {"counts": dict(counts), "ids": ids[:50]},
        )
        _confirm_received(actor=actor, verifications=changed)
        for v in changed:
            if v.outcome != Verification.Outcome.CONFIRMED:
                _apply_outcome(actor=actor, verification=v, today=today)
    return dict(counts)


def _confirm_received(*, actor: Any, verifications: list[Verification]) -> None:
    """A confirmed payment check confirms that year's issued lines as received (set-based)."""
    by_year: dict[int, list[int]] = defaultdict(list)
    for v in verifications:
        if v.outcome == Verification.Outcome.CONFIRMED and v.campaign.kind == "payment":
            by_year[v.campaign.year].append(v.beneficiary_id)
    for year, ids in by_year.items():
        confirmed = 0
        for chunk in _chunks(ids, 900):
            confirmed += PaymentLine.objects.filter(
                beneficiary_id__in=chunk,
                confirmed_at__isnull=True,
                batch__status=PaymentBatch.Status.ISSUED,
                period_start__gte=dt.date(year, 1, 1),
                period_start__lte=dt.date(year, 12, 31),
            ).update(confirmed_at=timezone.now(), confirmed_by=_user_or_none(actor))
        if confirmed:
            log_bulk(
                PaymentLine,
                f"核查确认{year}年扶助金到位 {confirmed} 笔",
                {"year": year, "count": confirmed, "beneficiaries": len(ids)},
            )


def _apply_outcome(*, actor: Any, verification: Verification, today: dt.date) -> None:
    b = verification.beneficiary
    outcome = verification.outcome
    system = None  # consequences are the system's, recorded under the same request
    if outcome == Verification.Outcome.DIED:
        result = beneficiary_terminate(
            actor=system,
            beneficiary=b,
            reason=EndReason.DEATH,
            event_date=verification.event_date,
            note=f"核查发现：{verification.campaign.title}",
        )
        if result.recoverable > 0:
            _deduct(verification)
        return
    if outcome in (Verification.Outcome.CHANGED, Verification.Outcome.DECEPTION):
        if b.status == Beneficiary.Status.ACTIVE:
            reason = EndReason.CHANGED if outcome == "changed" else EndReason.DECEPTION
            beneficiary_suspend(
                actor=system,
                beneficiary=b,
                reason=reason,
                event_date=verification.event_date or today,
                note=verification.note or f"核查发现：{verification.campaign.title}",
            )
        if outcome == Verification.Outcome.DECEPTION:
            _deduct(verification)
        return
    if outcome == Verification.Outcome.NOT_RECEIVED:
        _deduct(verification)


def _deduct(verification: Verification) -> Deduction | None:
    rule = DeductionRule.objects.filter(outcome=verification.outcome).first()
    if rule is None or rule.points <= 0:
        return None
    return Deduction.objects.create(
        township=verification.township,
        year=verification.campaign.year,
        verification=verification,
        beneficiary=verification.beneficiary,
        outcome=verification.outcome,
        points=rule.points,
        source=rule.source[:300],
    )


def platform_mark(*, actor: Any, year: int) -> int:
    """Mark the eligible for the national platform: active and confirmed in the year's full
    verification. Set-based; returns how many are marked."""
    require(actor, "funds.export_beneficiary", "无权导出国家平台数据")
    campaign = Campaign.objects.filter(kind=CampaignKind.Code.FULL, year=year).first()
    if campaign is None:
        raise ValidationError(f"{year}年尚未发起全面核查，无法确定录入国家平台的人员")
    confirmed = Verification.objects.filter(
        campaign=campaign, outcome=Verification.Outcome.CONFIRMED
    ).values("beneficiary_id")
    with transaction.atomic(), acting(actor):
        marked = Beneficiary.objects.filter(
            status=Beneficiary.Status.ACTIVE, pk__in=confirmed
        ).update(platform_year=year)
        log_bulk(Beneficiary, f"{year}年录入国家平台 {marked} 人", {"year": year, "count": marked})
    return marked
