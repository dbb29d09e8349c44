"""Demo certificates: a few hundred across townships, for persons already registered.

Reads existing Person rows (the persons step) and never creates persons, so no identity
number can collide. Couples are a man and a woman of the same township.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from zeren.certificates import rules
from zeren.certificates.models import Certificate, CertificateEvent, CertificateType
from zeren.certificates.rules import Status
from zeren.certificates.services import NUMBER_AUTHORITY, counter_kind
from zeren.core.audit import log_bulk
from zeren.core.models import Counter
from zeren.org.models import Division
from zeren.people.models import Person

DEMO_COUNTS = {"migrant": 150, "first_child": 80, "only_child": 120}
PLACES = ["北京市朝阳区", "天津市滨海新区", "石家庄市长安区", "邢台市信都区", "上海市浦东新区"]


def _township_of(person: Person, cache: dict[int, Division | None]) -> Division | None:
    if person.division_id not in cache:
        cache[person.division_id] = person.division.ancestor_at(Division.Level.TOWNSHIP)
    return cache[person.division_id]


def load(rng: random.Random, progress: Callable[[str], None]) -> None:
    if Certificate.objects.exists():
        progress("演示免费证件：已存在")
        return
    persons = list(Person.objects.select_related("division").order_by("id")[:4000])
    if len(persons) < 100:
        progress("演示免费证件：相对人不足，跳过")
        return
    types = {t.code: t for t in CertificateType.objects.all()}
    cache: dict[int, Division | None] = {}
    by_township: dict[int, dict[str, list[Person]]] = defaultdict(lambda: {"M": [], "F": []})
    for p in persons:
        township = _township_of(p, cache)
        if township is not None:
            by_township[township.pk][p.sex].append(p)
    townships = {d.pk: d for d in cache.values() if d is not None}
    couples: list[tuple[Person, Person, Division]] = []
    for pk, sexes in sorted(by_township.items()):
        for man, woman in zip(sexes["M"], sexes["F"], strict=False):
            couples.append((man, woman, townships[pk]))
    rng.shuffle(couples)
    singles = [p for p in persons if _township_of(p, cache) is not None]
    rng.shuffle(singles)

    today = timezone.localdate()
    rows: list[Certificate] = []
    serials: dict[tuple[int, int], int] = defaultdict(int)

    def make(ctype: CertificateType, holder: Person, spouse: Person | None, facts: dict) -> None:
        issued = today - dt.timedelta(days=rng.randrange(0, 365 * 4))
        serials[(ctype.pk, issued.year)] += 1
        serial = serials[(ctype.pk, issued.year)]
        expires = rules.valid_to(issued, ctype.validity_years)
        status = Status.VALID
        if expires is not None and expires < today:
            status = Status.EXPIRED
        elif rng.random() < 0.02:
            status = Status.REVOKED
        key = None
        if ctype.one_per_couple and status == Status.VALID:
            key = f"{ctype.code}:{rules.couple_key(holder.pk, spouse.pk)}"
        rows.append(
            Certificate(
                type=ctype,
                holder=holder,
                spouse=spouse,
                township=_township_of(holder, cache),
                facts=facts,
                applied_on=issued - dt.timedelta(days=rng.randrange(0, 5)),
                status=status,
                number=rules.format_number(ctype.number_prefix, issued.year, serial),
                year=issued.year,
                serial=serial,
                issued_on=issued,
                fee=ctype.fee,
                expires_on=expires,
                exclusive_key=key,
            )
        )

    for holder in singles[: DEMO_COUNTS["migrant"]]:
        make(
            types["migrant"],
            holder,
            None,
            {
                "marital_status": rng.choice(["已婚", "未婚"]),
                "children": str(rng.randrange(0, 3)),
                "destination": rng.choice(PLACES),
            },
        )
    n_first, n_only = DEMO_COUNTS["first_child"], DEMO_COUNTS["only_child"]
    for i, (man, woman, _) in enumerate(couples[: n_first + n_only]):
        married = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 20))
        if i < n_first:
            birth = married + dt.timedelta(days=rng.randrange(300, 900))
            make(
                types["first_child"],
                man,
                woman,
                {"marriage_date": married.isoformat(), "expected_birth": birth.isoformat()},
            )
        else:
            child_birth = married + dt.timedelta(days=rng.randrange(300, 1500))
            make(
                types["only_child"],
                man,
                woman,
                {
                    "marriage_date": married.isoformat(),
                    "child_name": man.name[0] + rng.choice("小晓佳子") + rng.choice("明华丽强"),
                    "child_birth_date": child_birth.isoformat(),
                },
            )
    with transaction.atomic():
        Certificate.objects.bulk_create(rows, batch_size=500)
        saved = list(Certificate.objects.order_by("id"))
        events: list[CertificateEvent] = []
        for c in saved:
            events.append(
                CertificateEvent(
                    certificate=c,
                    kind="apply",
                    to_status=Status.APPLIED,
                    effective_date=c.applied_on,
                    actor_name="演示数据",
                )
            )
            events.append(
                CertificateEvent(
                    certificate=c,
                    kind="issue",
                    from_status=Status.APPLIED,
                    to_status=Status.VALID,
                    effective_date=c.issued_on,
                    basis=c.type.fee_statement,
                    actor_name="演示数据",
                )
            )
            if c.status == Status.EXPIRED:
                events.append(
                    CertificateEvent(
                        certificate=c,
                        kind="expire",
                        from_status=Status.VALID,
                        to_status=Status.EXPIRED,
                        ground="有效期届满",
                        effective_date=c.expires_on + dt.timedelta(days=1),
                        actor_name="演示数据",
                    )
                )
            elif c.status == Status.REVOKED:
                events.append(
                    CertificateEvent(
                        certificate=c,
                        kind="revoke",
                        from_status=Status.VALID,
                        to_status=Status.REVOKED,
                        ground="以欺骗等不正当手段取得",
                        basis="《中华人民共和国行政许可法》第六十九条",
                        effective_date=today,
                        actor_name="演示数据",
                    )
                )
        CertificateEvent.objects.bulk_create(events, batch_size=1000)
        types = CertificateType.objects.in_bulk()
        Counter.objects.bulk_create(
            Counter(
                authority=NUMBER_AUTHORITY,
                kind=counter_kind(types[type_id]),
                year=year,
                last=last,
            )
            for (type_id, year), last in sorted(serials.items())
        )
        log_bulk(Certificate, f"演示免费证件 {len(rows)} 份", {"count": len(rows)})
    progress(f"演示免费证件：{len(rows)} 份")
