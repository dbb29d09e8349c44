"""The Django admin holds reference data only; workflow data never appears here."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError

from zeren.org.models import (
    Department,
    Division,
    DocumentSettings,
    EnforcementCertificate,
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


class EnforcementCertificateInline(admin.TabularInline):
    model = EnforcementCertificate
    extra = 0


@admin.register(Officer)
class OfficerAdmin(admin.ModelAdmin):
    list_display = ["user", "village"]
    inlines = [EnforcementCertificateInline]
    raw_id_fields = ["village"]


def _privileges(values) -> dict:
    from zeren.core.roles import PRIVILEGE_FIELDS

    return {f: values.get(f) for f in PRIVILEGE_FIELDS}


class SeparationOfDutiesMixin:
    """The form refuses any change that gives an account more than the acting user has
    (``core.roles.check_account_change``): its message shows on the page, nothing is saved."""

    actor = None

    def clean(self):
        data = super().clean()
        from zeren.core.roles import check_account_change

        target = self.instance if self.instance.pk else None
        before = (
            {f: getattr(target, f) for f in ("role", "is_superuser", "is_staff", "is_active")}
            if target
            else {"role": None, "is_superuser": False, "is_staff": False, "is_active": True}
        )
        after = {**before, **{k: v for k, v in _privileges(data).items() if k in data}}
        try:
            check_account_change(actor=self.actor, target=target, before=before, after=after)
        except PermissionDenied as exc:
            raise ValidationError(str(exc)) from exc
        return data


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    # Deleting an account deactivates it (org.services.user_deactivate): history stays.
    delete_confirmation_template = "admin/org/user/deactivate_confirmation.html"
    delete_selected_confirmation_template = "admin/org/user/deactivate_selected_confirmation.html"

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

    def get_form(self, request, obj=None, **kwargs):
        base = super().get_form(request, obj, **kwargs)
        return type(base.__name__, (SeparationOfDutiesMixin, base), {"actor": request.user})

    def get_deleted_objects(self, objs, request):
        # Nothing is deleted (see delete_model), so nothing is listed or protected.
        return [], {}, set(), []

    def delete_model(self, request, obj):
        from zeren.org.services import user_deactivate

        try:
            ended = user_deactivate(actor=request.user, user=obj, request=request)
        except PermissionDenied as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(
            request, f"已停用账号 {obj.username}（结束会话 {ended} 个），其记录全部保留。"
        )

    def delete_queryset(self, request, queryset):
        for user in queryset:
            self.delete_model(request, user)

    def response_delete(self, request, obj_display, obj_id):
        # Django would announce a deletion; the account was deactivated (message above).
        from django.http import HttpResponseRedirect
        from django.urls import reverse

        return HttpResponseRedirect(reverse("admin:org_user_changelist"))
