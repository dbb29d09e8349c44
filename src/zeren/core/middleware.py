"""Per-request audit context: the actor and a request id for every log row."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from zeren.core.audit import acting_as


class RejectNulMiddleware:
    """Refuse query strings with NUL characters (PostgreSQL text cannot hold them) with 400."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.http import HttpResponseBadRequest

        if any("\x00" in k or any("\x00" in v for v in vs) for k, vs in request.GET.lists()):
            return HttpResponseBadRequest("请求参数中含有不允许的空字符".encode())
        for name in PAGING_PARAMETERS:
            for value in request.GET.getlist(name):
                if not (value.isascii() and value.isdigit() and len(value) <= 7):
                    return HttpResponseBadRequest(f"页码参数 {name} 应为不超过7位的数字".encode())
        return self.get_response(request)


# Page numbers and sizes of every list (django-tables2, LazyPaginator): a page past the end
# is answered by the list itself, but a number the database cannot hold as an OFFSET is not.
PAGING_PARAMETERS = ("page", "per_page")


class RequestSizeMiddleware:
    """Refuse request bodies over ``ZEREN_MAX_UPLOAD_MB`` (413) before anything reads them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        from django.conf import settings

        self.get_response = get_response
        self.limit = settings.ZEREN_MAX_UPLOAD_MB * 1024 * 1024

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > self.limit:
            from django.conf import settings

            return HttpResponse(
                f"上传内容超过 {settings.ZEREN_MAX_UPLOAD_MB} MB 的上限".encode(),
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from zeren.core.security import client_ip

        request.request_id = uuid.uuid4().hex
        user = getattr(request, "user", None)
        with acting_as(user, request.request_id, client_ip(request)):
            response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response


# Pages load nothing from elsewhere; the API docs (Swagger UI, ReDoc) need inline scripts.
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
    "form-action 'self'; base-uri 'self'"
)
CSP_API_DOCS = CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace(
    "img-src 'self' data:", "img-src 'self' data: blob:"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        docs = request.path.startswith(("/api/docs", "/api/redoc"))
        response.setdefault("Content-Security-Policy", CSP_API_DOCS if docs else CSP)
        return response
