"""Seed the three certificate types of public services 10-12 and make the history append-only."""

from django.db import migrations

from zeren.core.dbguards import append_only

SOURCE = "隆尧县计生局责任清单 公共服务事项"
TYPES = [
    {
        "code": "migrant",
        "name": "流动人口婚育证明",
        "service_number": 10,
        "number_prefix": "隆婚育",
        "holder_kind": "person",
        "validity_years": 3,
        "validity_confirmed": False,
        "validity_source": "流动人口计划生育工作管理办法（1998）规定有效期三年；现行条例未定，未核实",
        "one_per_couple": False,
        "facts": [
            {"key": "marital_status", "label": "婚姻状况"},
            {"key": "children", "label": "现有子女数"},
            {"key": "destination", "label": "流入地"},
        ],
        "source": f"{SOURCE} 10：免费为流出人口办理流动人口婚育证明",
    },
    {
        "code": "first_child",
        "name": "第一个子女生育登记卡",
        "service_number": 11,
        "number_prefix": "隆生登",
        "holder_kind": "couple",
        "validity_years": None,
        "validity_confirmed": True,
        "validity_source": "",
        "one_per_couple": True,
        "facts": [
            {"key": "marriage_date", "label": "结婚登记日期"},
            {"key": "expected_birth", "label": "预产期或子女出生日期"},
        ],
        "source": f"{SOURCE} 11：免费办理《第一个子女生育登记卡》",
    },
    {
        "code": "only_child",
        "name": "独生子女父母光荣证",
        "service_number": 12,
        "number_prefix": "隆光荣",
        "holder_kind": "couple",
        "validity_years": None,
        "validity_confirmed": True,
        "validity_source": "",
        "one_per_couple": True,
        "facts": [
            {"key": "marriage_date", "label": "结婚登记日期"},
            {"key": "child_name", "label": "子女姓名"},
            {"key": "child_birth_date", "label": "子女出生日期"},
        ],
        "source": f"{SOURCE} 12：免费办理《独生子女父母光荣证》",
    },
]


def seed(apps, schema_editor) -> None:
    CertificateType = apps.get_model("certificates", "CertificateType")
    for row in TYPES:
        CertificateType.objects.update_or_create(
            code=row["code"],
            defaults={
                **row,
                "section_name": "审批服务股",
                "phone": "6690357",
                "fee": 0,
                "fee_statement": "免费办理，不收取任何费用",
            },
        )


class Migration(migrations.Migration):
    dependencies = [("certificates", "0001_initial")]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        append_only("certificates_certificateevent"),
    ]
