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


def test_zeren_roles_prints_the_table_in_force(capsys):
    import json

    from zeren.cli import main

    assert main(["roles", "--format", "json"]) == 0
    table = json.loads(capsys.readouterr().out)
    assert table["people"]["reveal_person"] == ["head", "section", "township", "officer"]
    assert "auditor" in table["core"]["view_changelog"]
    assert main(["roles"]) == 0
    assert "| `publish_listversion` |" in capsys.readouterr().out
