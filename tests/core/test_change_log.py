"""Every create, update and delete of domain data is logged with who, when, before, after."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from tests.conftest import login
from tests.factories import person
from zeren.core import crypto
from zeren.core.models import AppendOnlyError, ChangeLog, SecurityEvent
from zeren.people.services import person_update

pytestmark = pytest.mark.django_db


def _log_for(obj):
    return ChangeLog.objects.filter(
        content_type__model=obj._meta.model_name, object_id=str(obj.pk)
    ).order_by("id")


def test_create_update_delete_are_logged_with_actor_and_before_after(staff_a, village_a):
    someone = person(actor=staff_a, division=village_a, name="张三")
    person_update(actor=staff_a, person=someone, address="新地址")
    pk = someone.pk
    someone.delete()  # outside any actor context: attributed to the system
    rows = list(
        ChangeLog.objects.filter(content_type__model="person", object_id=str(pk)).order_by("id")
    )
    assert [r.action for r in rows] == ["create", "update", "delete"]
    created, updated, deleted = rows
    assert created.actor_name == "staff_a" and created.before is None
    # names and addresses are encrypted personal data: the log keeps a keyed fingerprint only
    fingerprint = f"●{crypto.blind_index('张三')[:8]}"
    assert created.after["name"] == fingerprint
    assert updated.before["address"] != updated.after["address"]
    assert "新地址" not in str(updated.after) and "某村1号" not in str(updated.before)
    assert updated.changed_fields == ["address"]
    assert deleted.after is None and deleted.before["name"] == fingerprint


def test_a_save_without_changes_writes_no_row(staff_a, village_a):
    someone = person(actor=staff_a, division=village_a)
    before = _log_for(someone).count()
    person_update(actor=staff_a, person=someone)
    assert _log_for(someone).count() == before


def test_a_rolled_back_change_leaves_no_log_row(staff_a, village_a):
    someone = person(actor=staff_a, division=village_a)
    count = ChangeLog.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        person_update(actor=staff_a, person=someone, address="不会保存")
        raise RuntimeError
    assert ChangeLog.objects.count() == count


def test_requests_carry_the_user_and_a_request_id(staff_a, village_a):
    response = login(staff_a).post(
        "/api/persons/",
        {"name": "赵六", "id_number": "130525199001010038", "division": village_a.code},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    row = ChangeLog.objects.filter(content_type__model="person").latest("id")
    assert row.actor_name == "staff_a" and row.request_id == response["X-Request-ID"]


def test_log_rows_cannot_be_changed_or_deleted_by_code(staff_a, village_a):
    person(actor=staff_a, division=village_a)
    row = ChangeLog.objects.latest("id")
    row.object_repr = "篡改"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()


@pytest.mark.parametrize("table", ["core_changelog", "core_securityevent"])
def test_the_database_refuses_updates_and_deletes_of_log_rows(table, staff_a, village_a):
    person(actor=staff_a, division=village_a)
    SecurityEvent.objects.create(kind="export", username="x")
    for statement in (f"UPDATE {table} SET object_id = 'x'", f"DELETE FROM {table}"):
        with (
            pytest.raises((DatabaseError, IntegrityError)),
            transaction.atomic(),
            connection.cursor() as c,
        ):
            c.execute(statement)


def test_queryset_bulk_delete_of_the_log_is_refused(staff_a, village_a):
    person(actor=staff_a, division=village_a)
    with pytest.raises((DatabaseError, IntegrityError)), transaction.atomic():
        ChangeLog.objects.all().delete()
    assert ChangeLog.objects.exists()


def test_only_the_auditor_reads_the_logs(auditor, staff_a, head):
    assert login(auditor).get("/staff/audit/changes/").status_code == 200
    assert login(auditor).get("/staff/audit/security/").status_code == 200
    for user in (staff_a, head):
        assert login(user).get("/staff/audit/changes/").status_code == 403


def test_nobody_can_write_logs_through_the_admin(admin_user):
    client = login(admin_user)
    assert client.get("/admin/core/changelog/").status_code == 200
    assert client.get("/admin/core/changelog/add/").status_code == 403
    assert not admin_user.has_perm("core.change_changelog")
    assert not admin_user.has_perm("core.delete_securityevent")
