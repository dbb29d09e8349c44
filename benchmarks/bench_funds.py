"""Funds at province scale: importing a township spreadsheet and opening a full verification.

    uv run python benchmarks/bench_funds.py                 # 100,000 rows, 1,000,000 beneficiaries
    uv run python benchmarks/bench_funds.py --n 10000 --beneficiaries 100000

Both measured operations are the real services: the import validates every row and writes
with bulk_create in chunks; opening the campaign is one INSERT ... SELECT. The million
beneficiaries for the second figure are synthetic rows made set-based in SQL (their personal
data is placeholder text, which the campaign never reads).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zeren.settings")
    os.environ["ZEREN_DATA_DIR"] = tempfile.mkdtemp(prefix="zeren-bench-funds-")
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


def make_sheet(n: int) -> bytes:
    import xlsxwriter

    from zeren.funds.imports import COLUMNS
    from zeren.org.models import Division
    from zeren.people.rules import make_id_number

    villages = list(Division.objects.filter(level="village").select_related("parent"))
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "in_memory": True})
    ws = book.add_worksheet()
    ws.write_row(0, 0, COLUMNS)
    for i in range(n):
        v = villages[i % len(villages)]
        birth = dt.date(1940, 1, 1) + dt.timedelta(days=i // 1000)
        special = i % 3 == 0
        ws.write_row(
            i + 1,
            0,
            [
                f"对象{i}",
                make_id_number("130525", birth, i % 1000),
                "特别扶助（子女死亡）" if special else "奖励扶助",
                "城镇" if special else "农村",
                v.parent.name,
                v.name,
                "2025-01-01",
                "农业银行",
                f"6222{i:015d}",
                "340" if special else "960",
                "",
                "",
            ],
        )
    book.close()
    return out.getvalue()


def bench_import(n: int) -> None:
    from zeren.core.audit import acting_as
    from zeren.funds.imports import beneficiary_import

    t = time.perf_counter()
    content = make_sheet(n)
    print(
        f"import: built a {n:,}-row sheet ({len(content) / 1e6:.1f} MB) in {time.perf_counter() - t:.1f} s"
    )
    t = time.perf_counter()
    with acting_as("基准测试"):
        result = beneficiary_import(actor=None, content=content)
    s = time.perf_counter() - t
    print(f"import: rows={result.rows:,} seconds={s:.1f} rows/s={result.rows / s:,.0f}")


def synthesize(n: int) -> None:
    """n persons and n active beneficiaries, set-based (INSERT ... SELECT over a counter)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from zeren.org.models import Division

    villages = list(
        Division.objects.filter(level="village").order_by("id").values_list("id", "parent_id")
    )
    now = timezone.now()
    t = time.perf_counter()
    with transaction.atomic(), connection.cursor() as c:
        c.execute("SELECT COALESCE(MAX(id), 0) FROM people_person")
        base = c.fetchone()[0]
        c.execute(
            "CREATE TEMP TABLE bench_village (k INTEGER PRIMARY KEY, village INTEGER, township INTEGER)"
        )
        c.executemany(
            "INSERT INTO bench_village VALUES (%s, %s, %s)",
            [(k, v, t_) for k, (v, t_) in enumerate(villages)],
        )
        m = len(villages)
        c.execute(
            "INSERT INTO people_person (id, name, id_number, id_number_hash, birth_date, sex, phone, "
            "phone_hash, address, division_id, created_at, updated_at) "
            "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < %s) "
            "SELECT %s + n, 'bench', 'synthetic', 'bench-' || n, %s, 'F', '', '', '', "
            "bv.village, %s, %s FROM seq JOIN bench_village bv ON bv.k = n %% %s",
            [n, base, dt.date(1950, 1, 1), now, now, m],
        )
        c.execute(
            "INSERT INTO funds_beneficiary (person_id, kind, residence, facts, start_date, "
            "township_id, village_id, bank_name, bank_account, bank_account_hash, status, "
            "status_reason, status_note, created_at, updated_at) "
            "SELECT p.id, 'reward', 'rural', '{}', %s, bv.township, p.division_id, '', '', '', "
            "'active', '', '', %s, %s FROM people_person p "
            "JOIN bench_village bv ON bv.village = p.division_id WHERE p.id > %s",
            [dt.date(2020, 1, 1), now, now, base],
        )
        c.execute("DROP TABLE bench_village")
    print(
        f"campaign: synthesized {n:,} beneficiaries in {time.perf_counter() - t:.1f} s (set-up, not measured)"
    )


def bench_campaign(n: int) -> None:
    from zeren.core.audit import acting_as
    from zeren.funds.models import Beneficiary
    from zeren.funds.services import campaign_open

    synthesize(max(n - Beneficiary.objects.count(), 0))  # the imported rows count towards n
    active = Beneficiary.objects.filter(status="active").count()
    with acting_as("基准测试"):
        t = time.perf_counter()
        campaign, added = campaign_open(actor=None, year=2026, kind="full")
        s = time.perf_counter() - t
        print(
            f"campaign open: rows={added:,} seconds={s:.1f} rows/s={added / s:,.0f} (active={active:,})"
        )
        t = time.perf_counter()
        _, again = campaign_open(actor=None, year=2026, kind="full")
        s2 = time.perf_counter() - t
    print(f"campaign re-open: rows added={again} seconds={s2:.1f} total={campaign.total:,}")
    assert campaign.total == active and again == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="rows to import (default 100,000)")
    parser.add_argument(
        "--beneficiaries",
        type=int,
        default=None,
        help="beneficiaries for the campaign (default 10 x --n, i.e. 1,000,000)",
    )
    args = parser.parse_args()
    setup()
    bench_import(args.n)
    bench_campaign(args.beneficiaries or args.n * 10)


if __name__ == "__main__":
    main()
