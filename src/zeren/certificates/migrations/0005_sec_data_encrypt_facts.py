"""What certificates record (a child's death or disability: health facts, PIPL Art. 28)
encrypted at rest, bound to the row. A row key per certificate; existing facts are
encrypted here. Irreversible: going back would put plaintext in the database again."""

import uuid

from django.db import migrations, models

import zeren.core.fields


def fill_row_keys(apps, schema_editor):
    from zeren.core.fields import fill_row_keys as fill

    fill(apps.get_model("certificates", "Certificate"))


def encrypt(apps, schema_editor):
    from zeren.core.fields import seal_existing_rows

    seal_existing_rows(
        apps.get_model("certificates", "Certificate"),
        "certificates.Certificate",
        json_fields=("facts",),
    )


class Migration(migrations.Migration):
    dependencies = [("certificates", "0004_merge_wave2")]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="row_key",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(fill_row_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="certificate",
            name="row_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="certificate",
            name="facts",
            field=zeren.core.fields.EncryptedJSONField(
                blank=True, default=dict, verbose_name="记载事项"
            ),
        ),
        migrations.RunPython(encrypt),
    ]
