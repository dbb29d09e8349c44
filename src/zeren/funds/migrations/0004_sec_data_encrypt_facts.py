"""Beneficiaries' eligibility facts (a child's death or disability: health facts, PIPL
Art. 28) encrypted at rest, bound to the row. A row key per beneficiary; existing facts are
encrypted here and bank accounts (bound to the column until now) re-encrypted bound to the
row. Irreversible: going back would put plaintext in the database again."""

import uuid

from django.db import migrations, models

import zeren.core.fields


def fill_row_keys(apps, schema_editor):
    from zeren.core.fields import fill_row_keys as fill

    fill(apps.get_model("funds", "Beneficiary"))


def encrypt(apps, schema_editor):
    from zeren.core.fields import seal_existing_rows

    seal_existing_rows(
        apps.get_model("funds", "Beneficiary"),
        "funds.Beneficiary",
        json_fields=("facts",),
        rebind=("bank_account",),
    )


class Migration(migrations.Migration):
    dependencies = [("funds", "0003_ledger_guards")]

    operations = [
        migrations.AddField(
            model_name="beneficiary",
            name="row_key",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(fill_row_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="beneficiary",
            name="row_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="beneficiary",
            name="facts",
            field=zeren.core.fields.EncryptedJSONField(
                blank=True, default=dict, verbose_name="资格条件"
            ),
        ),
        migrations.RunPython(encrypt),
    ]
