"""Correct the seeded calendar: Saturday 2005-12-31 was a make-up working day.

The seed data (migration 0005) left it a weekend rest day. 国务院办公厅关于2006年部分节假日安排的
通知（国办发明电〔2005〕35号）: 元旦1月1日—3日放假，12月31日（星期六）上班. Every other day of
2004-2026 was checked against that year's notice (tests/core/test_calendar_data.py).
"""

import datetime as dt

from django.db import migrations

DAY = dt.date(2005, 12, 31)
NAME = "元旦（调休上班，国办发明电〔2005〕35号）"


def correct(apps, schema_editor):
    CalendarDay = apps.get_model("core", "CalendarDay")
    CalendarDay.objects.update_or_create(date=DAY, defaults={"kind": "work", "name": NAME})


def undo(apps, schema_editor):
    apps.get_model("core", "CalendarDay").objects.filter(date=DAY, name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0006_share_is_audited")]
    operations = [migrations.RunPython(correct, undo)]
