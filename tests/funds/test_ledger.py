"""The payment ledger: batches, receipt, immutability, reversals, termination and recovery."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from tests.funds.conftest import make_beneficiary, pay_months
from zeren.funds.models import (
    Beneficiary,
    ConfirmedLineError,
    PaymentBatch,
    PaymentLine,
    Rate,
    RecoveryEntry,
)
from zeren.funds.services import (
    beneficiary_terminate,
    payment_batch_create,
    payment_line_reverse,
    payment_lines_confirm,
    recovery_outstanding,
    recovery_repay,
)

pytestmark = pytest.mark.django_db


def test_worked_example_death_makes_later_months_recoverable(village_a):
    """340 a month, paid monthly through July 2026, died 2026-05-10: 680.00 recoverable."""
    b = make_beneficiary(village=village_a, kind="special_death", residence="urban")
    pay_months("special", 2026, range(1, 8))
    assert PaymentLine.objects.filter(beneficiary=b).count() == 7

    result = beneficiary_terminate(
        actor=None, beneficiary=b, reason="death", event_date=dt.date(2026, 5, 10)
    )

    b.refresh_from_db()
    assert b.status == Beneficiary.Status.TERMINATED
    assert b.status_reason == "death"
    assert b.entitled_until == dt.date(2026, 5, 31)
    assert result.recoverable == Decimal("680.00")
    owed = RecoveryEntry.objects.filter(beneficiary=b, entry="owed").order_by("id")
    assert [(e.payment_line.period_start, e.amount) for e in owed] == [
        (dt.date(2026, 6, 1), Decimal("340.00")),
        (dt.date(2026, 7, 1), Decimal("340.00")),
    ]
    assert recovery_outstanding(b) == Decimal("680.00")


def test_a_batch_pays_one_line_per_person_from_the_rate_table(village_a, village_b):
    make_beneficiary(village=village_a, kind="special_death", residence="urban")
    make_beneficiary(village=village_b, kind="special_death", residence="rural")
    make_beneficiary(village=village_b, kind="special_disability", residence="urban")
    make_beneficiary(village=village_a, kind="reward", residence="rural")  # other programme
    batch = payment_batch_create(actor=None, program="special", period_of=dt.date(2026, 3, 9))
    assert (batch.period_start, batch.period_end) == (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert batch.line_count == 3
    assert batch.total == Decimal("780.00")  # 340 + 170 + 270
    with pytest.raises(ValidationError, match="已有发放批次"):
        payment_batch_create(actor=None, program="special", period_of=dt.date(2026, 3, 20))


def test_the_reward_batch_is_yearly_and_counts_partial_years(village_a):
    make_beneficiary(
        village=village_a, kind="reward", residence="rural", start_date=dt.date(2026, 4, 2)
    )
    batch = payment_batch_create(actor=None, program="reward", period_of=dt.date(2026, 1, 1))
    assert batch.period_label == "2026年"
    assert batch.total == Decimal("720.00")  # April to December at 80 a month


def test_an_edited_rate_applies_to_the_next_batch(village_a):
    make_beneficiary(village=village_a, kind="reward", residence="rural")
    Rate.objects.create(
        kind="reward",
        level="provincial",
        amount=Decimal(240),
        unit="year",
        valid_from=dt.date(2026, 1, 1),
        source="省级增发（测试）",
        unconfirmed=True,
    )
    batch = payment_batch_create(actor=None, program="reward", period_of=dt.date(2026, 6, 1))
    assert batch.total == Decimal("1200.00")


def test_a_confirmed_line_cannot_be_edited_and_a_reversal_corrects_it(beneficiary_a):
    pay_months("special", 2026, range(1, 2))
    line = PaymentLine.objects.get(beneficiary=beneficiary_a)
    assert payment_lines_confirm(actor=None, lines=[line.pk]) == 1
    line.refresh_from_db()

    line.amount = Decimal("1.00")
    with pytest.raises(ConfirmedLineError):
        line.save()
    with pytest.raises(ConfirmedLineError):
        PaymentLine.objects.filter(pk=line.pk).update(amount=Decimal("1.00"))
    with pytest.raises(ConfirmedLineError):
        line.delete()
    # The database refuses as well, whatever path the write takes.
    with pytest.raises(DatabaseError), transaction.atomic():
        PaymentLine._base_manager.filter(pk=line.pk).update(amount=Decimal("1.00"))
    with pytest.raises(DatabaseError), transaction.atomic():
        PaymentLine._base_manager.filter(pk=line.pk)._raw_delete(PaymentLine.objects.db)
    line.refresh_from_db()
    assert line.amount == Decimal("340.00")

    reversal, _correction = payment_line_reverse(
        actor=None, line=line, note="标准错误，应按农村发放", corrected_amount=Decimal("170")
    )
    entries = PaymentLine.objects.filter(beneficiary=beneficiary_a).order_by("id")
    assert [(e.entry, e.amount) for e in entries] == [
        ("payment", Decimal("340.00")),
        ("reversal", Decimal("-340.00")),
        ("correction", Decimal("170.00")),
    ]
    assert reversal.reverses == line and reversal.confirmed_at is not None
    assert sum(e.amount for e in entries) == Decimal("170.00")
    with pytest.raises(ValidationError, match="已冲正"):
        payment_line_reverse(actor=None, line=line, note="再冲一次")


def test_only_issued_lines_can_be_confirmed(beneficiary_a):
    batch = payment_batch_create(actor=None, program="special", period_of=dt.date(2026, 1, 1))
    assert batch.status == PaymentBatch.Status.DRAFT
    assert payment_lines_confirm(actor=None, lines=batch.lines.all()) == 0


def test_death_cuts_back_an_unissued_quarter(village_a):
    from zeren.funds.models import PaymentPlan

    PaymentPlan.objects.create(
        program="special", frequency="quarterly", valid_from=dt.date(2026, 1, 1), source="测试"
    )
    b = make_beneficiary(village=village_a)
    batch = payment_batch_create(actor=None, program="special", period_of=dt.date(2026, 4, 1))
    assert batch.total == Decimal("1020.00")
    result = beneficiary_terminate(
        actor=None, beneficiary=b, reason="death", event_date=dt.date(2026, 5, 10)
    )
    assert result.recoverable == Decimal("0.00")  # nothing paid yet, the line is cut back
    batch.refresh_from_db()
    assert batch.total == Decimal("680.00")


def test_deception_makes_everything_since_ineligibility_recoverable(village_a):
    b = make_beneficiary(village=village_a, kind="special_death", residence="rural")
    pay_months("special", 2026, range(1, 7))
    # Ineligible since 2026-03-15: the rule stops entitlement at the end of February,
    # so March to June (4 x 170 = 680) is recovered.
    result = beneficiary_terminate(
        actor=None, beneficiary=b, reason="deception", event_date=dt.date(2026, 3, 15)
    )
    assert result.entitled_until == dt.date(2026, 2, 28)
    assert result.recoverable == Decimal("680.00")
    # Later batches no longer pay a terminated person.
    batch = payment_batch_create(actor=None, program="special", period_of=dt.date(2026, 7, 1))
    assert not batch.lines.filter(beneficiary=b).exists()


def test_repayments_reduce_what_is_outstanding_but_never_below_zero(village_a):
    b = make_beneficiary(village=village_a)
    pay_months("special", 2026, range(1, 8))
    beneficiary_terminate(
        actor=None, beneficiary=b, reason="death", event_date=dt.date(2026, 5, 10)
    )
    recovery_repay(actor=None, beneficiary=b, amount=Decimal("300"), date=dt.date(2026, 8, 1))
    assert recovery_outstanding(b) == Decimal("380.00")
    with pytest.raises(ValidationError, match="超过应追回余额"):
        recovery_repay(actor=None, beneficiary=b, amount=Decimal("381"), date=dt.date(2026, 8, 2))
    # The recovery ledger is append-only in the database too.
    with pytest.raises(DatabaseError), transaction.atomic():
        RecoveryEntry.objects.filter(beneficiary=b).update(amount=Decimal(1))


def test_terminating_twice_is_refused(beneficiary_a):
    beneficiary_terminate(
        actor=None, beneficiary=beneficiary_a, reason="death", event_date=dt.date(2026, 5, 10)
    )
    with pytest.raises(ValidationError, match="已于"):
        beneficiary_terminate(
            actor=None, beneficiary=beneficiary_a, reason="death", event_date=dt.date(2026, 5, 10)
        )
