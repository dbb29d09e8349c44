"""What each role may do (the permission table, as behaviour)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

CASES = [
    # persona, permission, allowed
    ("staff_a", "people.view_person", True),
    ("staff_a", "people.reveal_person", True),
    ("staff_a", "catalogue.publish_listversion", False),
    ("head", "catalogue.publish_listversion", True),
    ("section_staff", "catalogue.change_listversion", True),
    ("partner", "people.view_person", True),
    ("partner", "people.reveal_person", False),
    ("partner", "people.add_person", False),
    ("auditor", "core.view_changelog", True),
    ("auditor", "people.reveal_person", False),
    ("auditor", "people.change_person", False),
    ("officer1", "people.add_person", False),
    ("admin_user", "org.change_division", True),
    ("admin_user", "core.change_changelog", False),
]


@pytest.mark.parametrize(("persona", "perm", "allowed"), CASES)
def test_role_permissions(request, persona, perm, allowed):
    user = request.getfixturevalue(persona)
    assert user.has_perm(perm) is allowed


def test_an_inactive_account_has_no_permissions(staff_a):
    staff_a.is_active = False
    staff_a.save()
    assert not staff_a.has_perm("people.view_person")
