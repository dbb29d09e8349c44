"""One rule for "the townships this user sees", used by every page, form, filter and API."""

from __future__ import annotations

import pytest

from tests.conftest import login, make_user
from zeren.core.roles import Role
from zeren.core.scope import divisions_for, townships_for
from zeren.org.models import Division

pytestmark = pytest.mark.django_db

PERSONS = "/staff/persons/"
COUNTY_TOWNSHIPS = 12  # 隆尧县: the seed's townships (org/seed/longyao.json)


def test_bureau_staff_see_every_township_of_their_county(section_staff):
    codes = list(townships_for(section_staff).values_list("code", flat=True))
    assert len(codes) == COUNTY_TOWNSHIPS
    assert codes == sorted(codes)
    assert all(code.startswith("130525") for code in codes)


def test_township_staff_see_their_own_only(staff_a, township_a):
    assert list(townships_for(staff_a)) == [township_a]


def test_a_user_without_jurisdiction_sees_none():
    loose = make_user("loose", Role.SECTION)  # no department, no township
    assert loose.jurisdiction is None
    assert list(townships_for(loose)) == []


def test_the_system_and_superusers_see_all(admin_user):
    everything = Division.objects.filter(level=Division.Level.TOWNSHIP).count()
    assert townships_for(None).count() == everything
    admin_user.is_superuser = True
    assert townships_for(admin_user).count() == everything


def test_villages_too_when_asked(staff_a, township_a, village_a):
    both = divisions_for(staff_a, Division.Level.TOWNSHIP, Division.Level.VILLAGE)
    assert township_a in both and village_a in both
    assert all(d.path.startswith(township_a.path) for d in both)


def test_the_persons_filter_offers_no_township_to_a_user_without_jurisdiction(section_staff):
    # Before the one rule, this page offered every township to such a user.
    loose = make_user("loose2", Role.SECTION)
    everyone = login(section_staff).get(PERSONS)
    assert everyone.status_code == 200 and "魏家庄镇" in everyone.content.decode()
    nobody = login(loose).get(PERSONS)
    assert nobody.status_code == 200 and "魏家庄镇" not in nobody.content.decode()
