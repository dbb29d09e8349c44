"""Issue 10, finding 5 / point 4 (funds): a beneficiary's eligibility facts (a child's death
or disability) are encrypted at rest and bound to the row, with the bank account; pages and
API still show them; a copied ciphertext or a broken value is an error cell, never a 500."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.conftest import login
from tests.funds.conftest import make_beneficiary
from zeren.core import crypto
from zeren.core.fields import UNDECRYPTABLE, seal_existing_rows
from zeren.core.models import SecurityEvent
from zeren.funds.models import Beneficiary

pytestmark = pytest.mark.django_db

TABLE = "funds_beneficiary"


def _raw(pk: int, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {TABLE} WHERE id = %s", [pk])
        return str(cursor.fetchone()[0])


def _set_raw(pk: int, column: str, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET {column} = %s WHERE id = %s", [value, pk])


@pytest.fixture
def two(village_a):
    return (
        make_beneficiary(village=village_a, name="张三"),
        make_beneficiary(village=village_a, name="李四", kind="special_disability"),
    )


def test_the_facts_are_not_in_the_row_and_the_page_shows_them(two, section_staff):
    a, _ = two
    raw = _raw(a.pk, "facts")
    assert raw.startswith("sm4g2:") and "独生子女死亡" not in raw and "子女情况" not in raw
    assert crypto.decrypt(raw, f"funds.Beneficiary.facts:{a.row_key}")
    assert Beneficiary.objects.get(pk=a.pk).facts == {"子女情况": "独生子女死亡"}
    page = login(section_staff).get(f"/staff/funds/beneficiaries/{a.pk}/").content.decode()
    assert "子女情况：独生子女死亡" in page
    api = login(section_staff).get(f"/api/funds/beneficiaries/{a.pk}/").json()
    assert api["facts"] == {"子女情况": "独生子女死亡"}


def test_the_bank_account_is_bound_to_the_row(two):
    a, b = two
    _set_raw(b.pk, "bank_account", _raw(a.pk, "bank_account"))
    assert Beneficiary.objects.get(pk=b.pk).bank_account_masked == UNDECRYPTABLE


def test_facts_copied_onto_another_row_are_an_error_cell_and_a_log_row(two, section_staff):
    a, b = two
    _set_raw(b.pk, "facts", _raw(a.pk, "facts"))
    copied = Beneficiary.objects.get(pk=b.pk)
    assert copied.facts.get("子女情况") == UNDECRYPTABLE
    client = login(section_staff)
    page = client.get(f"/staff/funds/beneficiaries/{b.pk}/")
    assert page.status_code == 200 and UNDECRYPTABLE in page.content.decode()
    assert client.get("/api/funds/beneficiaries/").status_code == 200
    assert client.get("/staff/funds/beneficiaries/").status_code == 200
    event = SecurityEvent.objects.filter(kind="decrypt_failed", object_id=str(b.pk)).first()
    assert event is not None and event.detail["field"] == "facts"


def test_saving_a_row_with_undecryptable_facts_keeps_the_evidence(two):
    a, b = two
    token = _raw(a.pk, "facts")
    _set_raw(b.pk, "facts", token)
    broken = Beneficiary.objects.get(pk=b.pk)
    broken.status_note = "核查中"
    broken.save()
    assert _raw(b.pk, "facts") == token


def test_the_data_migration_encrypts_the_old_facts_and_rebinds_the_account(two):
    a, _ = two
    account = Beneficiary.objects.get(pk=a.pk).bank_account
    # as before the migration: facts in plain JSON, the account bound to the column only
    _set_raw(a.pk, "facts", '{"子女情况": "独生子女伤残"}')
    _set_raw(a.pk, "bank_account", crypto.encrypt(account, "funds.Beneficiary.bank_account:"))
    assert (
        seal_existing_rows(
            Beneficiary, "funds.Beneficiary", json_fields=("facts",), rebind=("bank_account",)
        )
        == 1
    )
    assert "伤残" not in _raw(a.pk, "facts")
    again = Beneficiary.objects.get(pk=a.pk)
    assert again.facts == {"子女情况": "独生子女伤残"} and again.bank_account == account
    assert (
        seal_existing_rows(
            Beneficiary, "funds.Beneficiary", json_fields=("facts",), rebind=("bank_account",)
        )
        == 0
    )
