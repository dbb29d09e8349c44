"""The officer's certificate is ``EnforcementCertificate`` (执法证); ``Certificate`` is the free
certificates' model. The rows stay: the table, its content type (renamed by Django with the
model) and its permissions are renamed in place."""

from django.db import migrations

ACTIONS = ("add", "change", "delete", "view")


def rename_permissions(apps, schema_editor, old="certificate", new="enforcementcertificate"):
    """Runs while the content type is named ``enforcementcertificate`` (either direction)."""
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type = ContentType.objects.filter(
        app_label="org", model="enforcementcertificate"
    ).first()
    if content_type is None:
        return
    for action in ACTIONS:
        Permission.objects.filter(content_type=content_type, codename=f"{action}_{old}").update(
            codename=f"{action}_{new}"
        )


def restore_permissions(apps, schema_editor):
    rename_permissions(apps, schema_editor, old="enforcementcertificate", new="certificate")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("org", "0003_merge_wave2"),
        ("supervision", "0004_kernel_delete_publicratewindow"),
    ]

    operations = [
        migrations.RenameModel(old_name="Certificate", new_name="EnforcementCertificate"),
        migrations.RenameIndex(
            model_name="enforcementcertificate",
            new_name="org_enforce_officer_fd3f00_idx",
            old_name="org_certifi_officer_1b0fca_idx",
        ),
        migrations.RunPython(rename_permissions, restore_permissions),
    ]
