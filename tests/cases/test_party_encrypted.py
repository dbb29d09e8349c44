"""Issue 10, finding 5 / point 4 (cases): the party's names and the content of case
documents (the party's name and address) are encrypted at rest, bound to their row; the
pages still show them, a copied ciphertext fails and a broken value is an error cell."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection

from tests.conftest import login
from zeren.cases.models import Case, CaseDocument
from zeren.core.fields import UNDECRYPTABLE, seal_existing_rows
from zeren.core.models import SecurityEvent

pytestmark = pytest.mark.django_db

CASE_COLUMNS = (
    "organisation_name",
    "legal_representative",
    "service_recipient",
    "service_signature",
)


def _raw(table: str, pk: int, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return str(cursor.fetchone()[0])


def _set_raw(table: str, pk: int, column: str, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, pk])


@pytest.fixture
def clinic_case(decide_on_spot):
    return decide_on_spot(
        person=None,
        organisation_name="某某诊所",
        organisation_code="91130525MA0ABCDE1X",
        legal_representative="王五",
        signature="王五",
        amount=Decimal("1500"),
    )


@pytest.fixture
def person_case(decide_on_spot):
    return decide_on_spot()


def test_the_party_names_are_not_in_the_case_row(clinic_case):
    row = " ".join(_raw("cases_case", clinic_case.pk, c) for c in CASE_COLUMNS)
    assert "某某诊所" not in row and "王五" not in row
    assert all(_raw("cases_case", clinic_case.pk, c).startswith("sm4g2:") for c in CASE_COLUMNS)
    again = Case.objects.get(pk=clinic_case.pk)
    assert (again.organisation_name, again.legal_representative) == ("某某诊所", "王五")
    assert again.service_signature == "王五"


def test_the_party_name_and_address_are_not_in_the_document_row(person_case, party):
    doc = person_case.documents.get()
    raw = _raw("cases_casedocument", doc.pk, "data")
    assert raw.startswith("sm4g2:")
    assert party.name not in raw and party.address not in raw
    assert CaseDocument.objects.get(pk=doc.pk).data["party_name"] == party.name
    assert CaseDocument.objects.get(pk=doc.pk).data["party_address"] == party.address


def test_the_case_page_still_shows_the_party(clinic_case, officer1):
    page = login(officer1).get(f"/staff/cases/{clinic_case.pk}/").content.decode()
    assert "某某诊所" in page and "王五" in page


def test_a_second_fine_of_the_same_organisation_by_name_is_still_refused(decide_on_spot):
    from django.core.exceptions import ValidationError

    kwargs = {
        "person": None,
        "organisation_name": "某某诊所",
        "organisation_code": "",
        "legal_representative": "王五",
        "signature": "王五",
    }
    first = decide_on_spot(**kwargs)
    with pytest.raises(ValidationError, match=first.number):
        decide_on_spot(**kwargs)
    assert decide_on_spot(**{**kwargs, "organisation_name": "另一诊所"}).pk != first.pk


def test_a_ciphertext_copied_onto_another_case_fails(clinic_case, person_case, officer1):
    _set_raw(
        "cases_case",
        person_case.pk,
        "legal_representative",
        _raw("cases_case", clinic_case.pk, "legal_representative"),
    )
    copied = Case.objects.get(pk=person_case.pk)
    assert copied.legal_representative == UNDECRYPTABLE
    assert SecurityEvent.objects.filter(kind="decrypt_failed", object_id=str(person_case.pk))


def test_a_copied_document_content_is_an_error_cell_not_a_500(clinic_case, person_case, officer1):
    source = clinic_case.documents.get()
    target = person_case.documents.get()
    _set_raw("cases_casedocument", target.pk, "data", _raw("cases_casedocument", source.pk, "data"))
    assert CaseDocument.objects.get(pk=target.pk).data["party_name"] == UNDECRYPTABLE
    client = login(officer1)
    page = client.get(f"/staff/cases/{person_case.pk}/")
    assert page.status_code == 200
    download = client.get(f"/staff/cases/{person_case.pk}/documents/{target.sequence}.docx")
    assert download.status_code == 302
    assert "无法解密" in client.get(download.url).content.decode()
    event = SecurityEvent.objects.filter(kind="decrypt_failed").latest("pk")
    assert event.detail == {"field": "data", "model": "cases.CaseDocument"}


def test_the_data_migration_encrypts_what_was_plaintext_and_keeps_it(clinic_case, person_case):
    doc = person_case.documents.get()
    plain_doc = '{"party_name": "李四", "party_address": "某村1号"}'
    _set_raw("cases_casedocument", doc.pk, "data", plain_doc)
    for column, value in zip(CASE_COLUMNS, ("某诊所", "赵六", "前台", "赵六"), strict=True):
        _set_raw("cases_case", clinic_case.pk, column, value)
    _set_raw("cases_case", clinic_case.pk, "organisation_name_hash", "")

    assert (
        seal_existing_rows(
            Case,
            "cases.Case",
            text=CASE_COLUMNS,
            hashes={"organisation_name_hash": "organisation_name"},
        )
        == 1
    )
    assert seal_existing_rows(CaseDocument, "cases.CaseDocument", json_fields=("data",)) == 1
    assert "赵六" not in _raw("cases_case", clinic_case.pk, "legal_representative")
    assert "李四" not in _raw("cases_casedocument", doc.pk, "data")
    case = Case.objects.get(pk=clinic_case.pk)
    assert (case.organisation_name, case.legal_representative, case.service_recipient) == (
        "某诊所",
        "赵六",
        "前台",
    )
    assert Case.objects.filter(organisation_name_hash=case.organisation_name_hash).get() == case
    data = CaseDocument.objects.get(pk=doc.pk).data
    assert data == {"party_name": "李四", "party_address": "某村1号"}
    # a second run finds nothing left to do
    assert seal_existing_rows(Case, "cases.Case", text=CASE_COLUMNS) == 0
