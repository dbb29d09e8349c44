"""Administrators edit the warning thresholds and the assessment schemes here."""

from django.contrib import admin

from zeren.statistics.models import AssessmentItem, AssessmentScheme, Threshold


@admin.register(Threshold)
class ThresholdAdmin(admin.ModelAdmin):
    list_display = [
        "indicator",
        "effective_from",
        "green_low",
        "green_high",
        "amber_low",
        "amber_high",
        "minimum_births",
        "unconfirmed",
    ]
    list_filter = ["indicator", "unconfirmed"]


class AssessmentItemInline(admin.TabularInline):
    model = AssessmentItem
    extra = 0


@admin.register(AssessmentScheme)
class AssessmentSchemeAdmin(admin.ModelAdmin):
    list_display = ["year", "title", "unconfirmed"]
    inlines = [AssessmentItemInline]
