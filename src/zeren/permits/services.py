"""Writes for licences: grant, amend, use, expire, revoke, cancel, import.

Each use case is one atomic function with an ``actor``; every change writes a
:class:`PermitEvent` with its ground, legal basis, actor and date, and illegal transitions are
refused with a ValidationError that says why.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from zeren.core import transitions
from zeren.core.audit import acting_as, log_bulk
from zeren.core.facts import check_after_last_event
from zeren.core.permissions import actor_name, require
from zeren.core.permissions import is_user as _is_user
from zeren.org.models import Division
from zeren.people.models import Person
from zeren.permits import rules
from zeren.permits.models import Permit, PermitEvent, PermitKind
from zeren.permits.rules import Outcome, Status, TransitionRefused

AMENDABLE = ("spouse", "valid_to", "conditions", "hospital")
OUT_OF_SCOPE = "该许可不在您的管辖范围内"


def _event(
    permit: Permit,
    *,
    actor: Any,
    kind: str,
    from_status: str,
    effective_date: dt.date,
    ground: rules.Ground | None = None,
    documents: str = "",
    note: str = "",
    changes: dict | None = None,
) -> PermitEvent:
    # A licence's story in date order: nothing dated after today (Asia/Shanghai) or before
    # the licence's previous step (core.facts).
    check_after_last_event(
        permit.events if permit.pk else None, effective_date, what=PermitEvent.Kind(kind).label
    )
    return PermitEvent.objects.create(
        permit=permit,
        kind=kind,
        from_status=from_status,
        to_status=permit.status,
        ground=ground.code if ground else "",
        ground_label=ground.label if ground else "",
        basis=ground.basis if ground else "",
        effective_date=effective_date,
        documents=documents.strip(),
        note=note.strip(),
        changes=changes or {},
        actor=actor if _is_user(actor) else None,
        actor_name=actor_name(actor),
    )


def _refused(exc: TransitionRefused) -> ValidationError:
    return ValidationError(str(exc))


def permit_grant(
    *,
    actor: Any,
    kind: str,
    number: str,
    holder: Person,
    approval_date: dt.date,
    valid_to: dt.date,
    valid_from: dt.date | None = None,
    spouse: Person | None = None,
    conditions: str = "",
    hospital: str = "",
    approved_by: Any = None,
    documents: str = "",
    township: Division | None = None,
) -> Permit:
    """Record an approved licence; the holder's village and township locate it.

    ``township`` (as chosen on a form) must agree with the holder's registered division; it
    locates the licence only when the holder has no division on record.
    """
    require(actor, "permits.add_permit", "无权登记许可")
    if kind not in PermitKind.values:
        raise ValidationError({"kind": f"未知的许可类别“{kind}”"})
    number = number.strip()
    if not number:
        raise ValidationError({"number": "证号不能为空"})
    valid_from = valid_from or approval_date
    if valid_to < valid_from:
        raise ValidationError({"valid_to": "有效期止不能早于有效期起"})
    if Permit.objects.filter(kind=kind, number=number).exists():
        raise ValidationError({"number": f"证号“{number}”已存在"})
    if spouse is not None and spouse.pk == holder.pk:
        raise ValidationError({"spouse": "配偶不能与持证人为同一人"})
    if township is not None and township.level != Division.Level.TOWNSHIP:
        raise ValidationError({"township": "请选择乡镇"})
    village = holder.division
    home = village.ancestor_at(Division.Level.TOWNSHIP) if village else None
    if township is not None and home is not None and home.pk != township.pk:
        raise ValidationError(
            {"township": f"持证人登记的所在区划属于{home.name}，与所选乡镇“{township.name}”不符"}
        )
    township = home or township
    if township is None:
        raise ValidationError({"holder": "持证人的所在区划不在任何乡镇之内"})
    if _is_user(actor) and not actor.is_superuser:
        jurisdiction = actor.jurisdiction
        if jurisdiction is None or not township.is_within(jurisdiction):
            raise PermissionDenied("持证人所在乡镇不在您的管辖范围内")
    with transaction.atomic(), acting_as(actor):
        permit = Permit.objects.create(
            kind=kind,
            number=number,
            holder=holder,
            spouse=spouse,
            township=township,
            village=village if village and village.level == Division.Level.VILLAGE else None,
            approval_date=approval_date,
            approved_by=approved_by,
            valid_from=valid_from,
            valid_to=valid_to,
            conditions=conditions.strip(),
            hospital=hospital.strip(),
        )
        _event(
            permit,
            actor=actor,
            kind=PermitEvent.Kind.GRANT,
            from_status="",
            effective_date=approval_date,
            documents=documents,
        )
    return permit


def _event_values(permit: Permit, changes: dict[str, Any]) -> dict[str, str]:
    """Values for the amendment event: health facts (encrypted fields) as a keyed fingerprint
    only, like the change log, so the append-only event table holds no plaintext of them."""
    from zeren.core.audit import snapshot

    picture = snapshot(permit)
    return {
        k: str(picture.get(k) or "") if k in ENCRYPTED_FACTS else str(getattr(permit, k) or "")
        for k in changes
    }


ENCRYPTED_FACTS = ("conditions", "hospital")


def permit_amend(
    *,
    actor: Any,
    permit: Permit,
    changes: dict[str, Any],
    reason: str,
    on: dt.date | None = None,
    documents: str = "",
) -> Permit:
    """变更: change the spouse, validity end, conditions or hospital of a valid licence."""
    require(actor, "permits.change_permit", "无权变更许可", obj=permit, out_of_scope=OUT_OF_SCOPE)
    if not reason.strip():
        raise ValidationError({"reason": "请填写变更事由"})
    unknown = set(changes) - set(AMENDABLE)
    if unknown:
        raise ValidationError(f"不能变更：{'、'.join(sorted(unknown))}")
    if not changes:
        raise ValidationError("请填写要变更的内容（配偶、有效期止、批准条件或医疗机构）")
    if changes.get("spouse") is not None and changes["spouse"].pk == permit.holder_id:
        raise ValidationError({"spouse": "配偶不能与持证人为同一人"})
    try:
        rules.check_amend(status=permit.status)
    except TransitionRefused as exc:
        raise _refused(exc) from exc
    seen = permit.status
    before = _event_values(permit, changes)
    for field, value in changes.items():
        setattr(permit, field, value)
    if permit.valid_to < permit.valid_from:
        raise ValidationError({"valid_to": "有效期止不能早于有效期起"})
    after = _event_values(permit, changes)
    with transaction.atomic(), acting_as(actor):
        # Lock a fresh copy (the caller's holds the changes): refused if changed meanwhile.
        transitions.lock(Permit(pk=permit.pk), field="status", expected=[seen], doing="变更")
        permit.save()
        _event(
            permit,
            actor=actor,
            kind=PermitEvent.Kind.AMEND,
            from_status=permit.status,
            effective_date=on or timezone.localdate(),
            documents=documents,
            note=reason,
            changes={"before": before, "after": after},
        )
    return permit


def permit_use(*, actor: Any, permit: Permit, on: dt.date, note: str = "") -> Permit:
    """Record that the licence was used (child born, operation performed)."""
    require(actor, "permits.change_permit", "无权登记使用", obj=permit, out_of_scope=OUT_OF_SCOPE)
    try:
        rules.check_use(
            status=permit.status, valid_from=permit.valid_from, valid_to=permit.valid_to, on=on
        )
    except TransitionRefused as exc:
        raise _refused(exc) from exc
    with transaction.atomic(), acting_as(actor):
        before = permit.status
        transitions.lock(permit, field="status", expected=[before], doing="登记使用")
        permit.status = Status.USED
        permit.used_on = on
        permit.save()
        _event(
            permit,
            actor=actor,
            kind=PermitEvent.Kind.USE,
            from_status=before,
            effective_date=on,
            note=note,
        )
    return permit


def permit_revoke(
    *,
    actor: Any,
    permit: Permit,
    ground: str,
    on: dt.date | None = None,
    documents: str = "",
    note: str = "",
) -> Permit:
    """撤销 (Art. 69): undo a defective grant (deception, unlawful grant)."""
    require(actor, "permits.revoke_permit", "无权撤销许可", obj=permit, out_of_scope=OUT_OF_SCOPE)
    return _conclude(
        actor=actor,
        permit=permit,
        outcome=Outcome.REVOKE,
        ground=ground,
        on=on,
        documents=documents,
        note=note,
    )


def permit_withdraw(
    *,
    actor: Any,
    permit: Permit,
    ground: str,
    on: dt.date | None = None,
    documents: str = "",
    note: str = "",
) -> Permit:
    """撤回 (Licensing Law Art. 8): end a lawful grant whose conditions have since been lost.

    Same authority as revocation (``permits.revoke_permit``); then cancel (注销, Art. 70(4)).
    Raises ValidationError (Chinese) when the ground is not one of withdrawal or the state
    does not allow it.
    """
    require(actor, "permits.revoke_permit", "无权撤回许可", obj=permit, out_of_scope=OUT_OF_SCOPE)
    return _conclude(
        actor=actor,
        permit=permit,
        outcome=Outcome.WITHDRAW,
        ground=ground,
        on=on,
        documents=documents,
        note=note,
    )


def permit_cancel(
    *,
    actor: Any,
    permit: Permit,
    ground: str,
    on: dt.date | None = None,
    documents: str = "",
    note: str = "",
) -> Permit:
    """注销 (Art. 70): strike off a lapsed, revoked or holder-deceased licence."""
    require(actor, "permits.cancel_permit", "无权注销许可", obj=permit, out_of_scope=OUT_OF_SCOPE)
    return _conclude(
        actor=actor,
        permit=permit,
        outcome=Outcome.CANCEL,
        ground=ground,
        on=on,
        documents=documents,
        note=note,
    )


def _conclude(
    *,
    actor: Any,
    permit: Permit,
    outcome: str,
    ground: str,
    on: dt.date | None,
    documents: str,
    note: str,
) -> Permit:
    on = on or timezone.localdate()
    with transaction.atomic(), acting_as(actor):
        # Lock the row so two officers cannot conclude the same licence at once.
        locked = Permit.objects.select_for_update().get(pk=permit.pk)
        concluded = (Status.REVOKED, Status.CANCELLED)
        if locked.status != permit.status and locked.status in concluded:
            # Someone concluded it after this page was loaded: say who and when.
            doing = "撤销" if outcome == Outcome.REVOKE else "注销"
            raise transitions.conflict(locked, doing=doing, field="status")
        try:
            g = rules.check_outcome(
                status=locked.status,
                ground_code=ground,
                outcome=outcome,
                valid_to=locked.valid_to,
                on=on,
            )
        except TransitionRefused as exc:
            raise _refused(exc) from exc
        if not documents.strip():
            raise ValidationError({"documents": "请填写决定文书（文号或名称）"})
        before = locked.status
        locked.status = {
            Outcome.REVOKE: Status.REVOKED,
            Outcome.WITHDRAW: Status.WITHDRAWN,
            Outcome.CANCEL: Status.CANCELLED,
        }[outcome]
        locked.save()
        _event(
            locked,
            actor=actor,
            kind={
                Outcome.REVOKE: PermitEvent.Kind.REVOKE,
                Outcome.WITHDRAW: PermitEvent.Kind.WITHDRAW,
                Outcome.CANCEL: PermitEvent.Kind.CANCEL,
            }[outcome],
            from_status=before,
            effective_date=on,
            ground=g,
            documents=documents,
            note=note,
        )
    permit.refresh_from_db()
    return permit


def permits_expire_lapsed(*, actor: Any, on: dt.date) -> int:
    """Mark every granted licence whose validity ended before ``on`` as expired (set-based)."""
    with transaction.atomic(), acting_as(actor):
        # Locked rows are re-checked after a concurrent worker commits, so each licence
        # expires (and gets its event) once.
        lapsed = Permit.objects.select_for_update().filter(status=Status.GRANTED, valid_to__lt=on)
        ids = list(lapsed.values_list("pk", flat=True))
        if not ids:
            return 0
        changed = Permit.objects.filter(pk__in=ids, status=Status.GRANTED).update(
            status=Status.EXPIRED, updated_at=timezone.now()
        )
        if not changed:
            return 0
        name = actor_name(actor)
        PermitEvent.objects.bulk_create(
            PermitEvent(
                permit_id=pk,
                kind=PermitEvent.Kind.EXPIRE,
                from_status=Status.GRANTED,
                to_status=Status.EXPIRED,
                effective_date=on,
                note="有效期届满",
                actor=actor if _is_user(actor) else None,
                actor_name=name,
            )
            for pk in ids
        )
        # The count is the UPDATE's own rowcount: what this run changed (issue 17, point 3).
        log_bulk(Permit, f"标记过期许可 {changed} 件", {"count": changed, "on": on.isoformat()})
    return changed
