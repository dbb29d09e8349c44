"""Load the default rate tables, rules, payment frequencies and verification modes."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

from zeren.funds import reference


def _date(value):
    return dt.date.fromisoformat(value) if value else None


def load(apps, schema_editor):
    Rate = apps.get_model("funds", "Rate")
    EntitlementRule = apps.get_model("funds", "EntitlementRule")
    PaymentPlan = apps.get_model("funds", "PaymentPlan")
    CampaignKind = apps.get_model("funds", "CampaignKind")
    DeductionRule = apps.get_model("funds", "DeductionRule")
    for row in reference.RATES:
        Rate.objects.get_or_create(
            kind=row["kind"],
            residence=row["residence"],
            level="national",
            valid_from=_date(row["valid_from"]),
            defaults={
                "amount": Decimal(row["amount"]),
                "unit": row["unit"],
                "valid_to": _date(row["valid_to"]),
                "source": row["source"],
            },
        )
    for row in reference.ENTITLEMENT_RULES:
        EntitlementRule.objects.get_or_create(
            reason=row["reason"],
            valid_from=dt.date(2004, 1, 1),
            defaults={
                "mode": row["mode"],
                "source": row["source"],
                "unconfirmed": row["unconfirmed"],
            },
        )
    for row in reference.PAYMENT_PLANS:
        PaymentPlan.objects.get_or_create(
            program=row["program"],
            valid_from=dt.date(2004, 1, 1),
            defaults={"frequency": row["frequency"], "source": row["source"]},
        )
    for row in reference.CAMPAIGN_KINDS:
        CampaignKind.objects.get_or_create(
            code=row["code"],
            defaults={
                **{k: v for k, v in row.items() if k not in ("code", "coverage")},
                "coverage": Decimal(row["coverage"]),
            },
        )
    for row in reference.DEDUCTION_RULES:
        DeductionRule.objects.get_or_create(
            outcome=row["outcome"],
            defaults={"points": Decimal(row["points"]), "source": reference.DEDUCTION_SOURCE},
        )


class Migration(migrations.Migration):
    dependencies = [("funds", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
