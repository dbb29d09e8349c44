"""Benchmark: register and issue N migration certificates through the services, then expire
them set-based and verify numbers as the public page does.

    uv run python benchmarks/bench_certificates.py            # 2,000 certificates
    uv run python benchmarks/bench_certificates.py --n 500    # quicker

Registering and issuing go one by one through the real services (each takes the next serial
under a row lock), so their rate is the rate of the counter; expiry is one set-based update.
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


def figure(label: str, rows: int, seconds: float) -> None:
    rate = rows / seconds if seconds > 0 else float("inf")
    print(f"{label:<36} rows={rows:>9,}  seconds={seconds:8.2f}  rows/s={rate:>10,.0f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000, help="number of certificates")
    args = parser.parse_args()
    setup()

    from zeren.certificates.models import CertificateType
    from zeren.certificates.services import (
        certificate_issue,
        certificate_register,
        certificate_verify,
        certificates_expire,
    )
    from zeren.core.audit import acting_as
    from zeren.org.models import Division
    from zeren.org.services import org_load_seed
    from zeren.people.models import Person
    from zeren.people.rules import make_id_number

    actor = "基准测试"
    with acting_as(actor):
        org_load_seed()
    townships = list(Division.objects.filter(level=Division.Level.TOWNSHIP).order_by("code"))
    villages = [
        Division.objects.get_or_create(
            code=f"{t.code}201",
            defaults={"name": f"{t.name}基准村", "level": Division.Level.VILLAGE, "parent": t},
        )[0]
        for t in townships
    ]
    t0 = time.perf_counter()
    persons = Person.objects.bulk_create(
        Person(
            name=f"基准{i}",
            id_number=make_id_number(
                "130525", dt.date(1980, 1, 1) + dt.timedelta(i // 1000), i % 1000
            ),
            birth_date=dt.date(1980, 1, 1) + dt.timedelta(i // 1000),
            sex="M" if i % 2 else "F",
            division=villages[i % len(villages)],
        )
        for i in range(args.n)
    )
    figure("insert persons (encrypted)", args.n, time.perf_counter() - t0)
    persons = list(Person.objects.select_related("division").order_by("pk"))
    ctype = CertificateType.objects.get(code="migrant")
    facts = {"marital_status": "已婚", "children": "1", "destination": "北京市"}
    issued_on = dt.date(2026, 3, 2)

    t0 = time.perf_counter()
    certs = [
        certificate_register(
            actor=actor, type=ctype, holder=p, facts=facts, applied_on=dt.date(2026, 3, 1)
        )
        for p in persons
    ]
    figure("register (service, one by one)", len(certs), time.perf_counter() - t0)

    t0 = time.perf_counter()
    numbers = [certificate_issue(actor=actor, certificate=c, on=issued_on).number for c in certs]
    figure("issue with gapless numbers", len(numbers), time.perf_counter() - t0)
    assert numbers[-1] == f"隆婚育〔2026〕{len(numbers):05d}"

    t0 = time.perf_counter()
    answers = [
        certificate_verify(number=n, name=p.name) for n, p in zip(numbers, persons, strict=True)
    ]
    figure("verify (public answer)", len(answers), time.perf_counter() - t0)
    assert set(answers) == {"valid"}

    t0 = time.perf_counter()
    expired = certificates_expire(actor=actor, on=dt.date(2029, 3, 2))
    figure("expire (set-based)", expired, time.perf_counter() - t0)


if __name__ == "__main__":
    main()
