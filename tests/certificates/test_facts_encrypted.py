"""Issue 10, finding 5 / point 4 (certificates): what a certificate records (a child, a
child's death or disability) is encrypted at rest and bound to the row; the page still
shows it; a copied ciphertext is an error cell and a security-log row, never a 500."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from tests.certificates.conftest import ONLY_CHILD_FACTS
from tests.conftest import login
from zeren.certificates.models import Certificate
from zeren.core.fields import UNDECRYPTABLE, seal_existing_rows
from zeren.core.models import SecurityEvent

pytestmark = pytest.mark.django_db


def _raw(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT facts FROM certificates_certificate WHERE id = %s", [pk])
        return str(cursor.fetchone()[0])


def _set_raw(pk: int, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE certificates_certificate SET facts = %s WHERE id = %s", [value, pk])


@pytest.fixture
def two(honour, types, staff_a, outsider, staff_b):
    from tests.certificates.conftest import register

    return honour, register(staff_a, types["migrant"], honour.holder)


def test_the_facts_are_not_in_the_row_and_the_page_shows_them(honour, staff_a):
    raw = _raw(honour.pk)
    assert raw.startswith("sm4g2:")
    assert not any(v in raw for v in ONLY_CHILD_FACTS.values())
    assert Certificate.objects.get(pk=honour.pk).facts == ONLY_CHILD_FACTS
    page = login(staff_a).get(reverse("certificates-detail", args=[honour.pk])).content.decode()
    assert ONLY_CHILD_FACTS["child_name"] in page


def test_facts_copied_onto_another_row_are_an_error_cell_and_a_log_row(two, staff_a):
    a, b = two
    _set_raw(b.pk, _raw(a.pk))
    assert Certificate.objects.get(pk=b.pk).facts.get("destination") == UNDECRYPTABLE
    client = login(staff_a)
    page = client.get(reverse("certificates-detail", args=[b.pk]))
    assert page.status_code == 200 and UNDECRYPTABLE in page.content.decode()
    assert ONLY_CHILD_FACTS["child_name"] not in page.content.decode()
    assert client.get(reverse("certificates-list")).status_code == 200
    assert SecurityEvent.objects.filter(kind="decrypt_failed", object_id=str(b.pk)).exists()


def test_the_data_migration_encrypts_the_old_facts(honour):
    _set_raw(honour.pk, '{"child_name": "王小红", "marriage_date": "2015-05-01"}')
    assert seal_existing_rows(Certificate, "certificates.Certificate", json_fields=("facts",)) == 1
    assert "王小红" not in _raw(honour.pk)
    assert Certificate.objects.get(pk=honour.pk).facts == {
        "child_name": "王小红",
        "marriage_date": "2015-05-01",
    }
