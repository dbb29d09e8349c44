"""Per-request audit context: the actor and a request id for every log row."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from zeren.core.audit import acting_as


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.request_id = uuid.uuid4().hex
        user = getattr(request, "user", None)
        with acting_as(user, request.request_id):
            response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response
