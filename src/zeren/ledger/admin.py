"""Administrators keep the event → work item mapping here (data, not code), each work item's
expectation (what performing it looks like, with its source in the list), correct the items
carried across list versions, and can read the plans."""

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from zeren.catalogue.models import WorkItem
from zeren.ledger import services
from zeren.ledger.models import EventMapping, Expectation, ItemMapping, Milestone, Plan


@admin.register(EventMapping)
class EventMappingAdmin(admin.ModelAdmin):
    list_display = ["event_key", "label", "duty_number", "item_order", "kind"]
    list_filter = ["event_key"]


@admin.register(Expectation)
class ExpectationAdmin(admin.ModelAdmin):
    """What each work item is expected to show (持续 / 年度计划 / 每月 / 按事件 / 不适用), with the
    list's words it rests on; saved through ``services.expectation_set``."""

    list_display = ["work_item", "cadence", "source"]
    list_filter = ["cadence", "work_item__duty__version"]
    fields = ["work_item", "cadence", "source"]
    readonly_fields = ["work_item"]

    def has_add_permission(self, request: Any) -> bool:
        return False  # one per work item, made when a version is loaded

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def save_model(self, request: Any, obj: Expectation, form: Any, change: bool) -> None:
        try:
            services.expectation_set(
                actor=request.user, work_item=obj.work_item, cadence=obj.cadence, source=obj.source
            )
        except ValidationError as exc:
            obj.refresh_from_db()
            self.message_user(request, "；".join(exc.messages), level=messages.ERROR)


@admin.register(ItemMapping)
class ItemMappingAdmin(admin.ModelAdmin):
    """The mapping made when a version was published; a correction moves the open plans."""

    list_display = ["old_item", "new_item", "method"]
    list_filter = ["method", "old_item__duty__version"]
    fields = ["old_item", "new_item", "method"]
    readonly_fields = ["old_item", "method"]

    def has_add_permission(self, request: Any) -> bool:
        return False  # made on publication only

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def formfield_for_foreignkey(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        if db_field.name == "new_item":
            kwargs["queryset"] = WorkItem.objects.filter(
                duty__version__status="published"
            ).select_related("duty__version")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: Any, obj: ItemMapping, form: Any, change: bool) -> None:
        try:
            services.item_mapping_set(actor=request.user, mapping=obj, new_item=obj.new_item)
        except ValidationError as exc:
            obj.refresh_from_db()
            self.message_user(request, "；".join(exc.messages), level=messages.ERROR)


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["title", "due_on", "responsible", "done_on"]
    readonly_fields = fields
    can_delete = False


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    """Read-only here: plans are made and kept on the ledger's pages (through the services)."""

    list_display = ["year", "title", "work_item", "responsible", "status"]
    list_filter = ["year", "status"]
    inlines = [MilestoneInline]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
