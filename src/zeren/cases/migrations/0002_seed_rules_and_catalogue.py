"""Load the two rule sets and the discretion catalogue from the seed files (idempotent)."""

import json
from pathlib import Path

from django.db import migrations

SEED = Path(__file__).resolve().parent.parent / "seed"


def load(apps, schema_editor):
    RuleSet = apps.get_model("cases", "RuleSet")
    Rule = apps.get_model("cases", "Rule")
    Violation = apps.get_model("cases", "Violation")
    DiscretionGrade = apps.get_model("cases", "DiscretionGrade")
    rules = json.loads((SEED / "rulesets.json").read_text(encoding="utf-8"))
    for rs in rules["rule_sets"]:
        rule_set, _ = RuleSet.objects.get_or_create(
            code=rs["code"],
            defaults={
                "name": rs["name"],
                "effective_from": rs["effective_from"],
                "source": rs["source"],
                "note": rs.get("note", ""),
            },
        )
        for r in rs["rules"]:
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
    catalogue = json.loads((SEED / "violations.json").read_text(encoding="utf-8"))
    for v in catalogue["violations"]:
        violation, made = Violation.objects.get_or_create(
            code=v["code"],
            defaults={
                k: v[k]
                for k in (
                    "name",
                    "kind",
                    "basis",
                    "legal_basis",
                    "legal_min",
                    "legal_max",
                    "min_multiple",
                    "max_multiple",
                    "gains_threshold",
                    "source",
                    "confirmed",
                )
            },
        )
        if made:
            for grade, g in catalogue["grades"].items():
                DiscretionGrade.objects.create(
                    violation=violation,
                    grade=grade,
                    low=g["low"],
                    high=g["high"],
                    factors=g["factors"],
                )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
