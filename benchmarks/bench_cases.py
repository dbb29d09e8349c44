"""Benchmark: the deadline dashboard over N synthetic cases (default 100,000).

Run: ``uv run python benchmarks/bench_cases.py [--n N]``. Uses a throwaway data directory
and SQLite; the cases are bulk-inserted at every step of the procedure, then the dashboard
(every open deadline of every case, with its colour) is computed the way the staff page and
the daily reminder job compute it: one query for the cases, two for the rule sets.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="zeren-bench-cases-")
    os.environ["ZEREN_DATA_DIR"] = tmp
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zeren.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)

    from zeren.cases import selectors
    from zeren.cases.models import Case, RuleSet, Step, Violation
    from zeren.core import workdays
    from zeren.core.audit import acting_as, log_bulk
    from zeren.core.roles import Role
    from zeren.org.models import Department, Division
    from zeren.org.services import org_load_seed, user_create

    with acting_as("基准测试"):
        org_load_seed()
        bureau = Department.objects.filter(kind=Department.Kind.BUREAU).first()
        head = user_create(
            actor=None,
            username="head",
            password=None,
            name="局长",
            role=Role.HEAD,
            department=bureau,
        )
    townships = list(Division.objects.filter(level=Division.Level.TOWNSHIP))
    violation = Violation.objects.get(code="sex-identification")
    sets = list(RuleSet.objects.order_by("effective_from"))
    rng = random.Random(20260101)
    cal = workdays.calendar()
    steps = [s for s in Step.values]
    start = time.perf_counter()
    rows = []
    for i in range(args.n):
        filed = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randint(0, 2750))
        rule_set = sets[-1] if filed >= sets[-1].effective_from else sets[0]
        step = rng.choice(steps)
        index = steps.index(step)
        c = Case(
            number=f"BENCH-{i:07d}",
            kind="penalty",
            rule_set=rule_set,
            step=step,
            party_kind="organisation",
            organisation_name=f"单位{i}",
            legal_representative="某某",
            violation=violation,
            facts="基准测试",
            act_date=filed - dt.timedelta(days=rng.randint(1, 300)),
            township=rng.choice(townships),
            handler=head,
            filed_on=filed,
            filing_approved_by=head,
            amount=Decimal(20000),
        )
        day = filed
        if index >= steps.index(Step.NOTIFIED):
            day = c.notice_served_on = cal.add_working_days(day, rng.randint(3, 20))
        if step == Step.HEARING:
            c.hearing_requested_on = cal.add_working_days(day, 2)
            c.hearing_notice_on = cal.add_working_days(day, 3)
            c.hearing_on = cal.add_working_days(day, 12)
        if index >= steps.index(Step.APPROVED):
            day = c.approved_on = cal.add_working_days(day, 6)
        if index >= steps.index(Step.DECIDED):
            day = c.decided_on = cal.add_working_days(day, rng.randint(1, 5))
        if index >= steps.index(Step.SERVED):
            day = c.served_on = cal.add_working_days(day, rng.randint(1, 9))
            if rng.random() < 0.7:
                c.paid_off_on = day + dt.timedelta(days=rng.randint(1, 30))
        if index >= steps.index(Step.CLOSED):
            if c.paid_off_on is None:
                c.court_applied_on = day + dt.timedelta(days=200)
            day = c.closed_on = day + dt.timedelta(days=rng.randint(31, 220))
        if step == Step.ARCHIVED:
            c.archived_on = day + dt.timedelta(days=rng.randint(1, 40))
        rows.append(c)
    with acting_as("基准测试"):
        Case.objects.bulk_create(rows, batch_size=2000)
        log_bulk(Case, f"基准测试案件 {args.n} 件", {"count": args.n})
    load_seconds = time.perf_counter() - start
    print(f"cases inserted: {args.n} in {load_seconds:.2f} s ({args.n / load_seconds:,.0f} rows/s)")

    today = dt.date(2026, 6, 15)
    start = time.perf_counter()
    board = selectors.deadline_board(Case.objects.all(), today=today)
    seconds = time.perf_counter() - start
    deadlines = sum(board["colours"].values())
    print(f"dashboard: {board['cases']} open cases, {deadlines} open deadlines in {seconds:.2f} s")
    print(f"  {board['cases'] / seconds:,.0f} cases/s, {deadlines / seconds:,.0f} deadlines/s")
    print(f"  colours: {board['colours']}")
    print(f"  due this week: {len(board['this_week'])}, overdue: {len(board['overdue'])}")
    print("  by step: " + ", ".join(f"{label} {n}" for _, label, n in board["by_step"]))
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
