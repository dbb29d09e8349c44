"""The renames and the move to one inbox keep the data (PostgreSQL: DDL inside the test's
transaction, rolled back afterwards; SQLite cannot alter tables inside one)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="DDL in a transaction"),
]

BEFORE = [
    ("org", "0003_merge_wave2"),
    ("core", "0009_wave2_choices"),
    ("supervision", "0005_link_supervision_regime_to_list_regime"),
    # Not further back: the party fields' encryption (cases 0009) is irreversible by design.
    ("cases", "0009_sec_data_encrypt_party"),
]
AFTER = [
    ("org", "0004_rename_certificate_to_enforcementcertificate"),
    ("core", "0010_notification_inbox"),
    ("supervision", "0006_notices_move_to_core_inbox"),
    ("cases", "0010_merge_inbox_and_encrypted_party"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_certificates_and_notices_survive_the_migrations(officer1, township_a):
    from zeren.org.models import EnforcementCertificate

    numbers = set(EnforcementCertificate.objects.values_list("number", flat=True))
    assert numbers
    old = _migrate(BEFORE)
    assert set(old.get_model("org", "Certificate").objects.values_list("number", flat=True)) == (
        numbers
    )
    Notice = old.get_model("supervision", "Notice")
    for kind, key in [("bulletin", "b1"), ("task", "t1"), ("draw_failed", "d1")]:
        Notice.objects.create(
            kind=kind,
            division_id=township_a.pk,
            period="2026-02",
            title=f"通知 {key}",
            body="正文",
            document=b"xlsx" if kind == "bulletin" else None,
            document_name="通报.xlsx" if kind == "bulletin" else "",
            dedupe_key=key,
        )
    with connection.cursor() as cursor:  # the rows' deferred checks, before the table moves
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    new = _migrate(AFTER)
    assert (
        set(new.get_model("org", "EnforcementCertificate").objects.values_list("number", flat=True))
        == numbers
    )
    moved = {n.dedupe_key: n for n in new.get_model("core", "Notification").objects.all()}
    assert {k: moved[k].kind for k in ("b1", "t1", "d1")} == {
        "b1": "bulletin",
        "t1": "reminder",
        "d1": "alert",
    }
    assert bytes(moved["b1"].document) == b"xlsx" and moved["b1"].document_name == "通报.xlsx"
    assert moved["t1"].division_id == township_a.pk and "2026-02" in moved["t1"].body
    assert moved["t1"].created_at.date() <= dt.date.today()
