"""Registering, issuing, reissuing, revoking and expiring free certificates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.certificates.conftest import register
from tests.factories import person
from zeren.certificates.models import Certificate, CertificateEvent
from zeren.certificates.rules import NOT_FOUND, Status
from zeren.certificates.services import (
    certificate_issue,
    certificate_reissue,
    certificate_revoke,
    certificate_verify,
    certificates_expire,
    find_holder,
)
from zeren.core.models import AppendOnlyError


def test_the_three_types_are_services_10_to_12_free_of_charge(types):
    assert {t.service_number: t.name for t in types.values()} == {
        10: "流动人口婚育证明",
        11: "第一个子女生育登记卡",
        12: "独生子女父母光荣证",
    }
    for t in types.values():
        assert t.fee == 0 and "免费" in t.fee_statement
        assert t.section_name == "审批服务股" and t.phone == "6690357"
    assert types["migrant"].validity_years == 3 and not types["migrant"].validity_confirmed
    assert types["migrant"].validity_label == "3年（未核实）"
    assert types["only_child"].validity_years is None
    assert types["first_child"].validity_years is None


def test_issue_gives_number_date_issuer_and_zero_fee(honour, section_staff):
    assert honour.number == "隆光荣〔2026〕00001"
    assert honour.status == Status.VALID
    assert honour.issued_on == dt.date(2026, 3, 2)
    assert honour.issued_by == section_staff
    assert honour.fee == Decimal("0")
    assert honour.expires_on is None
    assert [e.kind for e in honour.events.all()] == ["apply", "issue"]


def test_numbers_run_per_type_and_year_without_gaps(types, staff_a, section_staff, village_a):
    got = []
    # Issue dates are facts (not after today), so the years run 2025 -> 2026.
    for i, on in enumerate([dt.date(2025, 5, 1), dt.date(2025, 6, 1), dt.date(2026, 1, 4)]):
        p = person(actor=staff_a, division=village_a, name=f"流出{i}")
        cert = register(staff_a, types["migrant"], p, on=on)
        got.append(certificate_issue(actor=section_staff, certificate=cert, on=on).number)
    assert got == ["隆婚育〔2025〕00001", "隆婚育〔2025〕00002", "隆婚育〔2026〕00001"]


def test_a_refused_issue_takes_no_number(types, staff_a, section_staff, husband):
    cert = register(staff_a, types["migrant"], husband, on=dt.date(2026, 5, 1))
    with pytest.raises(ValidationError, match="不能早于受理日期"):
        certificate_issue(actor=section_staff, certificate=cert, on=dt.date(2026, 4, 1))
    done = certificate_issue(actor=section_staff, certificate=cert, on=dt.date(2026, 5, 2))
    assert done.number == "隆婚育〔2026〕00001"


def test_migration_certificate_expires_after_its_configured_years(
    types, staff_a, section_staff, husband
):
    cert = register(staff_a, types["migrant"], husband, on=dt.date(2026, 3, 1))
    cert = certificate_issue(actor=section_staff, certificate=cert, on=dt.date(2026, 3, 1))
    assert cert.expires_on == dt.date(2029, 2, 28)
    assert certificates_expire(actor="定时任务", on=dt.date(2029, 2, 28)) == 0
    assert certificates_expire(actor="定时任务", on=dt.date(2029, 3, 1)) == 1
    assert certificates_expire(actor="定时任务", on=dt.date(2029, 3, 2)) == 0  # claimed once
    cert.refresh_from_db()
    assert cert.status == Status.EXPIRED
    assert cert.events.last().kind == "expire"


def test_a_second_honour_certificate_for_the_same_couple_is_refused(honour, types, staff_a):
    with pytest.raises(ValidationError, match="不能重复办理"):
        # The same couple, the other way round.
        register(staff_a, types["only_child"], honour.spouse, honour.holder)


def test_a_second_first_child_card_for_the_same_couple_is_refused(
    types, staff_a, section_staff, husband, wife
):
    cert = register(staff_a, types["first_child"], husband, wife)
    certificate_issue(actor=section_staff, certificate=cert)
    with pytest.raises(ValidationError, match="第一个子女已办理过"):
        register(staff_a, types["first_child"], wife, husband)


def test_after_revocation_the_couple_may_apply_again(honour, types, staff_a, head):
    certificate_revoke(actor=head, certificate=honour, ground="defective")
    again = register(staff_a, types["only_child"], honour.holder, honour.spouse)
    assert again.status == Status.APPLIED


def test_couple_certificates_need_a_spouse_and_person_ones_refuse_one(
    types, staff_a, husband, wife
):
    with pytest.raises(ValidationError, match="夫妻双方"):
        register(staff_a, types["only_child"], husband)
    with pytest.raises(ValidationError, match="本人持证"):
        register(staff_a, types["migrant"], husband, wife)
    with pytest.raises(ValidationError, match="同一人"):
        register(staff_a, types["only_child"], husband, husband)


def test_facts_of_the_type_are_required(types, staff_a, husband, wife):
    with pytest.raises(ValidationError, match="子女姓名"):
        register(staff_a, types["only_child"], husband, wife, facts={"marriage_date": "2015-1-1"})


@pytest.mark.parametrize(
    ("raw", "message"),
    [("130525199001011235", "身份证号无效"), ("12345", "身份证号无效"), ("", "身份证号无效")],
)
def test_invalid_id_numbers_are_refused(staff_a, raw, message):
    with pytest.raises(ValidationError, match=message):
        find_holder(actor=staff_a, field="holder", id_number=raw)


def test_a_holder_outside_the_users_scope_is_not_found(staff_a, outsider):
    with pytest.raises(ValidationError, match="不在您的管辖范围内"):
        find_holder(actor=staff_a, field="holder", id_number=outsider.id_number)


def test_registering_a_holder_of_another_township_is_refused(types, staff_a, outsider):
    with pytest.raises(PermissionDenied):
        register(staff_a, types["migrant"], outsider)


def test_township_staff_may_not_issue(types, staff_a, husband):
    cert = register(staff_a, types["migrant"], husband)
    with pytest.raises(PermissionDenied):
        certificate_issue(actor=staff_a, certificate=cert)


def test_reissue_gives_a_new_number_and_voids_the_old(honour, section_staff):
    new = certificate_reissue(
        actor=section_staff, certificate=honour, ground="lost", on=dt.date(2026, 4, 1)
    )
    honour.refresh_from_db()
    assert honour.status == Status.VOIDED
    assert new.number == "隆光荣〔2026〕00002" and new.replaces == honour
    assert new.status == Status.VALID and new.fee == 0
    assert honour.events.last().kind == "void"
    assert new.events.get().kind == "reissue"
    with pytest.raises(ValidationError, match="只有有效的证件可以补发"):
        certificate_reissue(actor=section_staff, certificate=honour, ground="lost")


def test_revoke_records_the_licensing_law_ground(honour, head):
    cert = certificate_revoke(actor=head, certificate=honour, ground="deception", note="伪造材料")
    event = cert.events.last()
    assert cert.status == Status.REVOKED
    assert event.kind == "revoke" and "第六十九条" in event.basis
    assert event.ground == "以欺骗等不正当手段取得：伪造材料"
    with pytest.raises(ValidationError, match="不能撤销"):
        certificate_revoke(actor=head, certificate=cert, ground="deception")


def test_events_are_append_only(honour):
    event = honour.events.first()
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


@pytest.mark.parametrize(
    ("number", "name", "expected"),
    [
        ("隆光荣〔2026〕00001", "王建国", Status.VALID),
        ("隆光荣〔2026〕00001", "李秀英", Status.VALID),
        ("隆光荣〔2026〕00001", "张三", NOT_FOUND),
        ("隆光荣〔2026〕99999", "王建国", NOT_FOUND),
        ("", "王建国", NOT_FOUND),
        # the brackets people type for the year are all the same 〔〕
        ("隆光荣[2026]00001", "王建国", Status.VALID),
        ("隆光荣(2026)00001", "王建国", Status.VALID),
        ("隆光荣（2026）00001", "王建国", Status.VALID),
        ("隆光荣【2026】00001", "王建国", Status.VALID),
        (" 隆光荣〔２０２６〕０００01 ", "王建国", Status.VALID),
        ("隆光荣[2026]99999", "王建国", NOT_FOUND),
    ],
)
def test_verify_answers_only_the_status(honour, number, name, expected):
    assert certificate_verify(number=number, name=name) == expected


def test_verify_tells_revoked_voided_and_expired(honour, head, section_staff, types, staff_a):
    new = certificate_reissue(actor=section_staff, certificate=honour, ground="damaged")
    assert certificate_verify(number=honour.number, name="王建国") == Status.VOIDED
    certificate_revoke(actor=head, certificate=new, ground="deception")
    assert certificate_verify(number=new.number, name="王建国") == Status.REVOKED
    migrant = register(staff_a, types["migrant"], honour.holder, on=dt.date(2026, 1, 5))
    migrant = certificate_issue(actor=section_staff, certificate=migrant, on=dt.date(2026, 1, 5))
    assert (
        certificate_verify(number=migrant.number, name="王建国", on=dt.date(2029, 1, 4)) == "valid"
    )
    assert certificate_verify(number=migrant.number, name="王建国", on=dt.date(2029, 1, 5)) == (
        Status.EXPIRED
    )


def test_an_applied_certificate_has_no_number_yet(types, staff_a, husband):
    cert = register(staff_a, types["migrant"], husband)
    assert cert.number is None
    assert Certificate.objects.filter(number__isnull=True).count() == 1
    assert CertificateEvent.objects.filter(certificate=cert).count() == 1


def test_the_migration_certificate_validity_is_configurable(types, staff_a, section_staff, husband):
    ctype = types["migrant"]
    ctype.validity_years = 2
    ctype.save()
    cert = register(staff_a, ctype, husband, on=dt.date(2026, 3, 1))
    cert = certificate_issue(actor=section_staff, certificate=cert, on=dt.date(2026, 3, 1))
    assert cert.expires_on == dt.date(2028, 2, 29)


@pytest.mark.parametrize(
    ("persona", "may_register", "may_issue", "may_view"),
    [
        ("staff_a", True, False, True),
        ("section_staff", True, True, True),
        ("head", True, True, True),
        ("auditor", False, False, True),
        ("officer1", False, False, False),
        ("partner", False, False, False),
    ],
)
def test_roles(request, persona, may_register, may_issue, may_view):
    user = request.getfixturevalue(persona)
    assert user.has_perm("certificates.add_certificate") is may_register
    assert user.has_perm("certificates.issue_certificate") is may_issue
    assert user.has_perm("certificates.revoke_certificate") is may_issue
    assert user.has_perm("certificates.reissue_certificate") is may_issue
    assert user.has_perm("certificates.view_certificate") is may_view


def test_the_database_refuses_to_change_or_delete_events(honour):
    from django.db import DatabaseError, transaction

    events = CertificateEvent.objects.filter(certificate=honour)
    with pytest.raises(DatabaseError), transaction.atomic():
        events.update(ground="改写")
    with pytest.raises(DatabaseError), transaction.atomic():
        events.delete()
    assert events.count() == 2
