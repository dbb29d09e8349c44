"""The staff inbox: every notification of the user, one page (``core.notifications``)."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from zeren.core import exports, notifications
from zeren.core.models import Notification, SecurityEvent
from zeren.core.security import log_event

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _one(request: HttpRequest, pk: int) -> Notification:
    found = notifications.inbox(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404("通知不存在，或不是发给您的")
    return found


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    rows = notifications.inbox(request.user)
    if kind in Notification.Kind.values:
        rows = rows.filter(kind=kind)
    return render(
        request,
        "core/inbox.html",
        {
            "rows": rows.defer("document")[:200],
            "kinds": Notification.Kind.choices,
            "kind": kind,
        },
    )


@login_required
@require_POST
def inbox_read_all(request: HttpRequest) -> HttpResponse:
    """「全部标为已读」: the user's own unread notifications (broadcasts have no reader)."""
    marked = notifications.mark_all_read(request.user)
    messages.success(request, f"已将 {marked} 条通知标为已读" if marked else "没有未读通知")
    return redirect("inbox")


@login_required
def inbox_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notification read and go to what it is about (or back to the inbox)."""
    notification = _one(request, pk)
    notifications.mark_read(request.user, notification)
    link = notification.link
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return redirect(link)
    return redirect("inbox")


@login_required
def inbox_document(request: HttpRequest, pk: int) -> HttpResponse:
    notification = _one(request, pk)
    if not notification.document:
        raise Http404("该通知没有附件")
    rows = exports.xlsx_data_rows(bytes(notification.document))
    log_event(
        SecurityEvent.Kind.EXPORT,
        request=request,
        obj=notification,
        detail={"what": "通知附件", "rows": rows},
    )
    response = HttpResponse(bytes(notification.document), content_type=XLSX)
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(notification.document_name)}"
    )
    return response
