"""Alerts are append-only in the database; seed thresholds and example schemes (unconfirmed)."""

from django.db import migrations

from zeren.core.dbguards import append_only


def seed(apps, schema_editor):
    from zeren.statistics import seed as data

    Threshold = apps.get_model("statistics", "Threshold")
    Scheme = apps.get_model("statistics", "AssessmentScheme")
    Item = apps.get_model("statistics", "AssessmentItem")
    for row in data.THRESHOLDS:
        Threshold.objects.get_or_create(
            indicator=row["indicator"], effective_from=row["effective_from"], defaults=row
        )
    for year in (2025, 2026):
        head, items = data.scheme(year)
        scheme, created = Scheme.objects.get_or_create(year=year, defaults=head)
        if created:
            Item.objects.bulk_create([Item(scheme=scheme, **item) for item in items])


class Migration(migrations.Migration):
    dependencies = [("statistics", "0001_initial")]
    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        append_only("statistics_alert"),
    ]
