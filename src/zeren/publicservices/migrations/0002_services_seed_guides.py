"""The twelve services' guides from seed/guides.json; the application history is append-only."""

import json
from pathlib import Path

from django.db import migrations

from zeren.core.dbguards import append_only

SEED = Path(__file__).resolve().parent.parent / "seed" / "guides.json"


def seed(apps, schema_editor) -> None:
    ServiceGuide = apps.get_model("publicservices", "ServiceGuide")
    data = json.loads(SEED.read_text(encoding="utf-8"))
    for row in data["guides"]:
        row = {"place": data["place"], "hours": data["hours"], **row}
        number = row.pop("number")
        ServiceGuide.objects.update_or_create(number=number, defaults=row)


class Migration(migrations.Migration):
    dependencies = [("publicservices", "0001_services_initial")]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        append_only("publicservices_applicationevent"),
    ]
