"""API authentication: django-rest-knox tokens (hashed, expiring), with a read-only flag."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication
from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS

from zeren.accounts.models import ApiToken


class ApiTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <token>``; expired, revoked or unknown tokens and tokens of
    deactivated users are refused with 401 and a Chinese message; a read-only token's request
    that is not GET, HEAD or OPTIONS is refused with 403 here, before any view (so no view's
    own ``permission_classes`` can forget it)."""

    def authenticate(self, request: Any) -> tuple[Any, ApiToken] | None:
        result = super().authenticate(request)
        if result is not None and result[1].read_only and request.method not in SAFE_METHODS:
            raise exceptions.PermissionDenied("该令牌为只读令牌，不能新增、修改或删除数据。")
        return result

    def authenticate_credentials(self, token: bytes) -> tuple[Any, ApiToken]:
        try:
            return super().authenticate_credentials(token)
        except exceptions.AuthenticationFailed:
            raise exceptions.AuthenticationFailed("令牌无效、已过期或已吊销。") from None

    def validate_user(self, auth_token: ApiToken) -> tuple[Any, ApiToken]:
        if not auth_token.user.is_active:
            raise exceptions.AuthenticationFailed("该账号已停用。")
        return auth_token.user, auth_token


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Describes the token header in the OpenAPI schema (/api/docs/ offers it to try)."""

    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "“我的账号”页面或 `zeren token issue` 签发的令牌，写作 `Token zrn_…`。",
        }
