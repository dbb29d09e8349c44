"""A case's events and the payments received are a record: the database refuses to rewrite them."""

from django.db import migrations

from zeren.core.dbguards import append_only


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_summary_report_rule"), ("core", "0003_append_only_logs")]
    operations = [append_only("cases_caseevent", "cases_payment")]
