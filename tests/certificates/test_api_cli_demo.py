"""API, CLI, demo data, the daily job and numbering under concurrency."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from tests.certificates.conftest import FIRST_CHILD_FACTS, register
from tests.factories import person
from zeren.certificates import demo
from zeren.certificates.models import Certificate, CertificateEvent, CertificateType
from zeren.certificates.rules import Status
from zeren.certificates.services import certificate_issue, next_serial
from zeren.cli import main


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_lists_masked_and_scoped(honour, staff_a, staff_b):
    rows = _api(staff_a).get(reverse("api:certificate-list")).json()["results"]
    assert [r["number"] for r in rows] == [honour.number]
    row = rows[0]
    assert row["holder_id_number_masked"] == honour.holder.id_number_masked
    assert honour.holder.id_number not in str(rows)
    assert _api(staff_b).get(reverse("api:certificate-list")).json()["results"] == []
    detail = reverse("api:certificate-detail", args=[honour.pk])
    assert _api(staff_b).get(detail).status_code == 404
    assert [e["kind"] for e in _api(staff_a).get(detail).json()["events"]] == ["apply", "issue"]


def test_api_create_issue_reissue_revoke(types, staff_a, section_staff, head, husband, wife):
    created = _api(staff_a).post(
        reverse("api:certificate-list"),
        {
            "type": "first_child",
            "holder_id_number": husband.id_number,
            "spouse_id_number": wife.id_number,
            "facts": FIRST_CHILD_FACTS,
            "applied_on": "2026-03-01",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    refused = _api(staff_a).post(reverse("api:certificate-issue", args=[pk]), {}, format="json")
    assert refused.status_code == 403
    issued = _api(section_staff).post(
        reverse("api:certificate-issue", args=[pk]), {"on": "2026-03-02"}, format="json"
    )
    assert issued.json()["number"] == "隆生登〔2026〕00001" and issued.json()["fee"] == "0.00"
    again = _api(staff_a).post(
        reverse("api:certificate-list"),
        {
            "type": "first_child",
            "holder_id_number": wife.id_number,
            "spouse_id_number": husband.id_number,
            "facts": FIRST_CHILD_FACTS,
        },
        format="json",
    )
    assert again.status_code == 400 and "第一个子女已办理过" in again.content.decode()
    new = _api(section_staff).post(
        reverse("api:certificate-reissue", args=[pk]), {"ground": "lost"}, format="json"
    )
    assert new.status_code == 201 and new.json()["replaces"] == "隆生登〔2026〕00001"
    revoked = _api(head).post(
        reverse("api:certificate-revoke", args=[new.json()["id"]]),
        {"ground": "deception"},
        format="json",
    )
    assert revoked.json()["status"] == Status.REVOKED


def test_api_refuses_an_invalid_id_number(types, staff_a):
    response = _api(staff_a).post(
        reverse("api:certificate-list"),
        {"type": "migrant", "holder_id_number": "130525199001011235", "facts": {}},
        format="json",
    )
    assert response.status_code == 400 and "身份证号无效" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "last_line"),
    [("王建国", "valid 有效"), ("张三", "not_found 未查到：证号与持证人姓名不符，或该证号不存在")],
)
def test_cli_verify_prints_the_status_last(honour, capsys, name, last_line):
    assert main(["certificates", "verify", honour.number, "--name", name]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == last_line


def test_cli_expire_and_the_daily_job(types, staff_a, section_staff, husband, capsys):
    from zeren.certificates.jobs import expire_certificates

    cert = register(staff_a, types["migrant"], husband, on=dt.date(2020, 1, 6))
    certificate_issue(actor=section_staff, certificate=cert, on=dt.date(2020, 1, 6))
    assert main(["certificates", "expire", "--on", "2023-01-06"]) == 0
    assert capsys.readouterr().out.strip() == "已过期：1 份"
    assert expire_certificates.call_local() == 0  # already done: nothing left to claim


def test_demo_uses_existing_persons_and_is_idempotent(staff_a, staff_b, village_a, village_b):
    for i in range(80):
        person(actor=staff_a, division=village_a, name=f"甲{i}")
        person(actor=staff_b, division=village_b, name=f"乙{i}")
    from zeren.people.models import Person

    before = Person.objects.count()
    messages: list[str] = []
    demo.load(random.Random(1), messages.append)
    count = Certificate.objects.count()
    assert count > 100 and Person.objects.count() == before
    numbers = list(Certificate.objects.values_list("number", flat=True))
    assert len(set(numbers)) == count
    assert CertificateEvent.objects.filter(kind="issue").count() == count
    # The sequences continue after the demo's numbers.
    ctype = CertificateType.objects.get(code="migrant")
    last = Certificate.objects.filter(type=ctype, year=2026).count()
    with transaction.atomic():
        assert next_serial(type=ctype, year=2026) == last + 1
    demo.load(random.Random(1), messages.append)
    assert Certificate.objects.count() == count and messages[-1] == "演示免费证件：已存在"


def test_a_serial_cannot_be_given_twice(honour):
    with pytest.raises(IntegrityError), transaction.atomic():
        clone = Certificate.objects.get(pk=honour.pk)
        clone.pk = None
        clone.number = "另一号"
        clone.exclusive_key = None
        clone.save()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks")
def test_the_next_number_is_taken_under_a_row_lock(db):
    """Concurrent issues wait for each other on the sequence row (SELECT ... FOR UPDATE), so
    numbers are distinct and gapless; the unique constraint on (type, year, serial) backs it.
    (A threaded test would need a flushed, transactional database, which the append-only
    logs rightly refuse.)"""
    from django.test.utils import CaptureQueriesContext

    ctype = CertificateType.objects.get(code="migrant")
    with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
        first = next_serial(type=ctype, year=2031)
        second = next_serial(type=ctype, year=2031)
    assert (first, second) == (1, 2)
    assert any("FOR UPDATE" in q["sql"] for q in ctx.captured_queries)
