"""One yearly plan per work item and year (plans carried over from an earlier list version
aside). A database that already holds several plans of one item and year keeps the earliest:
the others' milestones move to it, records linked to them are relinked to it, and an open
plan stays open if any of the merged ones was; then the duplicates are removed and the
constraint is added."""

from django.conf import settings
from django.db import migrations, models
from django.db.models import Count


def merge_duplicate_plans(apps, schema_editor):
    Plan = apps.get_model("ledger", "Plan")
    Milestone = apps.get_model("ledger", "Milestone")
    Record = apps.get_model("ledger", "Record")
    ContentType = apps.get_model("contenttypes", "ContentType")
    plan_type = ContentType.objects.filter(app_label="ledger", model="plan").first()
    groups = (
        Plan.objects.filter(carried_from__isnull=True)
        .values("work_item_id", "year")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    for group in groups:
        plans = list(
            Plan.objects.filter(
                carried_from__isnull=True, work_item_id=group["work_item_id"], year=group["year"]
            ).order_by("id")
        )
        keep, others = plans[0], plans[1:]
        ids = [p.id for p in others]
        Milestone.objects.filter(plan_id__in=ids).update(plan_id=keep.id)
        if plan_type is not None:
            Record.objects.filter(
                content_type=plan_type, object_id__in=[str(i) for i in ids]
            ).update(object_id=str(keep.id))
        if any(p.status == "open" for p in others) and keep.status != "open":
            keep.status = "open"
            keep.save(update_fields=["status"])
        Plan.objects.filter(id__in=ids).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0003_concurrency_list_counters"),
        ("ledger", "0003_ledger_plans_versions_public_summary"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(merge_duplicate_plans, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="plan",
            constraint=models.UniqueConstraint(
                condition=models.Q(("carried_from__isnull", True)),
                fields=("work_item", "year"),
                name="ledger_plan_once_per_item_year",
            ),
        ),
    ]
