"""Township target-management assessment: automatic items from other capabilities' records,
manual items with a reason, 'no data' kept apart from zero, ranking by score rate."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.funds.conftest import make_beneficiary
from tests.supervision.conftest import make_permits, regime
from zeren.cases import services as case_services
from zeren.funds.models import Campaign, Deduction, Verification
from zeren.statistics import selectors
from zeren.statistics.models import AssessmentItem, AssessmentScheme, ManualScore
from zeren.statistics.services import manual_score_set
from zeren.supervision.models import InspectionTask, Result, SamplingPlan

D = dt.date.fromisoformat


def card_of(cards, township):
    return next(c for c in cards if c.township.pk == township.pk)


def points(card, code):
    return next(s.points for s in card.items if s.item.code == code)


def item(code, year=2026) -> AssessmentItem:
    return AssessmentItem.objects.get(scheme__year=year, code=code)


def plan(township, month: int, required: int, done: int) -> SamplingPlan:
    """A drawn monthly follow-up plan with ``done`` of its ``required`` checks finished."""
    r = regime("termination-followup")
    start = dt.date(2026, month, 1)
    p = SamplingPlan.objects.create(
        regime=r,
        period=f"2026-{month:02d}",
        period_start=start,
        period_end=start + dt.timedelta(days=27),
        division=township,
        status=SamplingPlan.Status.DRAWN,
        seed_hash="0" * 64,
        seed="测试",
        algorithm="hmac-sha256",
        inspection_date=start,
        due_date=start + dt.timedelta(days=27),
        required_count=required,
    )
    for i, permit in enumerate(make_permits(township, required)):
        InspectionTask.objects.create(
            plan=p,
            regime=r,
            permit=permit,
            township=township,
            inspection_date=start,
            due_date=start + dt.timedelta(days=27),
            result=Result.CONFORMING if i < done else Result.PENDING,
        )
    return p


def test_the_example_scheme_is_data_marked_unconfirmed(db):
    scheme = AssessmentScheme.objects.get(year=2026)
    assert scheme.unconfirmed and scheme.source
    items = list(scheme.items.values_list("code", "kind", "max_points"))
    assert sum(p for *_, p in items) == Decimal(100)
    assert {k for _, k, _ in items} == {"supervision", "funds", "cases", "manual"}
    assert all(i.source for i in scheme.items.all())


def test_without_any_records_every_item_is_no_data_not_zero(head, township_a):
    card = card_of(selectors.scorecards(2026, user=head), township_a)
    assert [s.points for s in card.items] == [None] * 5
    assert card.total == 0 and card.rate is None and card.rank is None
    assert "无数据" in card.items[0].note


def test_supervision_scores_the_share_of_monthly_indicators_met(head, township_a, township_b):
    plan(township_a, 1, required=2, done=2)  # met
    plan(township_a, 2, required=2, done=1)  # not met
    plan(township_a, 3, required=1, done=1)  # met
    plan(township_b, 1, required=1, done=0)
    cards = selectors.scorecards(2026, user=head)
    a, b = card_of(cards, township_a), card_of(cards, township_b)
    assert points(a, "supervision") == Decimal("13.33")  # 20 × 2/3
    assert points(b, "supervision") == Decimal("0.00")  # data, none met: zero, not "no data"
    assert (a.rank, b.rank) == (1, 2)
    assert a.items[0].note == "2/3 项按月指标达标"
    # A month still within its deadline has not failed yet: it is not counted.
    early = selectors.scorecards(2026, user=head, today=D("2026-02-20"))
    assert points(card_of(early, township_a), "supervision") == Decimal("20.00")  # January only
    assert points(card_of(early, township_b), "supervision") == Decimal("0.00")
    assert (
        points(
            card_of(selectors.scorecards(2026, user=head, today=D("2026-01-20")), township_a),
            "supervision",
        )
        is None
    )


def test_funds_scores_full_points_less_the_deductions(head, village_a, village_b, township_a):
    campaign = Campaign.objects.create(
        kind="full",
        year=2026,
        title="2026年全面核查",
        starts_on=D("2026-03-01"),
        deadline=D("2026-06-30"),
        coverage_required=Decimal("1"),
    )
    for village, outcome in (
        (village_a, "died"),
        (village_a, "deception"),
        (village_b, "confirmed"),
    ):
        b = make_beneficiary(
            village=village, account=f"62220202001122{Verification.objects.count():05d}"
        )
        v = Verification.objects.create(
            campaign=campaign, beneficiary=b, township_id=village.parent_id, outcome=outcome
        )
        if outcome != "confirmed":
            Deduction.objects.create(
                township_id=village.parent_id,
                year=2026,
                verification=v,
                beneficiary=b,
                outcome=outcome,
                points=Decimal("1.00") if outcome == "died" else Decimal("2.50"),
                source="测试",
            )
    cards = selectors.scorecards(2026, user=head)
    assert points(card_of(cards, township_a), "funds") == Decimal("16.50")  # 20 − 1 − 2.5
    assert points(card_of(cards, village_b.parent), "funds") == Decimal("20.00")
    assert selectors.scorecards(2025, user=head)[0].items[1].points is None  # other year


def test_cases_scale_the_average_file_review(
    head, section_staff, officer1, township_a, file_case, walk
):
    case = walk(file_case(), "served")
    case_services.case_record_payment(
        actor=officer1, case=case, paid_on=D("2026-04-01"), amount=case.amount, kind="principal"
    )
    case.refresh_from_db()
    case_services.case_close(actor=officer1, case=case, closed_on=D("2026-04-02"), summary="缴清")
    case.refresh_from_db()
    scores = {key: top for key, _, top in case_services.CHECKLIST}
    case_services.file_review_record(
        actor=section_staff,
        case=case,
        period="2026H1",
        reviewed_on=D("2026-06-30"),
        scores={**scores, "archive": 2},
    )
    card = card_of(selectors.scorecards(2026, user=head), township_a)
    assert points(card, "cases") == Decimal("19.40")  # 20 × 97/100


def test_manual_items_need_a_reason_and_stay_within_the_maximum(section_staff, township_a):
    reports = item("reports")
    with pytest.raises(ValidationError, match="评分理由"):
        manual_score_set(
            actor=section_staff, item=reports, township=township_a, points="18", reason=" "
        )
    with pytest.raises(ValidationError, match="0～20"):
        manual_score_set(
            actor=section_staff, item=reports, township=township_a, points="21", reason="好"
        )
    with pytest.raises(ValidationError, match="两位小数"):
        manual_score_set(
            actor=section_staff, item=reports, township=township_a, points="1.005", reason="好"
        )
    with pytest.raises(ValidationError, match="自动计分"):
        manual_score_set(
            actor=section_staff, item=item("funds"), township=township_a, points="5", reason="好"
        )
    score = manual_score_set(
        actor=section_staff,
        item=reports,
        township=township_a,
        points="18.5",
        reason="报表按时报送，一处差错",
    )
    again = manual_score_set(
        actor=section_staff, item=reports, township=township_a, points="19", reason="复核后更正"
    )
    assert score.pk == again.pk and ManualScore.objects.get().points == Decimal("19.00")


def test_township_staff_may_not_score(staff_a, township_a):
    with pytest.raises(PermissionDenied):
        manual_score_set(
            actor=staff_a, item=item("reports"), township=township_a, points="20", reason="自评"
        )


def test_ranking_is_by_score_rate_and_a_township_sees_only_its_own_card(
    head, section_staff, staff_a, township_a, township_b
):
    manual_score_set(
        actor=section_staff, item=item("reports"), township=township_a, points="15", reason="甲"
    )
    manual_score_set(
        actor=section_staff, item=item("reports"), township=township_b, points="18", reason="乙"
    )
    manual_score_set(
        actor=section_staff, item=item("srb"), township=township_b, points="10", reason="乙"
    )
    cards = selectors.scorecards(2026, user=head)
    a, b = card_of(cards, township_a), card_of(cards, township_b)
    # a: 15 of 20 = 75.00 %; b: 28 of 40 = 70.00 %: a ranks above b despite fewer points.
    assert (a.total, a.rate, a.rank) == (Decimal("15"), Decimal("75.00"), 1)
    assert (b.total, b.rate, b.rank) == (Decimal("28"), Decimal("70.00"), 2)
    own = selectors.scorecards(2026, user=staff_a)
    assert [c.township.pk for c in own] == [township_a.pk]
    assert own[0].rank == 1


def test_no_scheme_no_scorecards(head):
    assert selectors.scorecards(2031, user=head) == []
