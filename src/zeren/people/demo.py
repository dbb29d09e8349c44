"""Demo persons: a few thousand with valid identity numbers across the villages."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from zeren.core.audit import log_bulk
from zeren.org.models import Division
from zeren.people.models import Person
from zeren.people.rules import make_id_number

DEMO_PERSONS = 3000
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华红玉萍建国志文"


def fake_persons(rng: random.Random, villages: list[Division], count: int, start: int = 0):
    """Yield unsaved persons with valid identity numbers; callers drop the rare duplicate."""
    for i in range(start, start + count):
        birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 55))
        number = make_id_number("130525", birth, i % 1000)
        village = villages[i % len(villages)]
        yield Person(
            name=rng.choice(SURNAMES)
            + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))),
            id_number=number,
            birth_date=birth,
            sex="M" if int(number[16]) % 2 else "F",
            phone=f"1{rng.choice('3578')}{rng.randrange(10**8, 10**9)}",
            address=f"{village.parent.name}{village.name}{rng.randrange(1, 300)}号",
            division=village,
        )


def load(rng: random.Random, progress: Callable[[str], None]) -> None:
    if Person.objects.exists():
        progress("演示相对人：已存在")
        return
    villages = list(Division.objects.filter(level=Division.Level.VILLAGE).select_related("parent"))
    seen: set[str] = set()
    batch = []
    for person in fake_persons(rng, villages, DEMO_PERSONS):
        if person.id_number in seen:
            continue
        seen.add(person.id_number)
        batch.append(person)
    Person.objects.bulk_create(batch, batch_size=1000)
    log_bulk(Person, f"载入演示相对人 {len(batch)} 人", {"count": len(batch)})
    progress(f"演示相对人：{len(batch)} 人")
