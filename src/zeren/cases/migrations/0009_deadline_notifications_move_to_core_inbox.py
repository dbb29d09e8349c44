"""Deadline reminders move to the one inbox (``core.Notification``, kind ``deadline``).

Every row is copied with its recipient, text, due day, read time and creation time; the
dedupe key is the one ``cases.services.deadlines_notify`` now writes, so a later run does not
send a copied reminder again."""

from django.db import migrations


def copy_to_inbox(apps, schema_editor):
    Old = apps.get_model("cases", "Notification")
    New = apps.get_model("core", "Notification")
    rows = []
    for n in Old.objects.select_related("case").iterator():
        rows.append(
            New(
                kind="deadline",
                recipient_id=n.user_id,
                division_id=n.case.township_id,
                title=n.message,
                link=f"/staff/cases/{n.case_id}/",
                due_on=n.due_on,
                read_at=n.read_at,
                created_at=n.created_at,
                dedupe_key=(
                    f"deadline:case{n.case_id}:{n.deadline}:{n.due_on:%Y-%m-%d}:{n.kind}"
                    f":user{n.user_id}"
                ),
            )
        )
    New.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)


def copy_back(apps, schema_editor):
    Old = apps.get_model("cases", "Notification")
    New = apps.get_model("core", "Notification")
    rows = []
    for n in New.objects.filter(kind="deadline", dedupe_key__startswith="deadline:case"):
        _, case, deadline, due, kind, user = n.dedupe_key.split(":")
        rows.append(
            Old(
                user_id=int(user.removeprefix("user")),
                case_id=int(case.removeprefix("case")),
                deadline=deadline,
                due_on=due,
                kind=kind,
                message=n.title[:300],
                read_at=n.read_at,
            )
        )
    Old.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    New.objects.filter(kind="deadline", dedupe_key__startswith="deadline:case").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_merge_wave2"),
        ("core", "0010_notification_inbox"),
    ]

    operations = [
        migrations.RunPython(copy_to_inbox, copy_back),
        migrations.DeleteModel(name="Notification"),
    ]
