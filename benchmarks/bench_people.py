"""Persons at scale: bulk registration with encryption, scoped paging, exact ID look-up.

    uv run python benchmarks/bench_people.py                    # 200,000 persons, SQLite
    uv run python benchmarks/bench_people.py --n 1000000 \
        --database-url postgres://postgres@127.0.0.1:5432/zeren_bench   # an empty database

Prints, for each step, the rows, seconds, rows per second and queries. What it shows: SM4
encryption and the keyed SM3 index cost per row at insert time only; a township user's
first page and next page come from the index on (division, -id) without counting the table;
an exact ID number look-up is one indexed query whatever the table size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def setup(database_url: str | None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zeren.settings")
    os.environ["ZEREN_DATA_DIR"] = tempfile.mkdtemp(prefix="zeren-bench-people-")
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def report(step: str, rows: int, seconds: float, queries: int | None = None) -> None:
    rate = f"{rows / seconds:>12,.0f}/s" if seconds > 0 and rows else " " * 14
    q = f"{queries:>6} queries" if queries is not None else ""
    print(f"{step:<44}{rows:>12,} rows {seconds:>9.3f} s {rate} {q}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000, help="persons to create")
    parser.add_argument("--database-url", help="an empty database (default: a new SQLite file)")
    args = parser.parse_args()
    setup(args.database_url)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zeren.core.audit import acting_as, log_bulk
    from zeren.core.roles import Role
    from zeren.org.models import Department, Division
    from zeren.org.services import org_load_seed, user_create
    from zeren.people.models import Person
    from zeren.people.rules import make_id_number
    from zeren.people.services import person_find_by_id_number

    with acting_as("基准测试"):
        org_load_seed()
        villages = []
        for township in Division.objects.filter(level=Division.Level.TOWNSHIP):
            for n in range(1, 21):
                villages.append(
                    Division.objects.get_or_create(
                        code=f"{township.code}{200 + n:03d}",
                        defaults={
                            "name": f"{township.name}{n}村",
                            "parent": township,
                            "level": Division.Level.VILLAGE,
                        },
                    )[0]
                )
    rng = random.Random(7)
    start = time.perf_counter()
    batch, made, numbers = [], 0, []
    for i in range(args.n):
        birth = dt.date(1940, 1, 1) + dt.timedelta(days=i // 1000)
        number = make_id_number("130525", birth, i % 1000)
        if i % 50_000 == 0:
            numbers.append(number)
        village = villages[rng.randrange(len(villages))]
        batch.append(
            Person(
                name=f"人{i}",
                id_number=number,
                birth_date=birth,
                sex="M" if i % 2 else "F",
                phone=f"138{i:08d}",
                division=village,
            )
        )
        if len(batch) == 5000:
            Person.objects.bulk_create(batch)
            made += len(batch)
            batch.clear()
            if made % 100_000 == 0:
                print(f"  … {made:,}", flush=True)
    if batch:
        Person.objects.bulk_create(batch)
        made += len(batch)
    log_bulk(Person, f"基准测试登记 {made} 人", {"count": made})
    report("bulk register (encrypt + keyed hash)", made, time.perf_counter() - start)

    bureau = Department.objects.get(code="longyao-jsj")
    township = Division.objects.get(code="130525100")
    user = user_create(
        actor=None,
        username="bench",
        password=None,
        name="基准",
        role=Role.TOWNSHIP,
        department=bureau,
        township=township,
    )

    with CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        first = list(Person.objects.restrict(user, "view").select_related("division")[:50])
        seconds = time.perf_counter() - start
    report("township user, first page of 50", len(first), seconds, len(ctx.captured_queries))
    with CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        following = list(
            Person.objects.restrict(user, "view")
            .filter(id__lt=first[-1].id)
            .select_related("division")[:50]
        )
        seconds = time.perf_counter() - start
    report("township user, next page (keyset)", len(following), seconds, len(ctx.captured_queries))

    superuser = user_create(
        actor=None,
        username="bench-admin",
        password=None,
        name="管理员",
        role=Role.ADMIN,
        department=bureau,
        is_superuser=True,
    )
    with CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        found = [person_find_by_id_number(actor=superuser, id_number=n) for n in numbers]
        seconds = time.perf_counter() - start
    assert all(found), "every sampled number must be found"
    report(f"exact ID look-up x{len(numbers)}", len(found), seconds, len(ctx.captured_queries))


if __name__ == "__main__":
    main()
