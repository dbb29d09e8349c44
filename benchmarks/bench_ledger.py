"""Benchmark: the ledger status of a county-year over N automatic records (default 1,000,000).

Run: ``uv run python benchmarks/bench_ledger.py [--n N]`` on SQLite in a throwaway data
directory, or with ``DATABASE_URL=postgres://…/zeren_bench`` on PostgreSQL (the database is
migrated and filled; use a database of its own). It loads the organisation and the list, writes
N automatic records spread over the 25 work items and the year's days (made by one
INSERT … SELECT in the database), then times:

- the product path: ``selectors.ledger_status("2026")`` (what the CLI, page and API call);
- the bare SQL floor: the one aggregate that path is built on, ``SELECT work_item_id,
  date, count(*), count(*) FILTER automatic … GROUP BY``, run by hand;

and prints both (best of five) and their ratio. Target: under 1 s on PostgreSQL.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))


def _best(fn, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1_000_000)
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL"):
        os.environ["ZEREN_DATA_DIR"] = tempfile.mkdtemp(prefix="zeren-bench-ledger-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zeren.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)

    from zeren.catalogue.models import WorkItem
    from zeren.catalogue.services import list_load_seed
    from zeren.core.audit import acting_as
    from zeren.ledger import selectors
    from zeren.ledger.models import Record
    from zeren.ledger.services import bureau, expectations_load_seed
    from zeren.org.services import org_load_seed

    with acting_as("基准测试"):
        org_load_seed()
        list_load_seed()
        expectations_load_seed()
    items = list(WorkItem.objects.filter(duty__version__number=1).values_list("pk", "section_id"))
    county = bureau().division_id
    have = Record.objects.filter(event_key="bench").count()
    start = time.perf_counter()
    # The rows are made by the database itself (a series joined to the 25 items), so the
    # figure measured below is the read, not Python building a million objects.
    values = ", ".join(f"({i}, {pk}, {section})" for i, (pk, section) in enumerate(items))
    if connection.vendor == "postgresql":
        ctes = f"WITH it(idx, pk, section) AS (VALUES {values})"
        source = f"generate_series({have + 1}, {args.n}) AS s(g)"
        day = "DATE '2026-01-01' + (s.g::bigint * 7919 % 365)::int"
        now = "now()"
    else:
        ctes = (
            f"WITH RECURSIVE n(g) AS (SELECT {have + 1} UNION ALL SELECT g + 1 FROM n "
            f"WHERE g < {args.n}), it(idx, pk, section) AS (VALUES {values})"
        )
        source = "n AS s"
        day = "date('2026-01-01', '+' || (s.g * 7919 % 365) || ' days')"
        now = "datetime('now')"
    fill = (
        f"{ctes} INSERT INTO ledger_record (created_at, updated_at, work_item_id, date, "
        "section_id, kind, summary, source, event_key, object_id, division_id, attachment, "
        f"attachment_name) SELECT {now}, {now}, it.pk, {day}, it.section, 'inspection', '基准', "
        f"'automatic', 'bench', CAST(s.g AS TEXT), {county}, '', '' FROM {source} "
        f"JOIN it ON it.idx = s.g % {len(items)}"
    )
    if have < args.n:
        with connection.cursor() as cursor:
            cursor.execute(fill)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE ledger_record")
    total = Record.objects.count()
    print(f"{connection.vendor}: {total:,} records ({time.perf_counter() - start:.1f} s to write)")

    def product() -> None:
        _, rows = selectors.ledger_status("2026")
        assert len(rows) == 25 and sum(r.records for r in rows) == total

    auto = (
        "count(*) FILTER (WHERE source = 'automatic')"
        if connection.vendor == "postgresql"
        else "sum(source = 'automatic')"
    )
    sql = (
        f"SELECT work_item_id, date, count(*), {auto} FROM ledger_record "
        "WHERE date BETWEEN %s AND %s GROUP BY 1, 2"
    )

    def floor() -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, ["2026-01-01", "2026-12-31"])
            cursor.fetchall()

    product_s, floor_s = _best(product), _best(floor)
    print(f"product path (selectors.ledger_status): {product_s * 1000:.0f} ms")
    print(f"bare SQL floor (one GROUP BY):           {floor_s * 1000:.0f} ms")
    print(f"ratio product / floor:                   {product_s / floor_s:.2f}")


if __name__ == "__main__":
    main()
