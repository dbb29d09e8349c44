"""Persons' personal data encrypted and bound to the row.

A row key per person; names and addresses (plaintext until now) encrypted, with a keyed
hash of the exact name for search; identity numbers and phones written before
(``sm4g1:``, no associated data) re-encrypted as ``sm4g2:`` bound to table, column and row.
Irreversible: going back would put plaintext in the database again.
"""

import uuid

from django.db import migrations, models

import zeren.core.fields

ENCRYPTED = ("id_number", "phone")
PLAIN = ("name", "address")


def fill_row_keys(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    for pk in Person.objects.filter(row_key__isnull=True).values_list("pk", flat=True):
        Person.objects.filter(pk=pk).update(row_key=uuid.uuid4())


def rebind(apps, schema_editor):
    from zeren.core import crypto
    from zeren.core.fields import Sealed

    Person = apps.get_model("people", "Person")
    table = "people.Person"
    rows = Person.objects.values_list("pk", "row_key", *ENCRYPTED, *PLAIN)
    for pk, row_key, *values in rows.iterator(chunk_size=2000):
        changes = {}
        for name, value in zip(ENCRYPTED + PLAIN, values, strict=True):
            value = str(value or "")
            if not value or value.startswith(crypto.PREFIX):
                continue
            if value.startswith(crypto.LEGACY_PREFIX):
                value = crypto.decrypt(value, legacy=True)
            if name == "name":
                changes["name_hash"] = crypto.blind_index(value)
            changes[name] = Sealed(crypto.encrypt(value, f"{table}.{name}:{row_key}"))
        if changes:
            Person.objects.filter(pk=pk).update(**changes)


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="person",
            name="row_key",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(fill_row_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="person",
            name="row_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="person",
            name="name",
            field=zeren.core.fields.EncryptedTextField(max_length=50, verbose_name="姓名"),
        ),
        migrations.AddField(
            model_name="person",
            name="name_hash",
            field=zeren.core.fields.BlindIndexField(
                blank=True, db_index=True, editable=False, max_length=64, source="name"
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="address",
            field=zeren.core.fields.EncryptedTextField(
                blank=True, default="", max_length=200, verbose_name="住址"
            ),
        ),
        migrations.RunPython(rebind),
    ]
