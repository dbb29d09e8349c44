"""Sampling plans: committed seed, frozen population, reproducible draw, tamper detection,
and officers drawn at random under the certificate and conflict rules."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests.supervision.conftest import make_permits, regime
from zeren.org.models import Officer
from zeren.permits.models import PermitKind
from zeren.supervision import rules
from zeren.supervision.models import ConflictDeclaration, InspectionTask, SamplingPlan
from zeren.supervision.services import (
    DrawRefused,
    check_crew,
    conflict_declare,
    inspection_task_assign,
    sampling_plan_commit,
    sampling_plan_draw,
    sampling_plan_verify,
)

pytestmark = pytest.mark.django_db
PERIOD = "2026-03"


def draw(actor, code, division=None, **kwargs):
    plan = sampling_plan_commit(
        actor=actor, regime=regime(code), period=PERIOD, division=division, **kwargs
    )
    return sampling_plan_draw(actor=actor, plan=plan)


def test_seven_at_eighty_percent_gives_six_tasks(head, township_a):
    make_permits(township_a, 7)
    plan = draw(head, "termination-followup", township_a)
    assert (plan.population_count, plan.required_count) == (7, 6)
    assert plan.tasks.count() == 6
    assert plan.seed_hash == rules.seed_hash(plan.seed)


def test_no_subjects_gives_no_tasks(head, township_b):
    plan = draw(head, "termination-followup", township_b)
    assert plan.population_count == 0 and plan.required_count == 0
    assert plan.no_subjects and not plan.tasks.exists()


def test_eight_files_with_a_minimum_of_ten_gives_eight(head, township_a, officer1, officer2):
    make_permits(township_a, 8, kind=PermitKind.REBIRTH)
    make_permits(township_a, 3, kind=PermitKind.REBIRTH, approval_date=dt.date(2026, 1, 5))
    plan = draw(head, "rebirth-spot-check")  # county-wide, this month's approvals only
    assert (plan.population_count, plan.required_count, plan.tasks.count()) == (8, 8, 8)


def test_the_population_is_frozen_at_draw_time(head, township_a):
    first = make_permits(township_a, 5)
    plan = draw(head, "termination-followup", township_a)
    make_permits(township_a, 5)
    assert sorted(plan.population) == sorted(p.pk for p in first)
    assert sampling_plan_verify(plan=plan).ok


def test_rerunning_a_recorded_draw_reproduces_it(head, township_a, officer1, officer2):
    make_permits(township_a, 30)
    plan = draw(head, "termination-special", seed="公开摇号 2026-03-01 0347")
    assert plan.seed_hash == rules.seed_hash("公开摇号 2026-03-01 0347")
    again = rules.draw(plan.seed, plan.population, plan.required_count)
    assert again == plan.sample and plan.required_count == 6  # 20% of 30
    result = sampling_plan_verify(plan=plan)
    assert result.ok, result.problems


def test_a_plan_is_drawn_once(head, township_a):
    make_permits(township_a, 3)
    plan = draw(head, "termination-followup", township_a)
    with pytest.raises(ValidationError, match="不能重抽"):
        sampling_plan_draw(actor=head, plan=plan)
    # Committing again returns the same plan and seed: no re-roll.
    again = sampling_plan_commit(
        actor=head, regime=regime("termination-followup"), period=PERIOD, division=township_a
    )
    assert again.pk == plan.pk and again.seed == plan.seed


def test_tampering_with_the_stored_sample_fails_verification(head, township_a):
    make_permits(township_a, 10)
    plan = draw(head, "termination-followup", township_a)
    left_out = next(i for i in plan.population if i not in plan.sample)
    SamplingPlan.objects.filter(pk=plan.pk).update(sample=[left_out, *plan.sample[1:]])
    problems = sampling_plan_verify(plan=plan).problems
    assert "记录的抽中对象与按种子重算的结果不符" in problems


def test_swapping_a_task_fails_verification(head, township_a):
    permits = make_permits(township_a, 10)
    plan = draw(head, "termination-followup", township_a)
    left_out = next(p for p in permits if p.pk not in plan.sample)
    task = plan.tasks.order_by("pk").first()
    InspectionTask.objects.filter(pk=task.pk).update(permit=left_out)
    assert "检查任务所涉许可与按种子重算的抽中对象不符" in sampling_plan_verify(plan=plan).problems


def test_tampering_with_the_population_or_seed_fails_verification(head, township_a):
    make_permits(township_a, 10)
    plan = draw(head, "termination-followup", township_a)
    SamplingPlan.objects.filter(pk=plan.pk).update(population=plan.population[:-1])
    assert any("名单被改动" in p for p in sampling_plan_verify(plan=plan).problems)
    SamplingPlan.objects.filter(pk=plan.pk).update(population=plan.population, seed="another")
    assert "种子与事先承诺的哈希不符" in sampling_plan_verify(plan=plan).problems


def test_officers_are_drawn_two_per_task_with_valid_certificates(
    head, township_a, officer1, officer2, officer_expired
):
    make_permits(township_a, 10)
    plan = draw(head, "termination-special")
    expired = Officer.objects.get(user=officer_expired).pk
    assert expired not in plan.officer_pool
    for task in plan.tasks.all():
        crew = set(task.crew.values_list("officer__user__username", flat=True))
        assert crew == {"officer1", "officer2"}
    assert sampling_plan_verify(plan=plan).ok


def test_too_few_eligible_officers_is_refused_clearly(head, township_a, officer1, officer_expired):
    make_permits(township_a, 5)
    plan = sampling_plan_commit(actor=head, regime=regime("termination-special"), period=PERIOD)
    with pytest.raises(DrawRefused, match=r"可抽派的执法人员不足.*目前只有1名"):
        sampling_plan_draw(actor=head, plan=plan)
    plan.refresh_from_db()
    assert plan.status == SamplingPlan.Status.COMMITTED and not plan.tasks.exists()


def test_a_conflict_leaving_too_few_officers_is_refused(head, township_a, officer1, officer2):
    permits = make_permits(township_a, 1)
    conflict_declare(
        actor=head,
        officer=Officer.objects.get(user=officer1),
        kind=ConflictDeclaration.Kind.RELATIVE,
        person=permits[0].holder,
    )
    plan = sampling_plan_commit(actor=head, regime=regime("termination-special"), period=PERIOD)
    with pytest.raises(DrawRefused, match=f"许可{permits[0].number}：排除有回避情形"):
        sampling_plan_draw(actor=head, plan=plan)


def test_a_conflicted_officer_is_passed_over(head, bureau, township_a, officer1, officer2):
    from tests.conftest import _officer

    third = Officer.objects.get(user=_officer("officer3", bureau, dt.date(2030, 1, 1), "冀执-9"))
    permits = make_permits(township_a, 4)
    third.village = permits[0].village  # same village as every subject here
    third.save()
    plan = draw(head, "termination-special")
    assert third.pk not in {o for crew in plan.assignments.values() for o in crew}
    assert all(third.pk in plan.officer_exclusions[str(s)] for s in plan.sample)
    assert sampling_plan_verify(plan=plan).ok


# --- assigning a crew by hand ----------------------------------------------------------


@pytest.fixture
def task(head, township_a, officer1, officer2):
    make_permits(township_a, 5)
    return draw(head, "termination-special").tasks.first()


def _officers(*users):
    return [Officer.objects.get(user=u) for u in users]


def test_a_single_officer_is_refused(head, task, officer1):
    with pytest.raises(ValidationError, match="不得少于2名"):
        inspection_task_assign(actor=head, task=task, officers=_officers(officer1), reason="病假")


def test_an_officer_without_a_valid_certificate_is_refused(head, task, officer1, officer_expired):
    with pytest.raises(ValidationError, match="没有有效的行政执法证"):
        inspection_task_assign(
            actor=head, task=task, officers=_officers(officer1, officer_expired), reason="病假"
        )


def test_a_conflicted_officer_is_refused(head, task, officer1, officer2):
    conflict_declare(
        actor=head,
        officer=Officer.objects.get(user=officer2),
        kind=ConflictDeclaration.Kind.INTEREST,
        person=task.permit.holder,
        note="生意往来",
    )
    with pytest.raises(ValidationError, match="officer2已申报回避（利害关系），应当回避"):
        check_crew(task=task, officers=_officers(officer1, officer2), on=task.inspection_date)


def test_an_officer_from_the_subjects_village_is_refused(head, task, officer1, officer2):
    o = Officer.objects.get(user=officer2)
    o.village = task.permit.village
    o.save()
    with pytest.raises(ValidationError, match="与检查对象同村"):
        check_crew(task=task, officers=_officers(officer1, officer2), on=task.inspection_date)


def test_a_reassignment_is_noted_and_verification_still_passes(
    head, bureau, task, officer1, officer2
):
    from tests.conftest import _officer

    other = _officer("officer4", bureau, dt.date(2030, 1, 1), "冀执-8")
    inspection_task_assign(
        actor=head, task=task, officers=_officers(officer1, other), reason="病假"
    )
    result = sampling_plan_verify(plan=task.plan)
    assert result.ok and any("已改派（病假）" in n for n in result.notes)
