"""The party's names in cases encrypted at rest, bound to the row: the organisation's name
(with a keyed hash of the exact name, to find an earlier fine of the same party), the legal
representative, the person who signed for service and the signature; and the content of
case documents (the party's name and address). A row key per case and per document;
existing values are encrypted here. Irreversible: going back would put plaintext in the
database again."""

import uuid

from django.db import migrations, models

import zeren.core.fields

CASE_TEXT = ("organisation_name", "legal_representative", "service_recipient", "service_signature")


def fill_row_keys(apps, schema_editor):
    from zeren.core.fields import fill_row_keys as fill

    fill(apps.get_model("cases", "Case"))
    fill(apps.get_model("cases", "CaseDocument"))


def encrypt(apps, schema_editor):
    from zeren.core.fields import seal_existing_rows

    seal_existing_rows(
        apps.get_model("cases", "Case"),
        "cases.Case",
        text=CASE_TEXT,
        hashes={"organisation_name_hash": "organisation_name"},
    )
    seal_existing_rows(
        apps.get_model("cases", "CaseDocument"), "cases.CaseDocument", json_fields=("data",)
    )


def encrypted(verbose_name, max_length):
    return zeren.core.fields.EncryptedTextField(
        blank=True, default="", max_length=max_length, verbose_name=verbose_name
    )


class Migration(migrations.Migration):
    dependencies = [("cases", "0008_merge_wave2")]

    operations = [
        migrations.AddField(
            model_name="case",
            name="row_key",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.AddField(
            model_name="casedocument",
            name="row_key",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(fill_row_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="case",
            name="row_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="casedocument",
            name="row_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AddField(
            model_name="case",
            name="organisation_name_hash",
            field=zeren.core.fields.BlindIndexField(
                blank=True, db_index=True, editable=False, max_length=64, source="organisation_name"
            ),
        ),
        migrations.AlterField(
            model_name="case", name="organisation_name", field=encrypted("单位名称", 100)
        ),
        migrations.AlterField(
            model_name="case", name="legal_representative", field=encrypted("法定代表人", 50)
        ),
        migrations.AlterField(
            model_name="case", name="service_recipient", field=encrypted("受送达人/签收人", 50)
        ),
        migrations.AlterField(
            model_name="case", name="service_signature", field=encrypted("签收人签名", 50)
        ),
        migrations.AlterField(
            model_name="casedocument",
            name="data",
            field=zeren.core.fields.EncryptedJSONField(
                blank=True, default=dict, verbose_name="内容"
            ),
        ),
        migrations.RunPython(encrypt),
    ]
