"""Administrators keep the event → work item mapping here (data, not code)."""

from django.contrib import admin

from zeren.ledger.models import EventMapping


@admin.register(EventMapping)
class EventMappingAdmin(admin.ModelAdmin):
    list_display = ["event_key", "label", "duty_number", "item_order", "kind"]
    list_filter = ["event_key"]
