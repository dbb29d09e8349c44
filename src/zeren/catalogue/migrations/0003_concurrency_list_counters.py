"""List version numbers come from core counters; each department's starts at its highest."""

from django.db import migrations
from django.db.models import Max

KIND = "清单版本"  # as catalogue.services.LIST_VERSION_KIND


def initialise_counters(apps, schema_editor) -> None:
    ListVersion = apps.get_model("catalogue", "ListVersion")
    Counter = apps.get_model("core", "Counter")
    rows = (
        ListVersion.objects.filter(number__isnull=False)
        .values("department__code")
        .annotate(last=Max("number"))
    )
    for row in rows:
        counter, _ = Counter.objects.get_or_create(
            authority=row["department__code"], kind=KIND, year=0
        )
        if counter.last < row["last"]:
            counter.last = row["last"]
            counter.save(update_fields=["last"])


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0002_initial"),
        ("core", "0007_concurrency_counter"),
    ]

    operations = [migrations.RunPython(initialise_counters, migrations.RunPython.noop)]
