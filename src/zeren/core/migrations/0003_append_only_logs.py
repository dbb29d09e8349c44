"""The database itself refuses UPDATE and DELETE on the change log and the security log."""

from django.db import migrations

from zeren.core.dbguards import append_only


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial")]
    operations = [append_only("core_changelog", "core_securityevent")]
