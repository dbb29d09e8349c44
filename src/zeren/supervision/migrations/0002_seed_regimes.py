from django.db import migrations


def forwards(apps, schema_editor):
    from zeren.supervision.seed import seed_regimes

    seed_regimes(apps.get_model("supervision", "SupervisionRegime"))


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
