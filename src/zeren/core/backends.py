"""Authentication backend answering permission checks from the user's role."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from zeren.core.roles import NEVER_GRANTED, permissions_for


class RoleBackend(ModelBackend):
    """Username/password login; permissions from the role, not from per-user tables.

    The change log and the security log are never writable, not even by a superuser.
    """

    NEVER = NEVER_GRANTED

    def authenticate(
        self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        # The lockout holds for every way in that checks a password.
        from django.core.exceptions import PermissionDenied

        from zeren.core.security import client_ip, is_locked_out

        if username and is_locked_out(username, client_ip(request)):
            raise PermissionDenied("登录失败次数过多，请稍后再试")
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id: Any) -> Any:
        """The session's user, with its unread inbox count read in the same query (the staff
        menu shows it on every page; ``core.notifications.unread_count``)."""
        from django.contrib.auth import get_user_model
        from django.db.models import Count, IntegerField, OuterRef, Subquery

        from zeren.core.models import Notification

        unread = (
            Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
            .order_by()
            .values("recipient")
            .annotate(n=Count("pk"))
            .values("n")
        )
        model = get_user_model()
        user = (
            model._default_manager.annotate(
                inbox_unread=Subquery(unread, output_field=IntegerField())
            )
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous:
            return set()
        return permissions_for(user_obj)

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        if perm in self.NEVER or not user_obj.is_active:
            return False
        if user_obj.is_superuser:
            return True
        return perm in self.get_all_permissions(user_obj)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        if not user_obj.is_active:
            return False
        if user_obj.is_superuser:
            return True
        return any(p.startswith(app_label + ".") for p in self.get_all_permissions(user_obj))
