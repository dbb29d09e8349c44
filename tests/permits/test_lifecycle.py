"""The licence lifecycle: grounds and bases recorded, illegal transitions refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.permits.conftest import grant
from zeren.core.models import ChangeLog
from zeren.permits import rules
from zeren.permits.models import PermitEvent, PermitKind, RebirthPermit, TerminationApproval
from zeren.permits.rules import Status, TransitionRefused
from zeren.permits.services import (
    permit_amend,
    permit_cancel,
    permit_revoke,
    permit_use,
    permits_expire_lapsed,
)

pytestmark = pytest.mark.django_db
VALID_TO = dt.date(2026, 12, 31)

# (status, outcome, ground, day, allowed?) — worked examples of Arts. 8, 69 and 70.
OUTCOME_TABLE = [
    (Status.GRANTED, "revoke", "deception", dt.date(2026, 3, 1), True),
    (Status.USED, "revoke", "deception", dt.date(2026, 3, 1), True),
    # Conditions lost after a lawful grant: withdrawn (Art. 8), never revoked (Art. 69).
    (Status.GRANTED, "withdraw", "conditions_lost", dt.date(2026, 3, 1), True),
    (Status.GRANTED, "revoke", "conditions_lost", dt.date(2026, 3, 1), False),
    (Status.USED, "withdraw", "conditions_lost", dt.date(2026, 3, 1), False),
    (Status.GRANTED, "withdraw", "deception", dt.date(2026, 3, 1), False),
    (Status.WITHDRAWN, "cancel", "after_revocation", dt.date(2026, 3, 1), True),
    (Status.REVOKED, "cancel", "after_revocation", dt.date(2026, 3, 1), True),
    (Status.GRANTED, "cancel", "after_revocation", dt.date(2026, 3, 1), False),
    (Status.GRANTED, "cancel", "expired_unused", dt.date(2027, 1, 1), True),
    (Status.EXPIRED, "cancel", "expired_unused", dt.date(2027, 1, 1), True),
    (Status.GRANTED, "cancel", "expired_unused", dt.date(2026, 12, 31), False),  # last day valid
    (Status.USED, "cancel", "expired_unused", dt.date(2027, 1, 1), False),
    (Status.GRANTED, "cancel", "holder_died", dt.date(2026, 3, 1), True),
    (Status.CANCELLED, "revoke", "deception", dt.date(2026, 3, 1), False),
    (Status.CANCELLED, "cancel", "after_revocation", dt.date(2026, 3, 1), False),
    (Status.GRANTED, "revoke", "expired_unused", dt.date(2027, 1, 1), False),  # wrong outcome
    (Status.GRANTED, "cancel", "deception", dt.date(2026, 3, 1), False),
]


@pytest.mark.parametrize(("status", "outcome", "ground", "day", "allowed"), OUTCOME_TABLE)
def test_the_outcome_table(status, outcome, ground, day, allowed):
    def check():
        return rules.check_outcome(
            status=status, ground_code=ground, outcome=outcome, valid_to=VALID_TO, on=day
        )

    if allowed:
        assert check().code == ground
    else:
        with pytest.raises(TransitionRefused):
            check()


def test_revoke_for_deception_records_ground_basis_and_actor_then_cancel(section_staff, rebirth):
    permit_revoke(
        actor=section_staff,
        permit=rebirth,
        ground="deception",
        on=dt.date(2026, 3, 2),
        documents="隆计撤字〔2026〕1号",
    )
    assert rebirth.status == Status.REVOKED
    event = rebirth.events.get(kind=PermitEvent.Kind.REVOKE)
    assert event.ground == "deception"
    assert "第六十九条" in event.basis
    assert event.actor == section_staff and event.actor_name == "clerk"
    assert event.effective_date == dt.date(2026, 3, 2)
    assert event.documents == "隆计撤字〔2026〕1号"
    assert (event.from_status, event.to_status) == (Status.GRANTED, Status.REVOKED)
    permit_cancel(
        actor=section_staff,
        permit=rebirth,
        ground="after_revocation",
        on=dt.date(2026, 3, 3),
        documents="隆计注字〔2026〕1号",
    )
    assert rebirth.status == Status.CANCELLED
    cancel = rebirth.events.get(kind=PermitEvent.Kind.CANCEL)
    assert "第七十条" in cancel.basis
    assert (
        ChangeLog.objects.filter(
            content_type__model="permit", object_id=str(rebirth.pk), action="update"
        ).count()
        == 2
    )


def test_an_expired_unused_licence_can_be_cancelled(section_staff, holder):
    permit = grant(section_staff, holder, valid_to=dt.date(2026, 2, 28))
    assert permits_expire_lapsed(actor="任务", on=dt.date(2026, 3, 1)) == 1
    permit.refresh_from_db()
    assert permit.status == Status.EXPIRED
    permit_cancel(
        actor=section_staff,
        permit=permit,
        ground="expired_unused",
        on=dt.date(2026, 3, 5),
        documents="注销通知",
    )
    assert permit.status == Status.CANCELLED


def test_a_licence_still_valid_cannot_be_cancelled_as_expired(section_staff, rebirth):
    with pytest.raises(ValidationError, match="尚未届满"):
        permit_cancel(
            actor=section_staff,
            permit=rebirth,
            ground="expired_unused",
            on=dt.date(2026, 6, 1),
            documents="x",
        )
    rebirth.refresh_from_db()
    assert rebirth.status == Status.GRANTED
    assert not rebirth.events.filter(kind="cancel").exists()


def test_a_cancelled_licence_refuses_everything(section_staff, rebirth):
    permit_cancel(actor=section_staff, permit=rebirth, ground="holder_died", documents="死亡证明")
    with pytest.raises(ValidationError, match="已注销"):
        permit_revoke(actor=section_staff, permit=rebirth, ground="deception", documents="x")
    with pytest.raises(ValidationError, match="不能登记使用"):
        permit_use(actor=section_staff, permit=rebirth, on=dt.date(2026, 3, 1))
    with pytest.raises(ValidationError, match="不能变更"):
        permit_amend(actor=section_staff, permit=rebirth, changes={"conditions": "x"}, reason="r")


def test_a_revocation_needs_its_documents(section_staff, rebirth):
    with pytest.raises(ValidationError, match="决定文书"):
        permit_revoke(actor=section_staff, permit=rebirth, ground="deception", documents=" ")


def test_use_only_within_validity(section_staff, rebirth):
    with pytest.raises(ValidationError, match="不在有效期"):
        permit_use(actor=section_staff, permit=rebirth, on=dt.date(2027, 1, 2))
    permit_use(actor=section_staff, permit=rebirth, on=dt.date(2026, 5, 1))
    assert rebirth.status == Status.USED and rebirth.used_on == dt.date(2026, 5, 1)


def test_amend_records_before_and_after(section_staff, rebirth):
    permit_amend(
        actor=section_staff,
        permit=rebirth,
        changes={"valid_to": dt.date(2027, 6, 30)},
        reason="延期",
        documents="变更申请",
    )
    event = rebirth.events.get(kind="amend")
    assert event.changes == {
        "before": {"valid_to": "2026-12-31"},
        "after": {"valid_to": "2027-06-30"},
    }


def test_township_staff_cannot_revoke(staff_a, rebirth):
    with pytest.raises(PermissionDenied):
        permit_revoke(actor=staff_a, permit=rebirth, ground="deception", documents="x")


def test_grant_refuses_a_duplicate_number_and_locates_the_township(
    section_staff, holder, township_a
):
    permit = grant(section_staff, holder, number="N1")
    assert permit.township == township_a and permit.village == holder.division
    with pytest.raises(ValidationError, match="已存在"):
        grant(section_staff, holder, number="N1")
    # The same number in the other kind is a different licence.
    grant(section_staff, holder, number="N1", kind=PermitKind.TERMINATION)


def test_proxies_see_only_their_kind(section_staff, holder):
    grant(section_staff, holder, number="R1")
    grant(section_staff, holder, number="T1", kind=PermitKind.TERMINATION)
    assert list(RebirthPermit.objects.values_list("number", flat=True)) == ["R1"]
    assert list(TerminationApproval.objects.values_list("number", flat=True)) == ["T1"]
