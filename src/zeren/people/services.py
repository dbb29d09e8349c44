"""Writes for persons: each use case one atomic function with an actor."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zeren.core import crypto, transitions
from zeren.core.audit import acting_as
from zeren.core.models import SecurityEvent
from zeren.core.permissions import check_division, require
from zeren.core.scope import can_access
from zeren.core.security import log_event
from zeren.org.models import Division
from zeren.people.models import Person
from zeren.people.rules import InvalidIdNumber, normalise_id_text, parse_id_number


def person_create(
    *,
    actor: Any,
    name: str,
    id_number: str,
    division: Division,
    phone: str = "",
    address: str = "",
) -> Person:
    """Register a person; the identity number must be valid and not yet registered."""
    require(actor, "people.add_person", "无权登记相对人", division=division)
    name = name.strip()
    if not name:
        raise ValidationError({"name": "姓名不能为空"})
    try:
        parsed = parse_id_number(id_number)
    except InvalidIdNumber as exc:
        raise ValidationError({"id_number": str(exc)}) from exc
    if Person.objects.filter(id_number_hash=crypto.blind_index(parsed.value)).exists():
        raise ValidationError({"id_number": "该身份证号已登记"})
    with transaction.atomic(), acting_as(actor):
        return Person.objects.create(
            name=name,
            id_number=parsed.value,
            birth_date=parsed.birth_date,
            sex=parsed.sex,
            phone=phone.strip(),
            address=address.strip(),
            division=division,
        )


def person_update(
    *,
    actor: Any,
    person: Person,
    phone: str | None = None,
    address: str | None = None,
    name: str | None = None,
    division: Division | None = None,
    seen: str | None = None,
) -> Person:
    """Change a person's contact details or division (the identity number never changes).

    ``seen`` is the version (``core.transitions.version_of``) the editor loaded: if someone
    saved the person since, raises ``core.transitions.TransitionConflict`` naming who, when
    and which fields, and nothing is saved (two stale edit forms cannot both save).
    """
    if not can_access(actor, person, "change"):
        raise PermissionDenied("无权修改该相对人")
    if division is not None:
        check_division(actor, division)
        person.division = division
    if name is not None:
        if not name.strip():
            raise ValidationError({"name": "姓名不能为空"})
        person.name = name.strip()
    if phone is not None:
        person.phone = phone.strip()
    if address is not None:
        person.address = address.strip()
    with transaction.atomic(), acting_as(actor):
        transitions.check_unchanged(person, seen=seen, doing="修改")
        person.save()
    return person


def person_reveal(
    *,
    actor: Any,
    person: Person,
    request: Any = None,
    reason: str = "",
    document: str = "",
    fields: list[str] | None = None,
) -> dict:
    """Return ``{"id_number": str, "phone": str}`` unmasked, and log who saw them and why.

    ``document`` names the document the number is printed on (logged with the reveal; it is
    the reason when ``reason`` is blank); ``fields`` the fields logged as seen (default both).
    Raises PermissionDenied without the reveal permission or outside scope (logged as a
    denial) and ValidationError when neither ``reason`` nor ``document`` is given: every reveal
    states its purpose (PIPL art. 6 minimum necessary; GB/T 22239-2019 8.1.4.3 audit of
    security events).
    """
    reason = (reason or "").strip() or (f"生成文书：{document}" if document else "")
    if not actor.has_perm("people.reveal_person") or not can_access(actor, person, "view"):
        log_event(
            SecurityEvent.Kind.DENIED,
            request=request,
            actor=actor,
            obj=person,
            detail={"action": "reveal"},
        )
        raise PermissionDenied("无权查看完整信息")
    if not reason:
        raise ValidationError({"reason": "请填写查看完整信息的事由"})
    log_event(
        SecurityEvent.Kind.REVEAL,
        request=request,
        actor=actor,
        obj=person,
        detail={
            "fields": fields or ["id_number", "phone"],
            "reason": reason,
            **({"document": document} if document else {}),
        },
    )
    return {"id_number": person.id_number, "phone": person.phone}


def id_number_digest(typed: str) -> str:
    """The keyed hash (``id_number_hash``) of an identity number as a user typed it, for every
    search by number (pages, API, CLI): normalised first (``rules.normalise_id_text``:
    full-width digits and letters to ASCII, spaces of every kind removed, ``x`` upper-cased),
    so ``１３０５２５ １９９００１０１ ００１１`` finds what ``130525199001010011`` finds.
    Returns ``""`` for an empty input (search nothing)."""
    plain = normalise_id_text(typed)
    return crypto.blind_index(plain) if plain else ""


def person_find_by_id_number(*, actor: Any, id_number: str) -> Person | None:
    """Exact-match lookup through the keyed hash, within the actor's scope (the number is
    normalised first: full-width digits and stray spaces as typed still find the person)."""
    digest = id_number_digest(id_number)
    if not digest:
        return None
    return Person.objects.restrict(actor, "view").filter(id_number_hash=digest).first()
