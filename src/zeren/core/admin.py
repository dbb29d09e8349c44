from django.contrib import admin

from zeren.core.models import ChangeLog, SecurityEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """Logs and workflow state: visible in the admin, changed only through the services."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ChangeLog)
class ChangeLogAdmin(ReadOnlyAdmin):
    list_display = ["time", "actor_name", "action", "content_type", "object_repr"]
    list_filter = ["action", "content_type"]
    search_fields = ["actor_name", "object_repr", "request_id"]
    show_full_result_count = False


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdmin):
    list_display = ["time", "kind", "username", "ip", "path"]
    list_filter = ["kind"]
    search_fields = ["username", "ip", "request_id"]
    show_full_result_count = False
