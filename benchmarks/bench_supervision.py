"""Benchmark: draw every township's plan over N synthetic licences and compute the status table.

    uv run python benchmarks/bench_supervision.py            # 1,000,000 licences
    uv run python benchmarks/bench_supervision.py --n 50000  # quicker

Licences are bulk-inserted into a throwaway database (half re-birth permits, half termination
approvals, spread evenly over the townships and over the last twelve months). Holders are
shared: one synthetic person per ten licences, since sampling never looks at the holder. The
draws and the status table are set-based: the query counts printed below do not grow with N
(only the number of insert batches does).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def setup() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "zeren.settings"
    os.environ["ZEREN_DATA_DIR"] = tempfile.mkdtemp(prefix="zeren-bench-")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


class QueryCounter:
    """Counts statements, separating bulk INSERT batches (which grow with N by design)."""

    def __init__(self) -> None:
        self.inserts = 0
        self.others = 0

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("INSERT"):
            self.inserts += 1
        else:
            self.others += 1
        return execute(sql, params, many, context)

    def __str__(self) -> str:
        return f"  queries={self.others} (+{self.inserts} insert batches)"


def figure(label: str, rows: int, seconds: float, queries: QueryCounter | None = None) -> None:
    rate = rows / seconds if seconds > 0 else float("inf")
    extra = str(queries) if queries is not None else ""
    print(f"{label:<42} rows={rows:>9,}  seconds={seconds:8.2f}  rows/s={rate:>12,.0f}{extra}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000, help="number of licences")
    parser.add_argument("--period", default="2026-03")
    args = parser.parse_args()
    setup()

    from django.db import connection, transaction

    from zeren.core.audit import acting_as
    from zeren.org.models import Division
    from zeren.org.services import org_load_seed
    from zeren.people.models import Person
    from zeren.people.rules import make_id_number
    from zeren.permits.models import Permit, PermitKind
    from zeren.supervision import rules
    from zeren.supervision.selectors import regime_in_force, status_rows
    from zeren.supervision.services import sampling_plan_commit, sampling_plan_draw

    actor = "基准测试"
    with acting_as(actor):
        org_load_seed()
    townships = list(Division.objects.filter(level=Division.Level.TOWNSHIP).order_by("code"))
    villages = []
    for t in townships:
        v, _ = Division.objects.get_or_create(
            code=f"{t.code}201",
            defaults={"name": f"{t.name}基准村", "level": Division.Level.VILLAGE, "parent": t},
        )
        villages.append(v)
    _, end = rules.parse_period(args.period)
    start = rules.months_back(end, 12)
    span = (end - start).days + 1

    n_persons = max(1, args.n // 10)
    t0 = time.perf_counter()
    batch: list[Person] = []
    for i in range(n_persons):
        birth = dt.date(1975, 1, 1) + dt.timedelta(days=i // 1000)
        batch.append(
            Person(
                name=f"基准{i}",
                id_number=make_id_number("130525", birth, i % 1000),
                birth_date=birth,
                sex="F",
                division=villages[i % len(villages)],
            )
        )
        if len(batch) == 20_000:
            Person.objects.bulk_create(batch)
            batch = []
    Person.objects.bulk_create(batch)
    figure("insert persons (encrypted)", n_persons, time.perf_counter() - t0)
    person_ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))

    t0 = time.perf_counter()
    chunk = 50_000
    for offset in range(0, args.n, chunk):
        rows = []
        for i in range(offset, min(args.n, offset + chunk)):
            approved = start + dt.timedelta(days=i % span)
            k = i % len(townships)
            rows.append(
                Permit(
                    kind=PermitKind.TERMINATION if i % 2 else PermitKind.REBIRTH,
                    number=f"B{i:08d}",
                    holder_id=person_ids[i % len(person_ids)],
                    township_id=townships[k].pk,
                    village_id=villages[k].pk,
                    approval_date=approved,
                    valid_from=approved,
                    valid_to=approved + dt.timedelta(days=365),
                )
            )
        with transaction.atomic():
            Permit.objects.bulk_create(rows, batch_size=5000)
    figure("insert licences", args.n, time.perf_counter() - t0)

    total_tasks = 0
    total_population = 0
    t_all = time.perf_counter()
    for code in ("termination-followup", "rebirth-followup"):
        regime = regime_in_force(code, end)
        t0 = time.perf_counter()
        tasks = population = 0
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            for township in townships:
                plan = sampling_plan_commit(
                    actor=actor, regime=regime, period=args.period, division=township
                )
                plan = sampling_plan_draw(actor=actor, plan=plan)
                tasks += plan.required_count
                population += plan.population_count
        figure(
            f"draw {code} ({len(townships)} townships)",
            population,
            time.perf_counter() - t0,
            counter,
        )
        print(f"{'':<42} tasks created={tasks:,}")
        total_tasks += tasks
        total_population += population
    figure("draw all township plans", total_population, time.perf_counter() - t_all)

    t0 = time.perf_counter()
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        table = status_rows(args.period)
    figure("status table", total_tasks, time.perf_counter() - t0, counter)
    print(f"{'':<42} status rows={len(table)}")
    sample = table[0].as_json()
    print(f"{'':<42} first row={sample}")


if __name__ == "__main__":
    main()
