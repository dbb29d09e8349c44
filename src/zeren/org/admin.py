"""The Django admin holds reference data only; workflow data never appears here."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from zeren.org.models import (
    Certificate,
    Department,
    Division,
    DocumentSettings,
    Officer,
    Section,
    User,
)


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "short_name", "kind", "division"]
    inlines = [SectionInline]


@admin.register(DocumentSettings)
class DocumentSettingsAdmin(admin.ModelAdmin):
    list_display = ["department", "review_body", "court", "bank_name"]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "department", "phone", "order"]
    list_filter = ["department"]


class CertificateInline(admin.TabularInline):
    model = Certificate
    extra = 0


@admin.register(Officer)
class OfficerAdmin(admin.ModelAdmin):
    list_display = ["user", "village"]
    inlines = [CertificateInline]
    raw_id_fields = ["village"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "name", "role", "department", "section", "township", "is_active"]
    list_filter = ["role", "department", "is_active"]
    search_fields = ["username", "name"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("身份", {"fields": ("name", "role", "department", "section", "township")}),
        (
            "状态",
            {"fields": ("is_active", "is_staff", "is_superuser", "last_login", "date_joined")},
        ),
    )
    add_fieldsets = (
        (
            None,
            {
                "fields": (
                    "username",
                    "password1",
                    "password2",
                    "name",
                    "role",
                    "department",
                    "section",
                    "township",
                )
            },
        ),
    )
    readonly_fields = ["last_login", "date_joined"]
