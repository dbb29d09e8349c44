"""Add the rule for reporting a decision on the spot to the bureau (备案) to the 2021 set."""

import json
from pathlib import Path

from django.db import migrations

SEED = Path(__file__).resolve().parent.parent / "seed"
KEYS = {"summary_report"}


def load(apps, schema_editor):
    RuleSet = apps.get_model("cases", "RuleSet")
    Rule = apps.get_model("cases", "Rule")
    data = json.loads((SEED / "rulesets.json").read_text(encoding="utf-8"))
    for rs in data["rule_sets"]:
        rule_set = RuleSet.objects.filter(code=rs["code"]).first()
        if rule_set is None:
            continue
        for r in rs["rules"]:
            if r["key"] not in KEYS:
                continue
            Rule.objects.get_or_create(
                rule_set=rule_set,
                key=r["key"],
                defaults={
                    "label": r["label"],
                    "value": r["value"],
                    "unit": r["unit"],
                    "roll_forward": r.get("roll_forward", False),
                    "source": r["source"],
                    "confirmed": r.get("confirmed", True),
                },
            )


def unload(apps, schema_editor):
    apps.get_model("cases", "Rule").objects.filter(key__in=KEYS).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_summary_procedure")]
    operations = [migrations.RunPython(load, unload)]
