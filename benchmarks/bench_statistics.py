"""Statistics at scale: a million births written in bulk, then the sex ratio at birth per township.

    uv run python benchmarks/bench_statistics.py             # 1,000,000 births
    uv run python benchmarks/bench_statistics.py --n 100000

Mothers are synthetic persons made set-based in SQL (set-up, not measured; their personal data
is placeholder text, which statistics never reads). The births are written with bulk_create in
chunks, as the import writes them; the indicators are the real selector (one grouped query), and
the daily alert job is the real service.
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

ORDERS = 4  # births per synthetic mother (orders 1..4), so mothers = n / 4


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zeren.settings")
    os.environ["ZEREN_DATA_DIR"] = tempfile.mkdtemp(prefix="zeren-bench-statistics-")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from zeren.core.audit import acting_as
    from zeren.org.models import Division
    from zeren.org.services import org_load_seed

    with acting_as("基准测试"):
        org_load_seed()
        for township in Division.objects.filter(level=Division.Level.TOWNSHIP):
            for n in range(1, 9):
                Division.objects.get_or_create(
                    code=f"{township.code}{200 + n:03d}",
                    defaults={
                        "name": f"{township.name}{n}村",
                        "level": Division.Level.VILLAGE,
                        "parent": township,
                    },
                )


def make_mothers(n: int) -> list[tuple[int, int, int]]:
    """``n`` synthetic women (INSERT ... SELECT over a counter); (person, village, township)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from zeren.org.models import Division

    villages = list(
        Division.objects.filter(level="village").order_by("id").values_list("id", "parent_id")
    )
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as c:
        c.execute("SELECT COALESCE(MAX(id), 0) FROM people_person")
        base = c.fetchone()[0]
        c.execute("CREATE TEMP TABLE bench_village (k INTEGER PRIMARY KEY, village INTEGER)")
        c.executemany(
            "INSERT INTO bench_village VALUES (%s, %s)",
            [(k, v) for k, (v, _) in enumerate(villages)],
        )
        c.execute(
            "INSERT INTO people_person (id, name, id_number, id_number_hash, birth_date, sex, phone, "
            "phone_hash, address, division_id, created_at, updated_at) "
            "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < %s) "
            "SELECT %s + n, 'bench', 'synthetic', 'bench-' || n, %s, 'F', '', '', '', "
            "bv.village, %s, %s FROM seq JOIN bench_village bv ON bv.k = n %% %s",
            [n, base, dt.date(1985, 1, 1), now, now, len(villages)],
        )
        c.execute("DROP TABLE bench_village")
    township_of = dict(villages)
    from zeren.people.models import Person

    return [
        (pk, village, township_of[village])
        for pk, village in Person.objects.filter(pk__gt=base).values_list("pk", "division_id")
    ]


def bench_births(n: int, year: int) -> None:
    from django.db import transaction

    from zeren.core.audit import log_bulk
    from zeren.statistics.models import Birth

    t = time.perf_counter()
    mothers = make_mothers(n // ORDERS)
    print(f"set-up: {len(mothers):,} synthetic mothers in {time.perf_counter() - t:.1f} s")
    rng = random.Random(20260101)
    start = dt.date(year, 1, 1)
    t = time.perf_counter()
    written = 0
    with transaction.atomic():
        chunk: list[Birth] = []
        for pk, village, township in mothers:
            for order in range(1, ORDERS + 1):
                chunk.append(
                    Birth(
                        mother_id=pk,
                        sex="M" if rng.random() < 0.515 else "F",
                        birth_date=start + dt.timedelta(days=rng.randrange(365)),
                        birth_order=order,
                        township_id=township,
                        village_id=village,
                        source="基准测试",
                    )
                )
            if len(chunk) >= 5000:
                Birth.objects.bulk_create(chunk)
                written += len(chunk)
                chunk = []
        Birth.objects.bulk_create(chunk)
        written += len(chunk)
        log_bulk(Birth, f"基准测试出生登记 {written} 条", {"rows": written})
    seconds = time.perf_counter() - t
    print(f"births: {written:,} rows written in {seconds:.1f} s ({written / seconds:,.0f} rows/s)")


def bench_srb(year: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zeren.statistics import selectors
    from zeren.statistics.services import alerts_record

    for period in (str(year), f"{year}-Q2", f"{year}-06"):
        t = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            rows = selectors.indicator_rows(period)
        seconds = time.perf_counter() - t
        births = sum(r.births for r in rows if r.division.level == "township")
        county = rows[-1]
        print(
            f"srb {period}: {len(rows)} rows over {births:,} births in {seconds:.2f} s, "
            f"{len(queries)} queries; county {county.srb} ({county.srb_level})"
        )
    t = time.perf_counter()
    added = alerts_record(today=dt.date(year, 12, 31))
    again = alerts_record(today=dt.date(year, 12, 31))
    print(f"alerts: {added} recorded, rerun added {again}, {time.perf_counter() - t:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="births to write")
    parser.add_argument("--year", type=int, default=2025)
    args = parser.parse_args()
    setup()
    bench_births(args.n, args.year)
    bench_srb(args.year)


if __name__ == "__main__":
    main()
