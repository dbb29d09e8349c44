"""Demo licences: a few thousand re-birth permits and termination approvals across townships.

Holders are new persons whose identity numbers use birth dates 1986-1999 and are checked
against those already registered, so this step never collides with the persons step.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from zeren.core import crypto
from zeren.core.audit import log_bulk
from zeren.org.models import Division
from zeren.people.demo import GIVEN, SURNAMES
from zeren.people.models import Person
from zeren.people.rules import make_id_number
from zeren.permits.models import Permit, PermitEvent, PermitKind
from zeren.permits.rules import GROUNDS, Status

DEMO_REBIRTH = 3000
DEMO_TERMINATION = 1500
HOSPITALS = ["隆尧县医院", "隆尧县妇幼保健院", "隆尧县中医院"]


def _holders(rng: random.Random, villages: list[Division], count: int) -> list[Person]:
    candidates: dict[str, Person] = {}
    i = 0
    while len(candidates) < count * 1.1:
        birth = dt.date(1986, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 13))
        number = make_id_number("130525", birth, rng.randrange(0, 500) * 2)  # even: women
        village = villages[i % len(villages)]
        i += 1
        candidates.setdefault(
            number,
            Person(
                name=rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(2)),
                id_number=number,
                birth_date=birth,
                sex="F",
                phone=f"1{rng.choice('3578')}{rng.randrange(10**8, 10**9)}",
                address=f"{village.parent.name}{village.name}{rng.randrange(1, 300)}号",
                division=village,
            ),
        )
    taken = set()
    hashes = {crypto.blind_index(n): n for n in candidates}
    keys = list(hashes)
    for start in range(0, len(keys), 500):
        taken |= set(
            Person.objects.filter(id_number_hash__in=keys[start : start + 500]).values_list(
                "id_number_hash", flat=True
            )
        )
    fresh = [candidates[hashes[h]] for h in keys if h not in taken][:count]
    for p in fresh:
        p.id_number_hash = crypto.blind_index(p.id_number)
    return Person.objects.bulk_create(fresh, batch_size=1000)


def load(rng: random.Random, progress: Callable[[str], None]) -> None:
    if Permit.objects.exists():
        progress("演示许可：已存在")
        return
    villages = list(
        Division.objects.filter(level=Division.Level.VILLAGE)
        .select_related("parent")
        .order_by("code")
    )
    if not villages:
        progress("演示许可：没有村级区划，跳过")
        return
    today = timezone.localdate()
    with transaction.atomic():
        holders = _holders(rng, villages, DEMO_REBIRTH + DEMO_TERMINATION)
        permits: list[Permit] = []
        for n, holder in enumerate(holders):
            rebirth = n < DEMO_REBIRTH
            approved = today - dt.timedelta(days=rng.randrange(0, 420))
            valid_to = approved + dt.timedelta(days=365 if rebirth else 30)
            status = Status.GRANTED
            used_on = None
            if valid_to < today:
                status = Status.USED if rng.random() < 0.8 else Status.EXPIRED
            elif rng.random() < 0.3:
                status = Status.USED
            if status == Status.USED:
                used_on = approved + dt.timedelta(days=rng.randrange(0, (valid_to - approved).days))
                used_on = min(used_on, today)
            kind = PermitKind.REBIRTH if rebirth else PermitKind.TERMINATION
            prefix = "隆再" if rebirth else "隆终"
            permits.append(
                Permit(
                    kind=kind,
                    number=f"{prefix}{approved:%Y}{n + 1:05d}",
                    holder=holder,
                    township=holder.division.parent,
                    village=holder.division,
                    approval_date=approved,
                    valid_from=approved,
                    valid_to=valid_to,
                    conditions="符合再生育条件" if rebirth else "",
                    hospital="" if rebirth else rng.choice(HOSPITALS),
                    status=status,
                    used_on=used_on,
                )
            )
        created = Permit.objects.bulk_create(permits, batch_size=1000)
        events = []
        for p in created:
            events.append(
                PermitEvent(
                    permit=p,
                    kind=PermitEvent.Kind.GRANT,
                    to_status=Status.GRANTED,
                    effective_date=p.approval_date,
                    actor_name="演示数据",
                )
            )
            if p.status == Status.USED:
                events.append(
                    PermitEvent(
                        permit=p,
                        kind=PermitEvent.Kind.USE,
                        from_status=Status.GRANTED,
                        to_status=Status.USED,
                        effective_date=p.used_on,
                        actor_name="演示数据",
                    )
                )
        # A few concluded licences, to show revocation and cancellation with their grounds.
        concluded = [p for p in created if p.status == Status.GRANTED][:6]
        for i, p in enumerate(concluded):
            ground = GROUNDS["deception" if i % 2 == 0 else "conditions_lost"]
            # Deception is revoked (Art. 69); lost conditions are withdrawn (Art. 8).
            revoked = ground.code == "deception"
            events.append(
                PermitEvent(
                    permit=p,
                    kind=PermitEvent.Kind.REVOKE if revoked else PermitEvent.Kind.WITHDRAW,
                    from_status=Status.GRANTED,
                    to_status=Status.REVOKED if revoked else Status.WITHDRAWN,
                    ground=ground.code,
                    ground_label=ground.label,
                    basis=ground.basis,
                    effective_date=today,
                    documents=f"隆计撤字〔{today:%Y}〕{i + 1}号",
                    actor_name="演示数据",
                )
            )
            p.status = Status.REVOKED if revoked else Status.WITHDRAWN
        Permit.objects.bulk_update(concluded, ["status"])
        PermitEvent.objects.bulk_create(events, batch_size=2000)
        log_bulk(Permit, f"载入演示许可 {len(created)} 件", {"count": len(created)})
    progress(f"演示许可：再生育证 {DEMO_REBIRTH} 件，终止妊娠批准 {len(created) - DEMO_REBIRTH} 件")
