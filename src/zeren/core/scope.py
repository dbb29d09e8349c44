"""Data scope: one mechanism through which every query for scoped data passes.

A scoped model names the path from itself to its ``org.Division`` (``scope_division``).
``Model.objects.restrict(user, "view")`` keeps what the user may see:

- no permission for the action: nothing;
- superuser: everything;
- partner department: only the objects shared with that department (``core.Share``);
- everyone else: the subtree of the user's jurisdiction (the township for township staff,
  the department's county for bureau staff).
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models


class ScopedQuerySet(models.QuerySet):
    def restrict(self, user: Any, action: str = "view") -> ScopedQuerySet:
        model = self.model
        if user is None or not user.is_authenticated:
            return self.none()
        if not user.has_perm(f"{model._meta.app_label}.{action}_{model._meta.model_name}"):
            return self.none()
        if user.is_superuser:
            return self
        from zeren.core.roles import Role
        from zeren.org.models import Division

        if user.role == Role.PARTNER:
            if user.department_id is None:
                return self.none()
            return self.filter(pk__in=live_shares(user.department_id, model).values("object_id"))
        jurisdiction = user.jurisdiction
        if jurisdiction is None:
            return self.none()
        path_field = getattr(model, "scope_division", None)
        if path_field is None:
            raise TypeError(f"{model.__name__} has no scope_division")
        subtree = Division.objects.filter(path__startswith=jurisdiction.path).values("pk")
        return self.filter(**{f"{path_field}__in": subtree})


def has_shares(user: Any, model_label: str) -> bool:
    """Whether ``user`` may find anything of ``model_label`` (``"app.model"``) through shares:
    always true for users who are not a partner department's (their lists are scoped by
    jurisdiction); for a partner, whether an unexpired share of that model exists for its
    department (the rule of ``ScopedQuerySet.restrict``)."""
    from django.apps import apps

    from zeren.core.roles import Role

    if getattr(user, "role", None) != Role.PARTNER or user.is_superuser:
        return True
    if user.department_id is None:
        return False
    return live_shares(user.department_id, apps.get_model(model_label)).exists()


def live_shares(department_id: int, model: type[models.Model]) -> models.QuerySet:
    """The unexpired shares (``core.Share``) of ``model``'s rows with a department."""
    from django.db.models import Q
    from django.utils import timezone

    from zeren.core.models import Share

    return Share.objects.filter(
        department_id=department_id, content_type=ContentType.objects.get_for_model(model)
    ).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=timezone.localdate()))


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):  # type: ignore[misc]
    pass


def can_access(user: Any, obj: models.Model, action: str = "view") -> bool:
    """Whether ``obj`` is inside what ``user`` may ``action`` (one indexed query)."""
    return type(obj)._default_manager.restrict(user, action).filter(pk=obj.pk).exists()


def scoped_object_or_404(
    request: Any,
    queryset: models.QuerySet,
    pk: int,
    *,
    message: str = "数据不存在，或不在您的查看范围内",
    action: str = "view",
) -> Any:
    """One object of an already restricted ``queryset``, else 404.

    The answer is the same whether the object does not exist or lies outside the user's scope;
    an attempt on an existing object is written to the security log.
    """
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        model = queryset.model
        if model._base_manager.filter(pk=pk).exists():
            from zeren.core.models import SecurityEvent
            from zeren.core.security import log_event

            log_event(
                SecurityEvent.Kind.DENIED,
                request=request,
                detail={"object": model._meta.label, "pk": pk, "action": action},
            )
        from django.http import Http404

        raise Http404(message)
    return obj


def divisions_for(user: Any, *levels: str) -> models.QuerySet:
    """The divisions of ``levels`` (default: townships) a user may choose, ordered by code.

    One rule for every page, form, filter and API: the system (``user`` None) and superusers
    get all of them; everyone else the subtree of their jurisdiction (their township, or their
    department's county); a user with no jurisdiction gets none.
    """
    from zeren.org.models import Division

    qs = Division.objects.filter(level__in=levels or [Division.Level.TOWNSHIP]).order_by("code")
    if user is None or user.is_superuser:
        return qs
    jurisdiction = user.jurisdiction
    if jurisdiction is None:
        return qs.none()
    return qs.filter(path__startswith=jurisdiction.path)


def townships_for(user: Any) -> models.QuerySet:
    """The townships ``user`` may see or choose (see ``divisions_for``)."""
    return divisions_for(user)
