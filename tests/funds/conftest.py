"""Fixtures of the funds tests: beneficiaries made through the real services."""

from __future__ import annotations

import datetime as dt

import pytest

from tests import factories
from zeren.funds.models import Beneficiary, PaymentBatch
from zeren.funds.services import beneficiary_create, payment_batch_create, payment_batch_issue
from zeren.people.models import Person


def make_beneficiary(
    *,
    village,
    kind: str = "special_death",
    residence: str = "urban",
    start_date: dt.date = dt.date(2025, 1, 1),
    account: str = "6222020200112233445",
    name: str = "张三",
) -> Beneficiary:
    number = factories.id_number(dt.date(1960, 1, 1))
    person = Person.objects.create(
        name=name,
        id_number=number,
        birth_date=dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14])),
        sex="M" if int(number[16]) % 2 else "F",
        division=village,
    )
    return beneficiary_create(
        actor=None,
        person=person,
        kind=kind,
        residence=residence,
        village=village,
        start_date=start_date,
        bank_name="农业银行",
        bank_account=account,
        facts={"子女情况": "独生子女死亡"},
    )


def pay_months(program: str, year: int, months: range) -> list[PaymentBatch]:
    """Create and issue the monthly batches of ``months``."""
    batches = []
    for m in months:
        batch = payment_batch_create(actor=None, program=program, period_of=dt.date(year, m, 1))
        batches.append(payment_batch_issue(actor=None, batch=batch, issued_on=dt.date(year, m, 5)))
    return batches


@pytest.fixture
def beneficiary_a(village_a) -> Beneficiary:
    return make_beneficiary(village=village_a)
