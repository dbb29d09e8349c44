"""Demo births for the last two years, mothers drawn from the demo persons; one township's
sex ratio is deliberately out of range so the warning shows. Idempotent and deterministic."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from zeren.core.audit import log_bulk
from zeren.core.scope import townships_for
from zeren.org.models import Division
from zeren.people.models import Person
from zeren.statistics import selectors
from zeren.statistics.models import AssessmentItem, Birth, ManualScore, Sex
from zeren.statistics.services import alerts_record

NORMAL_BOYS = Decimal("0.5125")  # 105.1 boys per 100 girls
SKEWED_BOYS = Decimal("0.565")  # about 130: far outside the normal range
THIRD_CHILD = 0.05


def load(rng: random.Random, progress: Callable[[str], None]) -> None:
    if Birth.objects.exists():
        progress("演示出生登记：已存在")
        return
    today = timezone.localdate()
    mothers = list(
        Person.objects.filter(sex="F", division__level=Division.Level.VILLAGE)
        .select_related("division")
        .order_by("id")
    )
    if not mothers:
        progress("演示出生登记：没有可用的演示相对人，跳过")
        return
    start = dt.date(today.year - 1, 1, 1)
    span = max((today - start).days, 1)
    by_township: dict[int, list[Birth]] = {}
    for mother in mothers:
        orders = [1, 2] + ([3] if rng.random() < THIRD_CHILD else [])
        days = sorted(rng.randrange(span) for _ in orders)
        for order, offset in zip(orders, days, strict=True):
            day = start + dt.timedelta(days=offset)
            if day <= mother.birth_date:
                continue
            by_township.setdefault(mother.division.parent_id, []).append(
                Birth(
                    mother=mother,
                    sex=Sex.FEMALE,
                    birth_date=day,
                    birth_order=order,
                    township_id=mother.division.parent_id,
                    village_id=mother.division_id,
                    source="演示数据",
                )
            )
    skewed = min(by_township) if by_township else None
    births: list[Birth] = []
    for township_id, rows in sorted(by_township.items()):
        # Boys spread evenly along the dates (a low-discrepancy sequence): every month, quarter
        # and year then shows the intended ratio to within one birth, not the noise of chance.
        share = SKEWED_BOYS if township_id == skewed else NORMAL_BOYS
        rows.sort(key=lambda b: (b.birth_date, b.mother_id, b.birth_order))
        for k, b in enumerate(rows):
            if int((k + 1) * share) > int(k * share):
                b.sex = Sex.MALE
        births.extend(rows)
    with transaction.atomic():
        Birth.objects.bulk_create(births, batch_size=2000)
        log_bulk(Birth, f"演示出生登记 {len(births)} 条", {"rows": len(births)})
        _manual_scores(rng, today.year)
    alerts = alerts_record(today=today)
    name = Division.objects.filter(pk=skewed).values_list("name", flat=True).first()
    progress(f"演示出生登记：{len(births)} 条（{name}性别比偏高），预警 {alerts} 条")


def _manual_scores(rng: random.Random, year: int) -> None:
    scheme = selectors.scheme_for(year)
    if scheme is None:
        return
    rows = []
    for item in scheme.items.filter(kind=AssessmentItem.Kind.MANUAL):
        for township in list(townships_for(None)):
            top = int(item.max_points)
            rows.append(
                ManualScore(
                    item=item,
                    township=township,
                    points=Decimal(rng.randrange(top * 6, top * 10 + 1)) / 10,
                    reason="演示评分：按季度报表检查情况",
                )
            )
    ManualScore.objects.bulk_create(rows)
    log_bulk(ManualScore, f"演示人工评分 {len(rows)} 条", {"year": year, "rows": len(rows)})
