"""Fixtures for cases: the catalogue entries, a party, and a case walked to any step."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests import factories
from tests.conftest import _officer
from zeren.cases import services
from zeren.cases.models import Case, CaseDocument, Violation
from zeren.core import workdays
from zeren.org.models import User

D = dt.date.fromisoformat


@pytest.fixture(autouse=True)
def _fresh_calendar():
    workdays.invalidate()
    yield
    workdays.invalidate()


@pytest.fixture
def sex_identification(db) -> Violation:
    return Violation.objects.get(code="sex-identification")


@pytest.fixture
def out_of_policy_birth(db) -> Violation:
    return Violation.objects.get(code="out-of-policy-birth")


@pytest.fixture
def party(admin_user, village_a):
    return factories.person(actor=admin_user, division=village_a, name="李四")


@pytest.fixture
def hearing_chair(bureau) -> User:
    """A certified officer of the bureau who is not on the test cases: may chair hearings."""
    return _officer("officer3", bureau, dt.date(2030, 12, 31), "冀执-0009")


@pytest.fixture
def officers(officer1, officer2):
    return [officer1.officer, officer2.officer]


@pytest.fixture
def file_case(officer1, head, township_a, officers, sex_identification, party):
    """File a penalty case (defaults: filed 2026-03-02 on the 2021 rule set)."""

    def make(**overrides) -> Case:
        kwargs = {
            "actor": officer1,
            "kind": "penalty",
            "violation": sex_identification,
            "township": township_a,
            "officers": officers,
            "filed_on": D("2026-03-02"),
            "approved_by": head,
            "act_date": D("2026-02-20"),
            "facts": "为孕妇进行非医学需要的胎儿性别鉴定",
            "person": party,
        }
        kwargs.update(overrides)
        return services.case_file(**kwargs)

    return make


@pytest.fixture
def walk(officer1, head, admin_user):
    """Walk a filed case forward to a named step with the default dates of the 2026 example.

    Dates: interview 03-05, notice 03-10 (hearing request due 03-17, five working days),
    statement 03-12, approval 03-18, decision 03-19, service 03-20 (fine due 04-07: 15 days
    end on Sat 04-04, a Qingming rest day, rolled to Tue 04-07).
    """

    def go(case: Case, until: str) -> Case:
        order = ["investigated", "notified", "stated", "approved", "decided", "served"]
        for step in order[: order.index(until) + 1]:
            case.refresh_from_db()
            done = {
                "investigated": case.documents.filter(form=CaseDocument.Form.INTERVIEW).exists(),
                "notified": case.notice_served_on is not None,
                "stated": case.statement_recorded_on is not None,
                "approved": case.approved_on is not None,
                "decided": case.decided_on is not None,
                "served": case.served_on is not None,
            }
            if done[step]:
                continue
            if step == "investigated":
                services.case_record_investigation(
                    actor=officer1,
                    case=case,
                    form=CaseDocument.Form.INTERVIEW,
                    on=D("2026-03-05"),
                    subject=case.party_name,
                    content="问：是否为他人做过胎儿性别鉴定？答：做过一次。",
                    signatories=[case.party_name, "officer1", "officer2"],
                    recorded_by=list(case.officers.all()),
                )
            elif step == "notified":
                services.case_serve_notice(
                    actor=officer1,
                    case=case,
                    served_on=D("2026-03-10"),
                    reasons="违法事实清楚，证据确凿",
                    circumstances=["积极配合调查、如实陈述"],
                    amount=Decimal("14000"),
                )
            elif step == "stated":
                services.case_record_statement(
                    actor=officer1, case=case, on=D("2026-03-12"), statement="当事人表示认错"
                )
            elif step == "approved":
                services.case_approve(
                    actor=head,
                    case=case,
                    approved_on=D("2026-03-18"),
                    collective_on=D("2026-03-18"),
                    collective_minutes="局务会议讨论同意",
                    legal_review_on=D("2026-03-17"),
                    legal_review_opinion="事实清楚，适用法律正确",
                )
            elif step == "decided":
                services.case_decide(actor=officer1, case=case, decided_on=D("2026-03-19"))
            elif step == "served":
                services.case_serve_decision(
                    actor=officer1,
                    case=case,
                    served_on=D("2026-03-20"),
                    recipient=case.party_name,
                    recipient_role="本人",
                    method="直接送达",
                    signature=case.party_name,
                )
        case.refresh_from_db()
        return case

    return go


@pytest.fixture
def small_fine(db) -> Violation:
    """A violation whose legal range reaches below the summary thresholds (test data only).

    The seed catalogue has none: its lowest legal minimum is 5,000 yuan.
    """
    return Violation.objects.create(
        code="test-small-fine",
        name="（测试）违反计划生育管理规定的轻微行为",
        kind="penalty",
        legal_basis="《测试管理规定》第十条：处五十元以上五千元以下罚款",
        basis=Violation.Basis.FIXED,
        legal_min=Decimal("50"),
        legal_max=Decimal("5000"),
        source="测试数据",
    )


@pytest.fixture
def decide_on_spot(officer1, township_a, small_fine, party):
    """Decide a fine on the spot (defaults: 200 yuan on Fri 2026-03-20, the 2021 rule set)."""

    def make(**overrides) -> Case:
        kwargs = {
            "actor": officer1,
            "violation": small_fine,
            "township": township_a,
            "officers": [officer1.officer],
            "decided_on": D("2026-03-20"),
            "place": "某村村委会",
            "act_date": D("2026-03-20"),
            "facts": "当场查实的轻微违法行为",
            "facts_certain": True,
            "reasons": "违法事实确凿，当事人承认",
            "statement": "当事人表示认错，不再申辩",
            "amount": Decimal("200"),
            "person": party,
            "signature": party.name,
        }
        kwargs.update(overrides)
        return services.case_decide_on_spot(**kwargs)

    return make
