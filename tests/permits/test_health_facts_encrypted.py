"""Finding 5 for licences: a database dump does not show whose termination was at which
hospital, or its conditions; pages still show them to those in scope."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.urls import reverse

from tests.conftest import login
from tests.permits.conftest import grant
from zeren.permits.models import PermitKind
from zeren.permits.services import permit_amend

pytestmark = pytest.mark.django_db

HOSPITAL = "隆尧县妇幼保健院"
CONDITIONS = "经医学鉴定胎儿严重缺陷"


def _dump(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")
        return json.dumps(cursor.fetchall(), default=str, ensure_ascii=False)


def test_hospital_and_conditions_are_stored_encrypted_and_shown_in_scope(section_staff, holder):
    permit = grant(
        section_staff,
        holder,
        number="隆终字101",
        kind=PermitKind.TERMINATION,
        approval_date=dt.date(2026, 3, 2),
        valid_to=dt.date(2026, 6, 30),
        hospital=HOSPITAL,
        conditions=CONDITIONS,
    )
    permit_amend(
        actor=section_staff,
        permit=permit,
        changes={"hospital": "邢台市人民医院"},
        reason="转院",
    )
    for table in ("permits_permit", "permits_permitevent", "core_changelog"):
        raw = _dump(table)
        assert HOSPITAL not in raw and "邢台市人民医院" not in raw and CONDITIONS not in raw
    page = login(section_staff).get(reverse("permit-detail", args=[permit.pk])).content.decode()
    assert "邢台市人民医院" in page and CONDITIONS in page
