"""Joint matters are workflow data: read-only in the admin."""

from django.contrib import admin

from zeren.joint.models import Matter


@admin.register(Matter)
class MatterAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "opened_by", "opened_on", "status"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
