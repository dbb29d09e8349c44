"""A new list version: each old item is mapped to its continuation (by number and text), the
open plans are carried across (an administrator can correct the mapping and the plans follow),
and the old records stay readable under the version they were filed under."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import login
from tests.ledger.conftest import item
from zeren.catalogue.models import WorkItem
from zeren.catalogue.services import list_draft_start, list_publish
from zeren.ledger import selectors, services
from zeren.ledger.models import ItemMapping, Plan

D = dt.date.fromisoformat


def _publish_second_version(bureau, head):
    """Version 2: items 1-1 and 1-2 trade places (same texts), 3-4 is reworded, 9-2 dropped."""
    draft = list_draft_start(actor=head, department=bureau)
    first, second = (
        WorkItem.objects.get(duty__version=draft, duty__number=1, order=o) for o in (1, 2)
    )
    first.order = 99
    first.save()
    second.order = 1
    second.save()
    first.order = 2
    first.save()
    WorkItem.objects.filter(duty__version=draft, duty__number=3, order=4).update(
        text="出生人口性别比综合治理（修订）"
    )
    WorkItem.objects.filter(duty__version=draft, duty__number=9, order=2).delete()
    return list_publish(actor=head, version=draft, summary="第二版：调整事项")


def _new(version, duty, order):
    return WorkItem.objects.get(duty__version=version, duty__number=duty, order=order)


@pytest.fixture
def plans(expectations, section_staff):
    made = {}
    for key in ((1, 1), (3, 4), (9, 2)):
        made[key] = services.plan_create(
            actor=section_staff,
            work_item=item(*key),
            year=2026,
            title=f"计划{key[0]}-{key[1]}",
            responsible=section_staff,
        )
    return made


def test_publishing_maps_items_and_carries_open_plans(bureau, head, plans, section_staff):
    old_record = services.record_create(
        actor=section_staff, work_item=item(1, 1), date=D("2026-03-02"), kind="plan", summary="旧"
    )
    closed = Plan.objects.create(
        work_item=item(2, 1), year=2026, title="已完成", responsible=section_staff, status="closed"
    )
    v2 = _publish_second_version(bureau, head)
    methods = {
        (m.old_item.duty.number, m.old_item.order): (m.new_item, m.method)
        for m in ItemMapping.objects.select_related("old_item__duty", "new_item")
    }
    assert len(methods) == 25
    assert methods[(1, 1)] == (_new(v2, 1, 2), ItemMapping.Method.TEXT)  # renumbered
    assert methods[(1, 2)] == (_new(v2, 1, 1), ItemMapping.Method.TEXT)
    assert methods[(3, 4)] == (_new(v2, 3, 4), ItemMapping.Method.NUMBER)  # reworded
    assert methods[(9, 2)] == (None, ItemMapping.Method.NONE)  # dropped
    assert methods[(2, 1)] == (_new(v2, 2, 1), ItemMapping.Method.SAME)
    for plan in Plan.objects.all():
        plan.refresh_from_db()
    moved = {k: Plan.objects.get(pk=p.pk) for k, p in plans.items()}
    assert (moved[(1, 1)].work_item, moved[(1, 1)].carried_from) == (_new(v2, 1, 2), item(1, 1))
    assert moved[(3, 4)].work_item == _new(v2, 3, 4)
    assert moved[(9, 2)].work_item == item(9, 2)  # nowhere to go: stays under version 1
    closed.refresh_from_db()
    assert closed.work_item == item(2, 1) and closed.carried_from is None  # only open plans move
    # The old record stays under version 1 and readable there and through the new item.
    old_record.refresh_from_db()
    assert old_record.work_item == item(1, 1)
    assert login(section_staff).get(f"/staff/ledger/records/{old_record.pk}/").status_code == 200
    api = login(section_staff).get("/api/ledger/records/").json()["results"]
    assert [(r["version"], r["duty"], r["item"]) for r in api if r["id"] == old_record.pk] == [
        (1, 1, item(1, 1).text)
    ]
    assert old_record in selectors.item_records(_new(v2, 1, 2), selectors.parse_period("2026"))
    assert old_record not in selectors.item_records(_new(v2, 1, 1), selectors.parse_period("2026"))
    # The year's status counts it for the item that continues 1-1 (now 1-2), not its namesake.
    _, rows = selectors.ledger_status("2026")
    by_key = {(r.duty, r.order): r for r in rows}
    assert by_key[(1, 2)].records == 1 and by_key[(1, 1)].records == 0


def test_publishing_again_maps_nothing_twice(bureau, head, plans):
    v2 = _publish_second_version(bureau, head)
    assert services.version_carry_over(version=v2) == []
    assert ItemMapping.objects.count() == 25


def test_a_correction_moves_the_carried_plans_and_is_checked(
    bureau, head, plans, section_staff, admin_user
):
    v2 = _publish_second_version(bureau, head)
    mapping = ItemMapping.objects.get(old_item=item(3, 4))
    with pytest.raises(ValidationError, match="已对应其他原事项"):
        services.item_mapping_set(actor=admin_user, mapping=mapping, new_item=_new(v2, 2, 1))
    with pytest.raises(ValidationError, match="紧接其后发布的清单版本"):
        services.item_mapping_set(actor=admin_user, mapping=mapping, new_item=item(3, 3))
    # 3-4 was really dropped; 9-2 of version 1 continues as the new 3-4.
    services.item_mapping_set(actor=admin_user, mapping=mapping, new_item=None)
    assert Plan.objects.get(pk=plans[(3, 4)].pk).work_item == item(3, 4)  # back to version 1
    other = ItemMapping.objects.get(old_item=item(9, 2))
    response = login(admin_user).post(
        f"/admin/ledger/itemmapping/{other.pk}/change/", {"new_item": _new(v2, 3, 4).pk}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    other.refresh_from_db()
    assert (other.new_item, other.method) == (_new(v2, 3, 4), ItemMapping.Method.MANUAL)
    carried = Plan.objects.get(pk=plans[(9, 2)].pk)
    assert (carried.work_item, carried.carried_from) == (_new(v2, 3, 4), item(9, 2))
    assert login(section_staff).get("/admin/ledger/itemmapping/").status_code in (302, 403)
