"""Free contraceptives: stock never goes negative; expiry alerts fire."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from zeren.org.models import Division
from zeren.publicservices import rules
from zeren.publicservices.models import ContraceptiveItem, StockBatch, StockMovement
from zeren.publicservices.selectors import expiry_alerts
from zeren.publicservices.services import stock_distribute, stock_issue, stock_receive

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def county(db) -> Division:
    return Division.objects.get(code="130525")


@pytest.fixture
def pills(db) -> ContraceptiveItem:
    return ContraceptiveItem.objects.get(code="oral-pill")


@pytest.fixture
def received(head, pills, county, today) -> StockBatch:
    return stock_receive(
        actor=head,
        item=pills,
        batch_number="20260501",
        expires_on=D(2027, 4, 30),
        quantity=100,
        holder=county,
    )


def test_receive_distribute_and_issue_keep_the_books(head, received, township_a, village_a):
    township = stock_distribute(actor=head, batch=received, target=township_a, quantity=60)
    village = stock_distribute(actor=head, batch=township, target=village_a, quantity=20)
    stock_issue(actor=head, batch=village, quantity=5, note="门诊发放")
    quantities = dict(StockBatch.objects.values_list("holder__code", "quantity"))
    assert quantities == {"130525": 40, township_a.code: 40, village_a.code: 15}
    assert [m.kind for m in StockMovement.objects.all()] == [
        "receive",
        "distribute",
        "distribute",
        "issue",
    ]


def test_more_than_is_held_is_refused_and_nothing_moves(head, received, township_a):
    with pytest.raises(ValidationError, match=r"库存不足.*现有100板，不能发出101板"):
        stock_distribute(actor=head, batch=received, target=township_a, quantity=101)
    with pytest.raises(ValidationError, match="库存不足"):
        stock_issue(actor=head, batch=received, quantity=101)
    received.refresh_from_db()
    assert received.quantity == 100
    assert StockBatch.objects.count() == 1
    assert StockMovement.objects.filter(kind__in=["distribute", "issue"]).count() == 0


@pytest.mark.parametrize("quantity", [0, -5, "三"])
def test_a_quantity_must_be_a_positive_whole_number(head, received, quantity):
    with pytest.raises(ValidationError, match="正整数"):
        stock_issue(actor=head, batch=received, quantity=quantity)


def test_the_database_refuses_a_negative_stock(received):
    received.quantity = -1
    with pytest.raises(IntegrityError), transaction.atomic():
        received.save()


def test_a_township_user_may_not_move_stock(staff_a, received):
    with pytest.raises(PermissionDenied):
        stock_issue(actor=staff_a, batch=received, quantity=1)


@pytest.mark.parametrize(
    ("expires_on", "today", "state"),
    [
        (D(2027, 4, 30), D(2026, 12, 1), "ok"),  # 150 days left
        (D(2027, 3, 1), D(2026, 12, 1), "near"),  # 90 days left: the edge of the window
        (D(2027, 3, 2), D(2026, 12, 1), "ok"),  # 91 days left
        (D(2026, 12, 1), D(2026, 12, 1), "near"),  # its last valid day
        (D(2026, 11, 30), D(2026, 12, 1), "expired"),
    ],
)
def test_expiry_state(expires_on, today, state):
    assert rules.expiry_state(expires_on, today) == state


def test_expiry_alerts_fire_for_near_and_expired_batches_in_stock(head, pills, county, today):
    stock_receive(
        actor=head,
        item=pills,
        batch_number="FAR",
        expires_on=D(2027, 6, 1),
        quantity=10,
        holder=county,
    )
    stock_receive(
        actor=head,
        item=pills,
        batch_number="NEAR",
        expires_on=D(2027, 1, 15),
        quantity=10,
        holder=county,
    )
    old = stock_receive(
        actor=head,
        item=pills,
        batch_number="OLD",
        expires_on=D(2026, 12, 10),
        quantity=10,
        holder=county,
    )
    alerts = expiry_alerts(D(2026, 12, 1))
    assert [(a["batch"].batch_number, a["state"], a["days_left"]) for a in alerts] == [
        ("OLD", "near", 9),
        ("NEAR", "near", 45),
    ]
    later = expiry_alerts(D(2026, 12, 11))
    assert ("OLD", "expired") in [(a["batch"].batch_number, a["state"]) for a in later]
    with pytest.raises(ValidationError, match="已过有效期"):
        stock_issue(actor=head, batch=old, quantity=1, day=D(2026, 12, 11))
    # A batch given out entirely no longer alerts.
    stock_issue(actor=head, batch=old, quantity=10, day=D(2026, 12, 1))
    assert "OLD" not in [a["batch"].batch_number for a in expiry_alerts(D(2026, 12, 1))]


def test_expired_stock_is_not_received(head, pills, county, today):
    with pytest.raises(ValidationError, match="已过有效期"):
        stock_receive(
            actor=head,
            item=pills,
            batch_number="X",
            expires_on=D(2026, 11, 30),
            quantity=1,
            holder=county,
        )
