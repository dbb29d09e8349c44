"""API authentication: django-rest-knox tokens (hashed, expiring), with a read-only flag."""

from __future__ import annotations

from typing import Any

from knox.auth import TokenAuthentication
from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS, BasePermission

from zeren.accounts.models import ApiToken


class ApiTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <token>``; expired, revoked or unknown tokens and tokens of
    deactivated users are refused with 401 and a Chinese message."""

    def authenticate_credentials(self, token: bytes) -> tuple[Any, ApiToken]:
        try:
            return super().authenticate_credentials(token)
        except exceptions.AuthenticationFailed:
            raise exceptions.AuthenticationFailed("令牌无效、已过期或已吊销。") from None

    def validate_user(self, auth_token: ApiToken) -> tuple[Any, ApiToken]:
        if not auth_token.user.is_active:
            raise exceptions.AuthenticationFailed("该账号已停用。")
        return auth_token.user, auth_token


class ReadOnlyTokenPermission(BasePermission):
    """A read-only token may only read (GET, HEAD, OPTIONS)."""

    message = "该令牌为只读令牌，不能新增、修改或删除数据。"

    def has_permission(self, request: Any, view: Any) -> bool:
        auth = getattr(request, "auth", None)
        if isinstance(auth, ApiToken) and auth.read_only:
            return request.method in SAFE_METHODS
        return True
