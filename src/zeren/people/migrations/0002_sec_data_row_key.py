"""Bind persons' encrypted values to their row: a row key, then re-encryption of every value.

Values written before this migration (``sm4g1:``, no associated data) are decrypted and
written again as ``sm4g2:`` bound to table, column and row key. Irreversible: going back
would need the unbound format again.
"""

import uuid

from django.db import migrations, models

ENCRYPTED = ("id_number", "phone")


def fill_row_keys(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    for pk in Person.objects.filter(row_key__isnull=True).values_list("pk", flat=True):
        Person.objects.filter(pk=pk).update(row_key=uuid.uuid4())


def rebind(apps, schema_editor):
    from zeren.core import crypto
    from zeren.core.fields import Sealed

    Person = apps.get_model("people", "Person")
    table = "people.Person"
    rows = Person.objects.values_list("pk", "row_key", *ENCRYPTED)
    for pk, row_key, *tokens in rows.iterator(chunk_size=2000):
        changes = {}
        for name, token in zip(ENCRYPTED, tokens, strict=True):
            if token and str(token).startswith(crypto.LEGACY_PREFIX):
                plain = crypto.decrypt(str(token), legacy=True)
                aad = f"{table}.{name}:{row_key}"
                changes[name] = Sealed(crypto.encrypt(plain, aad))
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
        migrations.RunPython(rebind),
    ]
