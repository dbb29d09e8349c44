"""Seed the working-day calendar with the State Council schedules for 2004-2026.

The schedules come from the chinesecalendar package (1.11.0 covers 2004-2026). Later years are
entered by an administrator when the State Council publishes them.
"""

from django.db import migrations

FIRST_YEAR, LAST_YEAR = 2004, 2026
SOURCE = "国务院办公厅历年部分节假日安排的通知（据 chinesecalendar 1.11 数据录入）"
NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def seed(apps, schema_editor):
    import chinese_calendar

    CalendarDay = apps.get_model("core", "CalendarDay")
    CalendarYear = apps.get_model("core", "CalendarYear")
    existing = set(CalendarDay.objects.values_list("date", flat=True))
    rows = []
    for kind, table in (("rest", chinese_calendar.holidays), ("work", chinese_calendar.workdays)):
        for day, name in table.items():
            if FIRST_YEAR <= day.year <= LAST_YEAR and day not in existing:
                rows.append(CalendarDay(date=day, kind=kind, name=NAMES.get(name, name)))
    CalendarDay.objects.bulk_create(rows, batch_size=500)
    covered = set(CalendarYear.objects.values_list("year", flat=True))
    CalendarYear.objects.bulk_create(
        CalendarYear(year=year, source=SOURCE)
        for year in range(FIRST_YEAR, LAST_YEAR + 1)
        if year not in covered
    )


def unseed(apps, schema_editor):
    apps.get_model("core", "CalendarDay").objects.filter(
        date__year__gte=FIRST_YEAR, date__year__lte=LAST_YEAR
    ).delete()
    apps.get_model("core", "CalendarYear").objects.filter(
        year__gte=FIRST_YEAR, year__lte=LAST_YEAR
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0004_calendar")]
    operations = [migrations.RunPython(seed, unseed)]
