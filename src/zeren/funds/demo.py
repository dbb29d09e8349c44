"""Demo funds data: beneficiaries, paid and confirmed batches, a finished full verification
with its consequences, and this year's payment check in progress. Idempotent."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.db.models import Q
from django.utils import timezone

from zeren.core.audit import log_bulk
from zeren.funds.models import Beneficiary, PaymentBatch, PaymentLine, Verification
from zeren.funds.services import (
    OutcomeRow,
    campaign_open,
    payment_batch_create,
    payment_batch_issue,
    verification_record,
)
from zeren.people.models import Person

DEMO_BENEFICIARIES = 1200


def load(rng: random.Random, progress: Callable[[str], None]) -> None:
    if Beneficiary.objects.exists():
        progress("演示扶助对象：已存在")
        return
    today = timezone.localdate()
    year = today.year
    people = list(
        Person.objects.filter(birth_date__lte=dt.date(year - 50, 1, 1))
        .select_related("division__parent")
        .order_by("id")[:DEMO_BENEFICIARIES]
    )
    if not people:
        progress("演示扶助对象：没有可用的演示相对人，跳过")
        return
    rows = []
    for p in people:
        village = p.division
        if village.parent_id is None:
            continue
        old = p.birth_date <= dt.date(year - 60, 12, 31)
        kind = (
            "reward"
            if old and rng.random() < 0.7
            else rng.choice(["special_death", "special_disability"])
        )
        rows.append(
            Beneficiary(
                person=p,
                kind=kind,
                residence=rng.choice(["urban", "rural", "rural"]),
                facts={"子女情况": "独生子女" if kind == "reward" else "独生子女死亡或伤残"},
                start_date=dt.date(rng.randrange(2014, year + 1), rng.randrange(1, 4), 1),
                township_id=village.parent_id,
                village=village,
                bank_name=rng.choice(["农业银行", "农村信用社", "邮储银行"]),
                bank_account=f"6{rng.randrange(10**17, 10**18)}",
            )
        )
    Beneficiary.objects.bulk_create(rows, batch_size=1000)
    log_bulk(Beneficiary, f"载入演示扶助对象 {len(rows)} 人", {"count": len(rows)})

    # Special assistance monthly up to last month, paid; this month's batch still a draft.
    for month in range(1, today.month + 1):
        batch = payment_batch_create(
            actor=None, program="special", period_of=dt.date(year, month, 1)
        )
        if month < today.month:
            payment_batch_issue(actor=None, batch=batch, issued_on=dt.date(year, month, 5))
    reward = payment_batch_create(actor=None, program="reward", period_of=dt.date(year, 1, 1))
    payment_batch_issue(actor=None, batch=reward, issued_on=dt.date(year, 1, 20))
    # Townships confirmed receipt of most of the older lines.
    issued = PaymentLine.objects.filter(
        batch__status=PaymentBatch.Status.ISSUED, confirmed_at__isnull=True
    ).filter(Q(period_start__month__lte=max(today.month - 3, 1)) | Q(batch=reward))
    ids = [pk for pk in issued.values_list("pk", flat=True) if rng.random() < 0.85]
    for i in range(0, len(ids), 900):
        PaymentLine.objects.filter(pk__in=ids[i : i + 900]).update(confirmed_at=timezone.now())

    # This year's full verification: nearly done, with a few findings.
    # opened at the start of its window (February), whenever the demo is loaded
    opened = min(today, dt.date(year, 2, 1))
    full, _ = campaign_open(actor=None, year=year, kind="full", today=opened)
    outcomes = []
    pending = list(
        Verification.objects.filter(campaign=full).select_related("beneficiary").order_by("id")
    )
    for n, v in enumerate(pending):
        if rng.random() < 0.05:
            continue  # not yet visited
        outcome, event = "confirmed", None
        if n % 97 == 5:
            outcome, event = "died", today - dt.timedelta(days=rng.randrange(40, 200))
        elif n % 211 == 7:
            outcome = "deception"
        elif n % 151 == 3:
            outcome = "not_received"
        elif n % 173 == 11:
            outcome, event = "changed", today - dt.timedelta(days=30)
        outcomes.append(
            OutcomeRow(v.pk, outcome, rng.choice(["home", "phone"]), event, "", f"演示{n}")
        )
    verification_record(actor=None, rows=outcomes, today=today)

    # The payment check of the year is in progress.
    payment, _ = campaign_open(actor=None, year=year, kind="payment", today=today)
    part = list(
        Verification.objects.filter(campaign=payment, outcome="")
        .exclude(beneficiary__status="terminated")
        .values_list("pk", flat=True)
        .order_by("id")
    )
    verification_record(
        actor=None,
        rows=[OutcomeRow(pk, "confirmed", "phone") for pk in part if rng.random() < 0.4],
        today=today,
    )
    progress(
        f"演示扶助资金：扶助对象 {len(rows)} 人，发放批次 {PaymentBatch.objects.count()} 个，"
        f"{year}年全面核查 {len(outcomes)}/{full.total}，资金到位检查进行中"
    )
