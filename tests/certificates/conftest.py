from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import person
from zeren.certificates.models import CertificateType
from zeren.certificates.services import certificate_issue, certificate_register


@pytest.fixture
def types(db) -> dict[str, CertificateType]:
    return {t.code: t for t in CertificateType.objects.all()}


@pytest.fixture
def husband(staff_a, village_a):
    return person(actor=staff_a, division=village_a, name="王建国")


@pytest.fixture
def wife(staff_a, village_a):
    return person(actor=staff_a, division=village_a, name="李秀英")


@pytest.fixture
def outsider(staff_b, village_b):
    return person(actor=staff_b, division=village_b, name="赵乙")


ONLY_CHILD_FACTS = {
    "marriage_date": "2015-05-01",
    "child_name": "王小明",
    "child_birth_date": "2016-08-08",
}
MIGRANT_FACTS = {"marital_status": "已婚", "children": "1", "destination": "北京市朝阳区"}
FIRST_CHILD_FACTS = {"marriage_date": "2025-05-01", "expected_birth": "2026-09-01"}


def register(actor, ctype, holder, spouse=None, facts=None, on=dt.date(2026, 3, 1)):
    facts = (
        facts
        or {
            "only_child": ONLY_CHILD_FACTS,
            "migrant": MIGRANT_FACTS,
            "first_child": FIRST_CHILD_FACTS,
        }[ctype.code]
    )
    return certificate_register(
        actor=actor, type=ctype, holder=holder, spouse=spouse, facts=facts, applied_on=on
    )


@pytest.fixture
def honour(types, staff_a, section_staff, husband, wife):
    """An issued 独生子女父母光荣证 of 王建国 and 李秀英."""
    cert = register(staff_a, types["only_child"], husband, wife)
    return certificate_issue(actor=section_staff, certificate=cert, on=dt.date(2026, 3, 2))
