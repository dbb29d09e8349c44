"""The default event → work item mapping (data the administrator may edit afterwards)."""

from django.db import migrations

# Frozen copy of zeren.ledger.seed.EVENT_MAPPINGS as of this migration.
EVENT_MAPPINGS = [
    ("supervision.plan_drawn", "监管随机抽查计划已抽取", 2, 2, "inspection"),
    ("supervision.task_result", "监管检查任务已录入结果", 2, 2, "inspection"),
    ("cases.case_closed", "执法案件已结案", 3, 2, "case"),
    ("funds.campaign_closed", "扶助对象核查活动已结束", 3, 3, "inspection"),
    ("funds.verification_recorded", "扶助对象核查结果已录入", 3, 3, "inspection"),
    ("certificates.certificate_issued", "计划生育证明已发证", 9, 2, "service"),
    ("statistics.alert_raised", "出生人口性别比等指标预警", 5, 2, "statistics"),
    ("statistics.alert_raised", "出生人口性别比等指标预警", 3, 4, "statistics"),
    ("statistics.births_imported", "出生登记已导入", 5, 4, "statistics"),
    ("statistics.births_imported", "出生登记已导入", 5, 1, "statistics"),
]


def load(apps, schema_editor):
    EventMapping = apps.get_model("ledger", "EventMapping")
    for key, label, duty, order, kind in EVENT_MAPPINGS:
        EventMapping.objects.get_or_create(
            event_key=key,
            duty_number=duty,
            item_order=order,
            defaults={"label": label, "kind": kind},
        )


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_ledger_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
