"""Hash chain over the change log and the security log; the change log's client address;
the logs' retention (rows younger than 184 days cannot be deleted, older ones only by
``zeren audit archive``).

Irreversible on purpose: reversing ``core`` (``migrate core zero``) would drop the triggers
that keep the logs append-only, so it stops here with an error instead.
"""

import django.utils.timezone
from django.db import migrations, models

from zeren.core.dbguards import create_guards, drop_guards

LOGS = {"core.ChangeLog": "core_changelog", "core.SecurityEvent": "core_securityevent"}
CHAIN_FIELDS = {
    "core.ChangeLog": (
        "seq", "prev_hash", "time", "actor_id", "actor_name", "request_id", "ip", "action",
        "content_type_id", "object_id", "object_repr", "before", "after",
    ),
    "core.SecurityEvent": (
        "seq", "prev_hash", "time", "kind", "actor_id", "username", "ip", "path",
        "request_id", "object_type", "object_id", "detail",
    ),
}  # fmt: skip

RETENTION_DAYS = 184

_PG_GUARD = f"""
CREATE OR REPLACE FUNCTION zeren_log_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE'
     AND OLD.time < now() - interval '{RETENTION_DAYS} days'
     AND coalesce(current_setting('zeren.archiving', true), '') = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION '% is append-only (rows younger than {RETENTION_DAYS} days are kept)',
    TG_TABLE_NAME;
END; $$ LANGUAGE plpgsql;
"""


def chain_existing(apps, schema_editor):
    from zeren.core import crypto
    from zeren.core.models import chain_payload

    vendor = schema_editor.connection.vendor
    LogChain = apps.get_model("core", "LogChain")
    for label, table in LOGS.items():
        model = apps.get_model(label)
        drop_guards(schema_editor, table)
        seq, last = 0, ""
        for row in model.objects.order_by("time", "id").iterator(chunk_size=2000):
            seq += 1
            row.seq, row.prev_hash = seq, last
            row.row_hash = crypto.audit_mac(chain_payload(row, CHAIN_FIELDS[label]))
            model.objects.filter(pk=row.pk).update(
                seq=row.seq, prev_hash=row.prev_hash, row_hash=row.row_hash
            )
            last = row.row_hash
        LogChain.objects.update_or_create(name=label, defaults={"seq": seq, "last_hash": last})
        if vendor == "postgresql":
            create_guards(schema_editor, table)
            # replace the row trigger by one that lets ``audit archive`` remove old rows
            schema_editor.execute(_PG_GUARD, None)
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION zeren_log_guard();"
            )
        elif vendor == "sqlite":
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;"
            )
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                f"WHEN OLD.time >= datetime('now', '-{RETENTION_DAYS} days') "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;"
            )


def refuse(apps, schema_editor):
    raise RuntimeError(
        "审计日志的防篡改迁移不可回退：回退会删除日志的只追加触发器。"
        "如确需重建数据库，请删除数据库后重新执行 zeren init。"
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0006_share_is_audited")]

    operations = [
        migrations.CreateModel(
            name="LogChain",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=50, unique=True, verbose_name="日志")),
                ("seq", models.BigIntegerField(default=0, verbose_name="最后序号")),
                (
                    "last_hash",
                    models.CharField(blank=True, max_length=64, verbose_name="最后校验值"),
                ),
                ("base_seq", models.BigIntegerField(default=0, verbose_name="起始序号")),
                (
                    "base_hash",
                    models.CharField(blank=True, max_length=64, verbose_name="起始校验值"),
                ),
            ],
            options={"verbose_name": "日志校验链", "verbose_name_plural": "日志校验链"},
        ),
        migrations.CreateModel(
            name="KeyFingerprint",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=20, unique=True, verbose_name="密钥")),
                ("fingerprint", models.CharField(max_length=64, verbose_name="指纹")),
                (
                    "recorded_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="记录时间"
                    ),
                ),
            ],
            options={"verbose_name": "密钥指纹", "verbose_name_plural": "密钥指纹"},
        ),
        migrations.AddField(
            model_name="changelog",
            name="ip",
            field=models.GenericIPAddressField(blank=True, null=True, verbose_name="IP 地址"),
        ),
        *[
            op
            for model in ("changelog", "securityevent")
            for op in (
                migrations.AddField(
                    model_name=model,
                    name="seq",
                    field=models.BigIntegerField(
                        blank=True, editable=False, null=True, unique=True, verbose_name="链序号"
                    ),
                ),
                migrations.AddField(
                    model_name=model,
                    name="prev_hash",
                    field=models.CharField(
                        blank=True, editable=False, max_length=64, verbose_name="前一条校验值"
                    ),
                ),
                migrations.AddField(
                    model_name=model,
                    name="row_hash",
                    field=models.CharField(
                        blank=True, editable=False, max_length=64, verbose_name="校验值"
                    ),
                ),
            )
        ],
        migrations.AlterField(
            model_name="securityevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("login", "登录"),
                    ("logout", "退出"),
                    ("login_failed", "登录失败"),
                    ("denied", "越权访问"),
                    ("reveal", "查看敏感信息"),
                    ("export", "导出"),
                    ("view", "查看个人信息"),
                    ("search", "查询个人信息"),
                    ("decrypt_failed", "无法解密"),
                ],
                db_index=True,
                max_length=20,
                verbose_name="类型",
            ),
        ),
        migrations.RunPython(chain_existing, refuse),
    ]
