"""The indicators: per regime × township × period, matching the tasks actually done."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.supervision.conftest import make_permits, regime
from zeren.cli import main
from zeren.supervision.models import InspectionTask, Result, SamplingPlan
from zeren.supervision.selectors import status_rows
from zeren.supervision.services import sampling_plan_commit, sampling_plan_draw

pytestmark = pytest.mark.django_db
FIELDS = {
    "regime",
    "township",
    "population",
    "required",
    "sampled",
    "done",
    "conforming",
    "attainment",
    "met",
}


def _draw(actor, code, division, period="2026-03"):
    plan = sampling_plan_commit(actor=actor, regime=regime(code), period=period, division=division)
    return sampling_plan_draw(actor=actor, plan=plan)


def _status(capsys, *args):
    assert main(["supervision", "status", "--period", "2026-03", "--format", "json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_status_matches_the_tasks_actually_done(capsys, head, township_a, township_b):
    make_permits(township_a, 7)
    plan = _draw(head, "termination-followup", township_a)
    tasks = list(plan.tasks.order_by("pk"))
    InspectionTask.objects.filter(pk__in=[t.pk for t in tasks[:3]]).update(
        result=Result.CONFORMING, visit_date=dt.date(2026, 3, 9)
    )
    InspectionTask.objects.filter(pk=tasks[3].pk).update(result=Result.FINDING)
    rows = _status(capsys)
    assert all(set(r) == FIELDS for r in rows)
    row = next(
        r
        for r in rows
        if r["regime"] == "termination-followup" and r["township"] == township_a.code
    )
    assert row == {
        "regime": "termination-followup",
        "township": township_a.code,
        "population": 7,
        "required": 6,
        "sampled": 6,
        "done": 4,
        "conforming": 3,
        "attainment": 0.6667,
        "met": False,
    }
    done_in_db = plan.tasks.exclude(result=Result.PENDING).count()
    assert row["done"] == done_in_db
    empty = next(
        r
        for r in rows
        if r["regime"] == "termination-followup" and r["township"] == township_b.code
    )
    assert empty["population"] == 0 and empty["attainment"] is None and empty["met"] is None


def test_a_met_target(capsys, head, township_a):
    make_permits(township_a, 2)
    plan = _draw(head, "termination-followup", township_a)
    plan.tasks.update(result=Result.CONFORMING)
    row = next(
        r
        for r in _status(capsys, "--township", township_a.code)
        if r["regime"] == "termination-followup"
    )
    assert (row["required"], row["done"], row["attainment"], row["met"]) == (2, 2, 1.0, True)


def test_an_undrawn_township_shows_its_live_population(head, township_a):
    make_permits(township_a, 5)
    row = next(
        r
        for r in status_rows("2026-03", township=township_a)
        if r.regime.code == "termination-followup"
    )
    assert (row.population, row.required, row.sampled, row.plan_id) == (5, 4, 0, None)


def test_a_township_sees_only_its_own_rows(staff_a, head, township_a, township_b):
    make_permits(township_a, 2)
    make_permits(township_b, 2)
    _draw(head, "termination-followup", township_a)
    _draw(head, "termination-followup", township_b)
    rows = status_rows("2026-03", user=staff_a)
    assert {r.division.code for r in rows} == {township_a.code}
    assert len({r.division.code for r in status_rows("2026-03", user=head)}) > 2


def test_the_status_table_is_set_based(django_assert_max_num_queries, head, township_a, township_b):
    make_permits(township_a, 20)
    make_permits(township_b, 20)
    _draw(head, "termination-followup", township_a)
    _draw(head, "termination-followup", township_b)
    with django_assert_max_num_queries(12):
        rows = status_rows("2026-03")
    assert len(rows) > 20


def test_cli_draw_then_verify_and_tamper(capsys, head, township_a):
    make_permits(township_a, 10)
    assert (
        main(
            [
                "supervision",
                "draw",
                "--regime",
                "termination-followup",
                "--period",
                "2026-03",
                "--township",
                township_a.code,
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    plan = SamplingPlan.objects.get()
    assert plan.seed_hash in out and "应抽查 8 件" in out
    assert main(["supervision", "verify", str(plan.pk)]) == 0
    assert "验证通过" in capsys.readouterr().out
    outsider = next(i for i in plan.population if i not in plan.sample)
    SamplingPlan.objects.filter(pk=plan.pk).update(sample=[outsider, *plan.sample[1:]])
    assert main(["supervision", "verify", str(plan.pk)]) == 2
    assert "验证未通过" in capsys.readouterr().err


def test_cli_draw_with_no_subjects(capsys, head, township_b):
    code = main(
        [
            "supervision",
            "draw",
            "--regime",
            "termination-followup",
            "--period",
            "2026-03",
            "--township",
            township_b.code,
        ]
    )
    assert code == 0 and "no subjects" in capsys.readouterr().out


def test_cli_refuses_a_bad_period_and_an_unknown_regime(capsys):
    assert main(["supervision", "status", "--period", "2026-3", "--format", "json"]) == 2
    assert "YYYY-MM" in capsys.readouterr().err
    assert main(["supervision", "draw", "--regime", "nope", "--period", "2026-03"]) == 2
    assert "没有代码为 nope" in capsys.readouterr().err
