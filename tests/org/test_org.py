"""The organisation: the divisions tree, departments, sections, staff accounts, officers.

Expected figures come from the seed file (org/seed/longyao.json) and the county's division
codes (隆尧县 130525, its townships 130525xxx), not from the code under test.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from zeren.core.audit import acting_as
from zeren.core.roles import Role
from zeren.org.models import (
    Department,
    Division,
    EnforcementCertificate,
    Officer,
    Section,
    User,
)
from zeren.org.services import SEED_FILE, officer_certify, org_load_seed, user_create

pytestmark = pytest.mark.django_db

SEED = json.loads(SEED_FILE.read_text(encoding="utf-8"))


# -- divisions ---------------------------------------------------------------------------


def test_every_seed_division_is_loaded_under_its_parent():
    for row in SEED["divisions"]:
        division = Division.objects.get(code=row["code"])
        assert division.name == row["name"]
        assert division.level == row["level"]
        if row["parent"]:
            assert division.parent.code == row["parent"]
        else:
            assert division.parent is None


def test_path_lists_the_codes_from_the_root():
    township = Division.objects.get(code="130525100")
    chain = []
    node = township
    while node is not None:
        chain.append(node.code)
        node = node.parent
    assert township.path == "/" + "/".join(reversed(chain)) + "/"
    county = Division.objects.get(code="130525")
    assert township.is_within(county)
    assert not county.is_within(township)


def test_siblings_are_not_within_each_other():
    a = Division.objects.get(code="130525100")
    b = Division.objects.get(code="130525101")
    assert not a.is_within(b)
    assert not b.is_within(a)


def test_ancestor_at_finds_the_county_of_a_village(village_a):
    assert village_a.ancestor_at(Division.Level.COUNTY).code == "130525"
    assert village_a.ancestor_at(Division.Level.TOWNSHIP) == village_a.parent
    township = Division.objects.get(code="130525100")
    assert township.ancestor_at(Division.Level.VILLAGE) is None


def test_loading_the_seed_twice_creates_nothing_new():
    before = (Division.objects.count(), Department.objects.count(), Section.objects.count())
    created = org_load_seed()
    assert created == {"divisions": 0, "departments": 0, "sections": 0}
    assert (Division.objects.count(), Department.objects.count(), Section.objects.count()) == before


# -- departments and sections -----------------------------------------------------------


def test_departments_and_sections_match_the_seed():
    for row in SEED["departments"]:
        department = Department.objects.get(code=row["code"])
        assert department.kind == row["kind"]
        assert department.division.code == row["division"]
        assert list(department.sections.values_list("name", flat=True)) == row["sections"]


def test_a_county_has_one_department_per_short_name(bureau):
    with pytest.raises(IntegrityError), transaction.atomic(), acting_as("测试"):
        Department.objects.create(
            code="duplicate",
            name="重名部门",
            short_name=bureau.short_name,
            kind=Department.Kind.PARTNER,
            division=bureau.division,
        )


# -- staff accounts ---------------------------------------------------------------------


def test_user_create_refuses_a_section_of_another_department(bureau):
    health = Department.objects.get(code="longyao-wsj")
    section = bureau.sections.first()
    with pytest.raises(ValidationError) as caught:
        user_create(
            actor=None,
            username="wrong-section",
            password=None,
            name="甲",
            role=Role.SECTION,
            department=health,
            section=section,
        )
    assert "科室不属于所选部门" in str(caught.value)
    assert not User.objects.filter(username="wrong-section").exists()


@pytest.mark.parametrize(
    ("role", "kwargs", "message"),
    [
        (Role.TOWNSHIP, {}, "乡镇工作人员必须指定乡镇"),
        ("nobody", {}, "未知角色"),
    ],
)
def test_user_create_refuses_inconsistent_roles(bureau, role, kwargs, message):
    with pytest.raises(ValidationError) as caught:
        user_create(
            actor=None,
            username="inconsistent",
            password=None,
            name="乙",
            role=role,
            department=bureau,
            **kwargs,
        )
    assert message in str(caught.value)


def test_a_township_account_needs_a_township_not_a_village(bureau, village_a):
    with pytest.raises(ValidationError) as caught:
        user_create(
            actor=None,
            username="village-level",
            password=None,
            name="丙",
            role=Role.TOWNSHIP,
            department=bureau,
            township=village_a,
        )
    assert "所选区划不是乡镇" in str(caught.value)


def test_a_partner_account_belongs_to_a_partner_department(bureau):
    with pytest.raises(ValidationError) as caught:
        user_create(
            actor=None,
            username="fake-partner",
            password=None,
            name="丁",
            role=Role.PARTNER,
            department=bureau,
        )
    assert "协作部门用户必须属于协作部门" in str(caught.value)


def test_usernames_are_unique(staff_a, bureau):
    with pytest.raises(ValidationError) as caught:
        user_create(
            actor=None,
            username=staff_a.username,
            password=None,
            name="戊",
            role=Role.SECTION,
            department=bureau,
        )
    assert staff_a.username in str(caught.value)


def test_jurisdiction_is_the_township_else_the_department_county(staff_a, township_a, head):
    assert staff_a.jurisdiction == township_a
    assert head.jurisdiction.code == "130525"
    loose = User(username="no-department", role=Role.SECTION)
    assert loose.jurisdiction is None


# -- officers and enforcement certificates ----------------------------------------------


def test_certificate_validity_window(officer1):
    certificate = officer1.officer.certificates.get()
    day = certificate.valid_from
    assert certificate.is_valid_on(day)
    assert certificate.is_valid_on(certificate.valid_to)
    assert not certificate.is_valid_on(certificate.valid_to + dt.timedelta(days=1))
    assert not certificate.is_valid_on(certificate.valid_from - dt.timedelta(days=1))
    assert officer1.officer.certificate_on(day) == certificate
    assert officer1.officer.certificate_on(certificate.valid_to + dt.timedelta(days=1)) is None


def test_a_revoked_certificate_is_not_valid(officer1):
    certificate = officer1.officer.certificates.get()
    with acting_as("测试"):
        certificate.revoked_on = certificate.valid_from
        certificate.save()
    assert not certificate.is_valid_on(certificate.valid_from + dt.timedelta(days=1))
    assert officer1.officer.certificate_on(certificate.valid_from) is None


def test_a_renewal_adds_a_certificate_and_keeps_history(officer1, head):
    old = officer1.officer.certificates.get()
    new = officer_certify(
        actor=head,
        user=officer1,
        number="RENEWAL-0001",
        valid_from=old.valid_to + dt.timedelta(days=1),
        valid_to=old.valid_to + dt.timedelta(days=365 * 3),
    )
    assert Officer.objects.filter(user=officer1).count() == 1
    assert set(officer1.officer.certificates.all()) == {old, new}
    assert officer1.officer.certificate_on(new.valid_from) == new


def test_certificate_dates_must_be_in_order(section_staff, head):
    with pytest.raises(ValidationError) as caught:
        officer_certify(
            actor=head,
            user=section_staff,
            number="BACKWARDS-1",
            valid_from=dt.date(2026, 5, 1),
            valid_to=dt.date(2026, 4, 30),
        )
    assert "有效期止不能早于有效期起" in str(caught.value)
    assert not Officer.objects.filter(user=section_staff).exists()
    # The database refuses it too, whatever path writes the row.
    officer = Officer.objects.create(user=section_staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        EnforcementCertificate.objects.create(
            officer=officer,
            number="BACKWARDS-2",
            valid_from=dt.date(2026, 5, 1),
            valid_to=dt.date(2026, 4, 30),
        )


def test_certificate_numbers_are_unique(officer1, officer2, head):
    taken = officer1.officer.certificates.get().number
    with pytest.raises(ValidationError) as caught:
        officer_certify(
            actor=head,
            user=officer2,
            number=taken,
            valid_from=dt.date(2026, 1, 1),
            valid_to=dt.date(2028, 12, 31),
        )
    assert taken in str(caught.value)


@pytest.mark.django_db
def test_every_demo_account_signs_in_with_the_printed_demo_password():
    import random

    from django.contrib.auth import authenticate

    from zeren.core.audit import ChangeLog
    from zeren.demo import DEMO_PASSWORD
    from zeren.org import demo

    with acting_as("演示数据"):
        demo.load(random.Random(1), lambda message: None)
    accounts = User.objects.filter(
        username__in=["juzhang", "shenji", "gongan", "xiang01", "officer10"]
    )
    assert accounts.count() == 5
    for user in accounts:
        assert authenticate(username=user.username, password=DEMO_PASSWORD) == user
        assert authenticate(username=user.username, password="not-" + DEMO_PASSWORD) is None
    bulk = ChangeLog.objects.get(action=ChangeLog.Action.BULK, object_repr="演示账号设置演示密码")
    same_hash = User.objects.filter(password=accounts[0].password).count()
    assert same_hash > 30
    assert bulk.after == {"accounts": same_hash}
