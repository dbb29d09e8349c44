"""Writes for the free certificates: register, issue, reissue, revoke, expire.

Each use case is one atomic function with an ``actor``; every change writes a
:class:`CertificateEvent`; refusals are ValidationErrors that say why.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from zeren.certificates import rules
from zeren.certificates.models import (
    Certificate,
    CertificateEvent,
    CertificateType,
)
from zeren.certificates.rules import Status
from zeren.core import crypto, sequences, transitions
from zeren.core.audit import acting_as, log_bulk
from zeren.core.facts import check_after_last_event
from zeren.core.permissions import actor_name, require
from zeren.core.permissions import is_user as _is_user
from zeren.core.scope import can_access
from zeren.org.models import Division
from zeren.people.models import Person
from zeren.people.rules import InvalidIdNumber, parse_id_number
from zeren.people.services import person_find_by_id_number

REVOKE_BASIS = (
    "《中华人民共和国行政许可法》第六十九条：以欺骗、贿赂等不正当手段取得的，应当予以撤销"
)
REVOKE_GROUNDS = {
    "deception": "以欺骗等不正当手段取得",
    "bribery": "以贿赂等不正当手段取得",
    "defective": "不符合条件而发放",
}
REISSUE_GROUNDS = {"lost": "遗失", "damaged": "损毁"}
OUT_OF_SCOPE = "该证件不在您的管辖范围内"


def _event(
    cert: Certificate,
    *,
    actor: Any,
    kind: str,
    from_status: str,
    on: dt.date,
    ground: str = "",
    basis: str = "",
) -> CertificateEvent:
    # A certificate's story in date order, nothing after today (core.facts).
    check_after_last_event(
        cert.events if cert.pk else None, on, what=CertificateEvent.Kind(kind).label
    )
    return CertificateEvent.objects.create(
        certificate=cert,
        kind=kind,
        from_status=from_status,
        to_status=cert.status,
        ground=ground,
        basis=basis,
        effective_date=on,
        actor=actor if _is_user(actor) else None,
        actor_name=actor_name(actor),
    )


def find_holder(*, actor: Any, field: str, id_number: str) -> Person:
    """The registered person with exactly this (valid) ID number, within the actor's scope."""
    raw = (id_number or "").strip().upper()
    try:
        parsed = parse_id_number(raw)
    except InvalidIdNumber as exc:
        raise ValidationError({field: f"身份证号无效：{exc}"}) from exc
    if _is_user(actor):
        person = person_find_by_id_number(actor=actor, id_number=parsed.value)
    else:
        digest = crypto.blind_index(parsed.value)
        person = Person.objects.filter(id_number_hash=digest).first()
    if person is None:
        raise ValidationError({field: "该身份证号尚未登记为相对人，或不在您的管辖范围内"})
    return person


def _clean_facts(ctype: CertificateType, facts: dict[str, Any]) -> dict[str, str]:
    missing = [f["label"] for f in ctype.facts if not str(facts.get(f["key"], "")).strip()]
    if missing:
        raise ValidationError({"facts": f"请填写：{'、'.join(missing)}"})
    return {f["key"]: str(facts[f["key"]]).strip() for f in ctype.facts}


def _exclusive_key(ctype: CertificateType, holder: Person, spouse: Person | None) -> str | None:
    if not ctype.one_per_couple or spouse is None:
        return None
    return f"{ctype.code}:{rules.couple_key(holder.pk, spouse.pk)}"


def _duplicate_message(ctype: CertificateType) -> str:
    if ctype.code == "first_child":
        return "该对夫妻的第一个子女已办理过《第一个子女生育登记卡》，不能重复办理"
    return f"该对夫妻已有一份有效的《{ctype.name}》（或正在受理），不能重复办理"


def certificate_register(
    *,
    actor: Any,
    type: CertificateType,
    holder: Person,
    spouse: Person | None = None,
    facts: dict[str, Any],
    applied_on: dt.date | None = None,
) -> Certificate:
    """受理: register an application; the holder's township locates it."""
    require(actor, "certificates.add_certificate", "无权受理证件申请")
    if type.holder_kind == CertificateType.Holder.COUPLE and spouse is None:
        raise ValidationError({"spouse": f"《{type.name}》由夫妻双方持证，请填写配偶身份证号"})
    if type.holder_kind == CertificateType.Holder.PERSON and spouse is not None:
        raise ValidationError({"spouse": f"《{type.name}》由本人持证，不填配偶"})
    if spouse is not None and spouse.pk == holder.pk:
        raise ValidationError({"spouse": "配偶不能与持证人为同一人"})
    clean = _clean_facts(type, facts)
    township = holder.division.ancestor_at(Division.Level.TOWNSHIP)
    if township is None:
        raise ValidationError({"holder": "持证人的所在区划不在任何乡镇之内"})
    if _is_user(actor) and not actor.is_superuser:
        jurisdiction = actor.jurisdiction
        if jurisdiction is None or not township.is_within(jurisdiction):
            raise PermissionDenied("持证人所在乡镇不在您的管辖范围内")
        for person in (holder, spouse):
            if person is not None and not can_access(actor, person, "view"):
                raise PermissionDenied("持证人不在您的管辖范围内")
    key = _exclusive_key(type, holder, spouse)
    if key and Certificate.objects.filter(exclusive_key=key).exists():
        raise ValidationError(_duplicate_message(type))
    on = applied_on or timezone.localdate()
    try:
        with transaction.atomic(), acting_as(actor):
            cert = Certificate.objects.create(
                type=type,
                holder=holder,
                spouse=spouse,
                township=township,
                facts=clean,
                applied_on=on,
                registered_by=actor if _is_user(actor) else None,
                exclusive_key=key,
            )
            _event(cert, actor=actor, kind=CertificateEvent.Kind.APPLY, from_status="", on=on)
    except IntegrityError as exc:
        # Another request registered the same couple in the meantime.
        raise ValidationError(_duplicate_message(type)) from exc
    return cert


# Certificates are numbered by the bureau, one counter per type and year (core.sequences).
NUMBER_AUTHORITY = "longyao-jsj"


def counter_kind(type: CertificateType) -> str:
    """The core counter's kind for ``type`` (“证件:<code>”)."""
    return f"证件:{type.code}"


def next_serial(*, type: CertificateType, year: int) -> int:
    """Take the next serial for ``type`` in ``year`` (call inside a transaction).

    One locked counter row per type and year (:func:`zeren.core.sequences.next_value`), so
    concurrent issues get distinct, gapless serials; a rolled-back issue rolls its serial
    back too.
    """
    return sequences.next_value(authority=NUMBER_AUTHORITY, kind=counter_kind(type), year=year)


def _assign_number(cert: Certificate, on: dt.date) -> None:
    serial = next_serial(type=cert.type, year=on.year)
    cert.year = on.year
    cert.serial = serial
    cert.number = rules.format_number(cert.type.number_prefix, on.year, serial)


def certificate_issue(
    *, actor: Any, certificate: Certificate, on: dt.date | None = None
) -> Certificate:
    """发证: give the application its number, issue date, issuer and the (zero) fee."""
    require(
        actor,
        "certificates.issue_certificate",
        "无权发证",
        obj=certificate,
        out_of_scope=OUT_OF_SCOPE,
    )
    on = on or timezone.localdate()
    with transaction.atomic(), acting_as(actor):
        cert = transitions.lock(
            certificate, field="status", expected=[Status.APPLIED], doing="发证"
        )
        if on < cert.applied_on:
            raise ValidationError({"on": "发证日期不能早于受理日期"})
        _assign_number(cert, on)
        cert.status = Status.VALID
        cert.issued_on = on
        cert.issued_by = actor if _is_user(actor) else None
        cert.fee = Decimal(cert.type.fee)
        cert.expires_on = rules.valid_to(on, cert.type.validity_years)
        cert.save()
        _event(
            cert,
            actor=actor,
            kind=CertificateEvent.Kind.ISSUE,
            from_status=Status.APPLIED,
            on=on,
            basis=cert.type.fee_statement,
        )
    return cert


def certificate_reissue(
    *, actor: Any, certificate: Certificate, ground: str, on: dt.date | None = None
) -> Certificate:
    """补发: a lost or damaged certificate gets a new number; the old number is voided."""
    require(
        actor,
        "certificates.reissue_certificate",
        "无权补发证件",
        obj=certificate,
        out_of_scope=OUT_OF_SCOPE,
    )
    if ground not in REISSUE_GROUNDS:
        raise ValidationError({"ground": "补发事由应为遗失或损毁"})
    on = on or timezone.localdate()
    with transaction.atomic(), acting_as(actor):
        old = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if old.status_on(on) != Status.VALID:
            label = Status.LABELS[old.status_on(on)]
            raise ValidationError(f"只有有效的证件可以补发，该证件状态为“{label}”")
        key = old.exclusive_key
        old.status = Status.VOIDED
        old.exclusive_key = None
        old.save()
        _event(
            old,
            actor=actor,
            kind=CertificateEvent.Kind.VOID,
            from_status=Status.VALID,
            on=on,
            ground=f"{REISSUE_GROUNDS[ground]}，已补发",
        )
        new = Certificate(
            type=old.type,
            holder=old.holder,
            spouse=old.spouse,
            township=old.township,
            facts=old.facts,
            applied_on=on,
            registered_by=actor if _is_user(actor) else None,
            status=Status.VALID,
            issued_on=on,
            issued_by=actor if _is_user(actor) else None,
            fee=Decimal(old.type.fee),
            # A reissue replaces the document, not the term: the original expiry stands.
            expires_on=old.expires_on,
            replaces=old,
            exclusive_key=key,
        )
        _assign_number(new, on)
        new.save()
        _event(
            new,
            actor=actor,
            kind=CertificateEvent.Kind.REISSUE,
            from_status="",
            on=on,
            ground=f"{REISSUE_GROUNDS[ground]}，补发原证 {old.number}",
            basis=old.type.fee_statement,
        )
    return new


def certificate_revoke(
    *, actor: Any, certificate: Certificate, ground: str, note: str = "", on: dt.date | None = None
) -> Certificate:
    """撤销: a certificate obtained by deception or bribery, or issued without the conditions."""
    require(
        actor,
        "certificates.revoke_certificate",
        "无权撤销证件",
        obj=certificate,
        out_of_scope=OUT_OF_SCOPE,
    )
    if ground not in REVOKE_GROUNDS:
        raise ValidationError({"ground": "请选择撤销事由"})
    on = on or timezone.localdate()
    with transaction.atomic(), acting_as(actor):
        cert = transitions.lock(
            certificate, field="status", expected=[Status.VALID, Status.EXPIRED], doing="撤销"
        )
        before = cert.status
        cert.status = Status.REVOKED
        cert.exclusive_key = None
        cert.save()
        ground_text = REVOKE_GROUNDS[ground] + (f"：{note.strip()}" if note.strip() else "")
        _event(
            cert,
            actor=actor,
            kind=CertificateEvent.Kind.REVOKE,
            from_status=before,
            on=on,
            ground=ground_text,
            basis=REVOKE_BASIS,
        )
    return cert


def certificates_expire(*, actor: Any, on: dt.date) -> int:
    """过期: valid certificates whose last day is before ``on`` (set-based, one log row).

    A conditional UPDATE (status still 'valid') claims the rows, so a second worker finds
    nothing left to do.
    """
    with transaction.atomic(), acting_as(actor):
        due = list(
            Certificate.objects.filter(status=Status.VALID, expires_on__lt=on).values_list(
                "pk", flat=True
            )
        )
        if not due:
            return 0
        claimed = list(
            Certificate.objects.select_for_update()
            .filter(pk__in=due, status=Status.VALID)
            .values_list("pk", flat=True)
        )
        changed = Certificate.objects.filter(pk__in=claimed, status=Status.VALID).update(
            status=Status.EXPIRED, updated_at=timezone.now()
        )
        if not changed:
            return 0  # another worker expired them first: nothing to log
        name = actor_name(actor)
        CertificateEvent.objects.bulk_create(
            CertificateEvent(
                certificate_id=pk,
                kind=CertificateEvent.Kind.EXPIRE,
                from_status=Status.VALID,
                to_status=Status.EXPIRED,
                ground="有效期届满",
                effective_date=on,
                actor=actor if _is_user(actor) else None,
                actor_name=name,
            )
            for pk in claimed
        )
        log_bulk(
            Certificate,
            f"{changed} 份流动人口婚育证明等证件有效期届满",
            {"on": on.isoformat(), "count": changed},
        )
    return changed


def certificate_verify(*, number: str, name: str, on: dt.date | None = None) -> str:
    """The public answer for a number and a holder's name: one of ``rules.PUBLIC_ANSWERS``.

    A wrong name and an unknown number give the same answer, so the page reveals nothing
    about who holds which number. The number may be typed with any usual brackets
    (``rules.normalise_number``).
    """
    on = on or timezone.localdate()
    number, name = rules.normalise_number(number), (name or "").strip()
    if not number or not name:
        return rules.NOT_FOUND
    cert = (
        Certificate.objects.filter(number=number)
        .exclude(status=Status.APPLIED)
        .select_related("holder", "spouse")
        .first()
    )
    if cert is None or name not in {p.name for p in cert.holders}:
        return rules.NOT_FOUND
    return cert.status_on(on)
