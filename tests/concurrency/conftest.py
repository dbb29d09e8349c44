"""Threaded tests on PostgreSQL: requests released together, each on its own connection.

The tests are ``django_db(transaction=True)``: the threads cannot see an uncommitted test
transaction. Django would empty the database after each such test with a flush (TRUNCATE),
which the append-only change log and case events refuse on purpose (core.dbguards), so the
flush is skipped for them (:func:`_keep_committed_rows`): pytest-django runs transactional
tests after every other database test, the rows they leave are seen only by later tests of
this folder, and every name they create is unique. On SQLite (no row locks, one writer at a
time) they are skipped with the reason.
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import TransactionTestCase

from tests import factories
from tests.conftest import PASSWORD, TOWNSHIP_A
from zeren.cases import services as cases
from zeren.cases.models import Case, CaseDocument, Step, Violation
from zeren.core.audit import acting_as
from zeren.core.roles import Role
from zeren.core.transitions import TransitionConflict
from zeren.org.models import Department, Division, Section, User
from zeren.org.services import officer_certify, user_create

_names = itertools.count(1)
D = dt.date.fromisoformat


def _close_connections(self: TransactionTestCase) -> None:
    connections.close_all()


@pytest.fixture
def committed(transactional_db) -> Iterator[None]:
    """Committed data, shared with the threads the test starts (PostgreSQL only)."""
    # See the module docstring: the append-only tables cannot be flushed, and need not be.
    TransactionTestCase._fixture_teardown = _close_connections
    if connection.vendor != "postgresql":
        pytest.skip("并发测试需要 PostgreSQL（SQLite 没有行锁，写操作本就串行）")
    yield


def unique(prefix: str) -> str:
    return f"{prefix}{next(_names)}"


def bureau() -> Department:
    return Department.objects.get(code="longyao-jsj")


def township_a() -> Division:
    return Division.objects.get(code=TOWNSHIP_A)


def user(role: str, **kwargs: Any) -> User:
    name = unique(f"c_{role}_")
    with acting_as("并发测试"):
        return user_create(
            actor=None,
            username=name,
            password=PASSWORD,
            name=name,
            role=role,
            department=bureau(),
            **kwargs,
        )


def officer() -> User:
    u = user(Role.OFFICER, section=Section.objects.get(department=bureau(), name="政策法规股"))
    officer_certify(
        actor=None,
        user=u,
        number=unique("冀执-并发-"),
        valid_from=dt.date(2020, 1, 1),
        valid_to=dt.date(2030, 12, 31),
    )
    return u


@dataclass
class Outcome:
    """What each of a batch of simultaneous calls gave."""

    results: list[Any] = field(default_factory=list)
    refusals: list[ValidationError] = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)


def together(calls: list[Callable[[], Any]]) -> Outcome:
    """Run ``calls`` in threads released at once by a barrier; sort what each gave.

    A ``ValidationError`` is a refusal (a page or the API shows it, 400/409); anything else
    is an error (a 500).
    """
    barrier = threading.Barrier(len(calls))
    outcome = Outcome()
    lock = threading.Lock()

    def run(call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=30)
            result = call()
            with lock:
                outcome.results.append(result)
        except ValidationError as exc:
            with lock:
                outcome.refusals.append(exc)
        except BaseException as exc:  # anything else would be a 500
            with lock:
                outcome.errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcome


def assert_one_wins(outcomes: list[Outcome], *, message: str) -> None:
    """Each pair: one success, one clear refusal naming the winner; no errors at all."""
    errors = [e for o in outcomes for e in o.errors]
    assert errors == [], errors
    assert [len(o.results) for o in outcomes] == [1] * len(outcomes)
    assert [len(o.refusals) for o in outcomes] == [1] * len(outcomes)
    for o in outcomes:
        refusal = o.refusals[0]
        assert isinstance(refusal, TransitionConflict), refusal.messages
        assert message in refusal.messages[0] and "已由" in refusal.messages[0]


def case_makers():
    """A head, a filing officer and ``file(party=None)`` that files a penalty case."""
    head = user(Role.HEAD, section=None)
    filer = officer()
    second = officer()
    admin = user(Role.ADMIN, is_superuser=True)
    village = township_a().children.order_by("code").first()

    def file(party=None) -> Case:
        # A new party each time by default: one act is punished once (Penalty Law Art. 29).
        party = party or factories.person(actor=admin, division=village, name="并发当事人")
        return cases.case_file(
            actor=filer,
            kind="penalty",
            violation=Violation.objects.get(code="sex-identification"),
            township=township_a(),
            officers=[filer.officer, second.officer],
            filed_on=D("2026-03-02"),
            approved_by=head,
            act_date=D("2026-02-20"),
            facts="为孕妇进行非医学需要的胎儿性别鉴定",
            person=party,
        )

    return head, filer, file


def approved_case(head, filer, file) -> Case:
    """A new case walked to approval (the dates of the 2026 example in tests/cases)."""
    case = file()
    cases.case_record_investigation(
        actor=filer,
        case=case,
        form=CaseDocument.Form.INTERVIEW,
        on=D("2026-03-05"),
        subject=case.party_name,
        content="问：是否为他人做过胎儿性别鉴定？答：做过一次。",
        signatories=[case.party_name, "officer1", "officer2"],
        recorded_by=list(case.officers.all()),
    )
    cases.case_serve_notice(
        actor=filer,
        case=case,
        served_on=D("2026-03-10"),
        reasons="违法事实清楚，证据确凿",
        circumstances=["积极配合调查、如实陈述"],
        amount=Decimal("14000"),
    )
    cases.case_record_statement(actor=filer, case=case, on=D("2026-03-12"), statement="认错")
    cases.case_approve(
        actor=head,
        case=case,
        approved_on=D("2026-03-18"),
        collective_on=D("2026-03-18"),
        collective_minutes="局务会议讨论同意",
        legal_review_on=D("2026-03-17"),
        legal_review_opinion="事实清楚，适用法律正确",
    )
    case.refresh_from_db()
    assert case.step == Step.APPROVED
    return case
