"""Health facts of licences (conditions, the hospital of a termination) encrypted at rest,
bound to the row. Existing plaintext is encrypted here. Irreversible (it would put plaintext
back)."""

import uuid

from django.db import migrations, models

import zeren.core.fields

FACTS = ("conditions", "hospital")


def fill_row_keys(apps, schema_editor):
    Permit = apps.get_model("permits", "Permit")
    for pk in Permit.objects.filter(row_key__isnull=True).values_list("pk", flat=True):
        Permit.objects.filter(pk=pk).update(row_key=uuid.uuid4())


def encrypt(apps, schema_editor):
    from zeren.core import crypto
    from zeren.core.fields import Sealed

    Permit = apps.get_model("permits", "Permit")
    rows = Permit.objects.values_list("pk", "row_key", *FACTS)
    for pk, row_key, *values in rows.iterator(chunk_size=2000):
        changes = {}
        for name, value in zip(FACTS, values, strict=True):
            value = str(value or "")
            if value and not value.startswith(crypto.PREFIX):
                aad = f"permits.Permit.{name}:{row_key}"
                changes[name] = Sealed(crypto.encrypt(value, aad))
        if changes:
            Permit.objects.filter(pk=pk).update(**changes)


class Migration(migrations.Migration):
    dependencies = [("permits", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="permit",
            name="row_key",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(fill_row_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="permit",
            name="row_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="permit",
            name="conditions",
            field=zeren.core.fields.EncryptedTextField(
                blank=True, default="", verbose_name="批准条件"
            ),
        ),
        migrations.AlterField(
            model_name="permit",
            name="hospital",
            field=zeren.core.fields.EncryptedTextField(
                blank=True, default="", max_length=100, verbose_name="实施手术的医疗机构"
            ),
        ),
        migrations.RunPython(encrypt),
    ]
