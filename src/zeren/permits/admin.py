from django.contrib import admin

from zeren.permits.models import Permit


@admin.register(Permit)
class PermitAdmin(admin.ModelAdmin):
    """Read-only: the lifecycle changes only through the services and their rules."""

    list_display = ("number", "kind", "township", "approval_date", "valid_to", "status")
    list_filter = ("kind", "status")
    search_fields = ("number",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
