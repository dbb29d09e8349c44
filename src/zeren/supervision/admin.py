from django.contrib import admin

from zeren.core.admin import ReadOnlyAdmin
from zeren.supervision.models import (
    ConflictDeclaration,
    InspectionTask,
    SamplingPlan,
    SupervisionRegime,
)


@admin.register(SupervisionRegime)
class SupervisionRegimeAdmin(admin.ModelAdmin):
    """Reference data: change figures by "save as new" with a later effective date."""

    list_display = (
        "code",
        "name",
        "effective_from",
        "frequency",
        "coverage_ratio",
        "minimum_count",
        "performed_by",
        "unconfirmed",
    )
    list_filter = ("performed_by", "subject_kind", "unconfirmed")
    save_as = True


@admin.register(SamplingPlan)
class SamplingPlanAdmin(ReadOnlyAdmin):
    list_display = ("pk", "regime", "period", "division", "round", "status", "required_count")
    exclude = ("population", "sample")


@admin.register(InspectionTask)
class InspectionTaskAdmin(ReadOnlyAdmin):
    list_display = ("pk", "regime", "permit", "township", "due_date", "result")


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(admin.ModelAdmin):
    list_display = ("officer", "kind", "person", "village", "declared_on", "withdrawn_on")
    raw_id_fields = ("person",)
