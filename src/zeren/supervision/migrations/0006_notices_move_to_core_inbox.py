"""Supervision's notices move to the one inbox (``core.Notification``).

Kinds: a bulletin stays a bulletin, a reminder a reminder, an alert an alert; a new ad-hoc
task becomes a reminder and a failed automatic draw an alert. Division, recipient, title,
body, attachment, dedupe key and creation time are kept; the period (already in every title)
is added to the body where the title lacks it."""

from django.db import migrations

KINDS = {
    "bulletin": "bulletin",
    "reminder": "reminder",
    "alert": "alert",
    "task": "reminder",
    "draw_failed": "alert",
}


def copy_to_inbox(apps, schema_editor):
    Old = apps.get_model("supervision", "Notice")
    New = apps.get_model("core", "Notification")
    rows = []
    for n in Old.objects.iterator():
        body = n.body
        if n.period and n.period not in n.title and n.period not in body:
            body = f"{body}（{n.period}）" if body else n.period
        rows.append(
            New(
                kind=KINDS.get(n.kind, "reminder"),
                recipient_id=n.recipient_id,
                division_id=n.division_id,
                title=n.title,
                body=body,
                document=n.document,
                document_name=n.document_name,
                dedupe_key=n.dedupe_key,
                created_at=n.created_at,
            )
        )
    New.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0005_link_supervision_regime_to_list_regime"),
        ("core", "0010_notification_inbox"),
    ]

    operations = [
        migrations.RunPython(copy_to_inbox, migrations.RunPython.noop),
        migrations.DeleteModel(name="Notice"),
    ]
