"""Permit events are append-only in the database too, like every other event table."""

from django.db import migrations

from zeren.core.dbguards import append_only


class Migration(migrations.Migration):
    dependencies = [("permits", "0001_initial")]
    operations = [append_only("permits_permitevent")]
