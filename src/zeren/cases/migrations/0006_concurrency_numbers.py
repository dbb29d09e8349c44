"""Case and decision numbers come from core counters; the counters start from existing data."""

import re

from django.conf import settings
from django.db import migrations, models

AUTHORITY = "longyao-jsj"  # as cases.services.NUMBER_AUTHORITY
NUMBER = re.compile(r"^(?P<kind>.+)〔(?P<year>\d{4})〕(?P<n>\d+)号$")


def initialise_counters(apps, schema_editor) -> None:
    Case = apps.get_model("cases", "Case")
    Counter = apps.get_model("core", "Counter")
    highest: dict[tuple[str, int], int] = {}
    for number, decision_number in Case.objects.values_list("number", "decision_number"):
        for value in (number, decision_number):
            match = NUMBER.match(value or "")
            if match:
                key = (match["kind"], int(match["year"]))
                highest[key] = max(highest.get(key, 0), int(match["n"]))
    for (kind, year), last in highest.items():
        row, _ = Counter.objects.get_or_create(authority=AUTHORITY, kind=kind, year=year)
        if row.last < last:
            row.last = last
            row.save(update_fields=["last"])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_append_only_events_and_payments"),
        ("core", "0007_concurrency_counter"),
        ("org", "0001_initial"),
        ("people", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="case",
            constraint=models.UniqueConstraint(
                condition=models.Q(("decision_number", ""), _negated=True),
                fields=("decision_number",),
                name="decision_number_once",
            ),
        ),
        migrations.RunPython(initialise_counters, migrations.RunPython.noop),
    ]
