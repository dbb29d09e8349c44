"""Admin: the calendar, rule sets and discretion catalogue are editable reference data.

Cases and their events are workflow state: read-only here, because the admin would bypass the
guarded transitions in services.py.
"""

from django.contrib import admin

from zeren.cases.models import (
    Case,
    CaseDocument,
    CaseEvent,
    DiscretionGrade,
    Rule,
    RuleSet,
    RuleVersion,
    Violation,
)
from zeren.core.admin import ReadOnlyAdmin
from zeren.core.models import CalendarDay, CalendarYear


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["name"]


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "source", "note"]


class RuleInline(admin.TabularInline):
    model = Rule
    extra = 0
    fields = ["key", "label", "value", "unit", "roll_forward", "source", "confirmed"]


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "effective_from", "source"]
    inlines = [RuleInline]


@admin.register(RuleVersion)
class RuleVersionAdmin(admin.ModelAdmin):
    """Each legal period's dated versions: a new law is a new row, never an edited old one."""

    list_display = ["label", "key", "valid_from", "value", "unit", "roll_forward", "basis"]
    list_filter = ["key", "basis", "confirmed"]
    search_fields = ["label", "source"]
    ordering = ["key", "valid_from"]


class GradeInline(admin.TabularInline):
    model = DiscretionGrade
    extra = 0


@admin.register(Violation)
class ViolationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "basis", "legal_min", "legal_max", "confirmed", "active"]
    list_filter = ["kind", "confirmed", "active"]
    inlines = [GradeInline]


class EventInline(admin.TabularInline):
    model = CaseEvent
    fields = ["on", "step", "action", "summary", "actor_name"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "step", "township", "filed_on", "amount"]
    list_filter = ["kind", "step"]
    search_fields = ["number", "decision_number"]
    inlines = [EventInline]
    show_full_result_count = False


@admin.register(CaseDocument)
class CaseDocumentAdmin(ReadOnlyAdmin):
    list_display = ["number", "form", "case", "on"]
    list_filter = ["form"]
