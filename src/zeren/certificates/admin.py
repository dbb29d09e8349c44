from django.contrib import admin

from zeren.certificates.models import Certificate, CertificateType


@admin.register(CertificateType)
class CertificateTypeAdmin(admin.ModelAdmin):
    """The terms of each certificate are data: an administrator corrects validity and facts."""

    list_display = (
        "service_number",
        "name",
        "section_name",
        "fee",
        "holder_kind",
        "validity_years",
        "validity_confirmed",
    )
    readonly_fields = ("code", "service_number", "number_prefix")

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    """Read-only: the lifecycle changes only through the services and their rules."""

    list_display = ("number", "type", "township", "issued_on", "status")
    list_filter = ("type", "status")
    search_fields = ("number",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
