"""The feed entry of a joint matter is ``InformationShare`` (信息共享), so that no two models share
a name (``core.Share`` is the sharing of one object with a partner department). The rows stay:
the table and its content type are renamed by Django with the model; the permissions are
renamed in place."""

from django.db import migrations

ACTIONS = ("add", "change", "delete", "view")


def rename_permissions(apps, schema_editor, old="share", new="informationshare"):
    """Runs while the content type is named ``informationshare`` (either direction)."""
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type = ContentType.objects.filter(app_label="joint", model="informationshare").first()
    if content_type is None:
        return
    for action in ACTIONS:
        Permission.objects.filter(content_type=content_type, codename=f"{action}_{old}").update(
            codename=f"{action}_{new}"
        )


def restore_permissions(apps, schema_editor):
    rename_permissions(apps, schema_editor, old="informationshare", new="share")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("joint", "0001_ledger_joint_initial"),
    ]

    operations = [
        migrations.RenameModel(old_name="Share", new_name="InformationShare"),
        migrations.RunPython(rename_permissions, restore_permissions),
    ]
