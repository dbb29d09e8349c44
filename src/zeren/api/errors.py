"""API errors: ValidationError 400 (a lost race or stale version 409), PermissionDenied 403.

DRF's own English texts are replaced by type: a missing object (Http404) 「未找到该对象」,
a refused CSRF check 「请求缺少有效的 CSRF 令牌…」, an unreadable body 「请求内容不是有效的 JSON」."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from zeren.core.audit import current_request_id
from zeren.core.models import SecurityEvent
from zeren.core.security import log_event
from zeren.core.transitions import TransitionConflict

NOT_FOUND = "未找到该对象"
CSRF_FAILED = (
    "请求缺少有效的 CSRF 令牌，请刷新页面后重试；程序调用请使用 API 令牌（Authorization: Token …）"
)
NOT_JSON = "请求内容不是有效的 JSON"


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _in_chinese(exc: Exception) -> Exception:
    """``exc`` with DRF's or Django's English text replaced, by the exception's type; a
    Chinese message the project wrote itself is kept."""
    if isinstance(exc, Http404) or (
        isinstance(exc, exceptions.NotFound) and not _has_chinese(str(exc.detail))
    ):
        message = str(exc.args[0]) if isinstance(exc, Http404) and exc.args else ""
        return exceptions.NotFound(message if _has_chinese(message) else NOT_FOUND)
    if isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith("CSRF Failed"):
        return exceptions.PermissionDenied(CSRF_FAILED)
    if isinstance(exc, exceptions.ParseError) and not _has_chinese(str(exc.detail)):
        return exceptions.ParseError(NOT_JSON)
    return exc


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, TransitionConflict):
        # Someone changed the object first: 409, with who, when and what (core.transitions).
        return Response({"detail": exc.messages}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or "无权执行此操作")
    if isinstance(exc, (Http404, exceptions.NotFound)):
        _log_out_of_scope(context)
    exc = _in_chinese(exc)
    response = drf_exception_handler(exc, context)
    if isinstance(exc, exceptions.PermissionDenied):
        request = context.get("request")
        log_event(
            SecurityEvent.Kind.DENIED,
            request=request,
            actor=getattr(request, "user", None)
            if getattr(getattr(request, "user", None), "is_authenticated", False)
            else None,
            detail={"api": True, "message": str(exc.detail)},
        )
    return response


def _log_out_of_scope(context: dict[str, Any]) -> None:
    """A 404 on a detail endpoint for an object that exists but lies outside the caller's
    scope: a ``denied`` security-log row, as the pages' ``core.scope.scoped_object_or_404``
    writes. The answer stays the 404 of a missing object. Nothing is written when the view
    already logged the attempt (same request id) or the object does not exist at all."""
    view, request = context.get("view"), context.get("request")
    get_queryset = getattr(view, "get_queryset", None)
    lookup_field = getattr(view, "lookup_field", None)
    if get_queryset is None or not lookup_field or request is None:
        return
    value = view.kwargs.get(getattr(view, "lookup_url_kwarg", None) or lookup_field)
    if value is None:
        return
    try:
        queryset = get_queryset()
        model = queryset.model
        exists = model._base_manager.filter(**{lookup_field: value}).exists()
        in_scope = exists and queryset.filter(**{lookup_field: value}).exists()
    except (ValueError, TypeError, DjangoValidationError):
        return
    if not exists or in_scope:
        return
    request_id = current_request_id()
    if (
        request_id
        and SecurityEvent.objects.filter(
            kind=SecurityEvent.Kind.DENIED, request_id=request_id
        ).exists()
    ):
        return
    user = getattr(request, "user", None)
    log_event(
        SecurityEvent.Kind.DENIED,
        request=request,
        actor=user if getattr(user, "is_authenticated", False) else None,
        detail={
            "api": True,
            "object": model._meta.label,
            "pk": str(value),
            "action": "view" if request.method in ("GET", "HEAD", "OPTIONS") else "change",
        },
    )
