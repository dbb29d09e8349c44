"""The actor checks every service shares."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from zeren.core.permissions import check_division, is_user, require

pytestmark = pytest.mark.django_db


def test_the_system_acts_without_checks(township_b):
    require(None, "people.add_person")
    require("命令行", "people.add_person")
    check_division(None, township_b)
    assert not is_user(None) and not is_user("命令行")


def test_a_user_needs_the_permission(staff_a):
    require(staff_a, "people.add_person")
    with pytest.raises(PermissionDenied, match="无权登记"):
        require(staff_a, "catalogue.publish_listversion", "无权登记")


def test_a_user_acts_only_inside_the_jurisdiction(staff_a, township_a, township_b, head):
    check_division(staff_a, township_a)
    check_division(head, township_b)  # the bureau's county holds every township
    with pytest.raises(PermissionDenied, match="魏家庄镇不在您的管辖范围内"):
        check_division(staff_a, township_b)


def test_an_object_outside_the_scope_is_refused(staff_a, staff_b, village_b):
    from tests.factories import person

    someone = person(actor=staff_b, division=village_b)
    with pytest.raises(PermissionDenied, match="不在您的管辖范围内"):
        require(staff_a, "people.view_person", obj=someone)
