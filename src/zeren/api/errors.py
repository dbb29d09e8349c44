"""API errors: ValidationError 400 (a lost race or stale version 409), PermissionDenied 403."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from zeren.core.models import SecurityEvent
from zeren.core.security import log_event
from zeren.core.transitions import TransitionConflict


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, TransitionConflict):
        # Someone changed the object first: 409, with who, when and what (core.transitions).
        return Response({"detail": exc.messages}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or "无权执行此操作")
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
