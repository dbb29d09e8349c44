"""Staff pages: the board (every visible matter with its department tasks), a matter's page
with its tasks, replies, feed and meetings, and the forms to open, reply, share and meet."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zeren.catalogue.models import Boundary, BoundaryDivision
from zeren.core.dates import parse_date, parse_date_or_today
from zeren.core.scope import scoped_object_or_404
from zeren.joint import selectors, services
from zeren.joint.models import Matter, Reply, Task
from zeren.org.models import Department


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


MAX_ID = 2**31 - 1


def _pick(queryset: QuerySet, raw: str | None, *, what: str) -> Any:
    """The row of ``queryset`` whose id is ``raw`` (ASCII digits, 1..2³¹−1), or None when
    ``raw`` is blank. Raises ValidationError 「所选X不存在或不可选」 for anything else: a
    typed id never falls back to another row."""
    text = (raw or "").strip()
    if not text:
        return None
    found = None
    if text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID:
        found = queryset.filter(pk=int(text)).first()
    if found is None:
        raise ValidationError(f"所选{what}不存在或不可选")
    return found


def _pick_all(queryset: QuerySet, raws: list[str], *, what: str) -> list[Any]:
    """Every row named in ``raws`` (see ``_pick``); one bad id refuses the lot."""
    return [_pick(queryset, raw, what=what) for raw in raws if (raw or "").strip()]


@login_required
@permission_required("joint.view_matter", raise_exception=True)
def board(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "joint/board.html",
        {
            "rows": selectors.board(request.user, today),
            "indicators": selectors.indicators(request.user, today),
            "is_office": services.is_office(request.user),
        },
    )


@login_required
@permission_required("joint.add_matter", raise_exception=True)
def matter_new(request: HttpRequest) -> HttpResponse:
    boundaries = Boundary.objects.filter(version__status="published").order_by(
        "-version__number", "number"
    )
    boundary = boundaries.first()
    refused = False
    if request.method == "POST":
        try:
            boundary = _pick(boundaries, request.POST.get("boundary"), what="职责边界事项")
            if boundary is None:
                raise ValidationError("请选择职责边界事项")
            matter = services.matter_open(
                actor=request.user,
                boundary=boundary,
                title=request.POST.get("title", ""),
                description=request.POST.get("description", ""),
                kind=request.POST.get("kind", Matter.Kind.CLUE),
                departments=_pick_all(
                    Department.objects.all(),
                    request.POST.getlist("departments"),
                    what="参与部门",
                ),
                due_on=parse_date(request.POST.get("due_on"), what="办理期限", field="due_on"),
            )
        except ValidationError as exc:
            _errors(request, exc)
            refused = boundary is None
        else:
            messages.success(request, "联合查处事项已发起，各部门任务已交办")
            return redirect("joint-matter", pk=matter.pk)
    if refused:
        boundary = boundaries.first()
    choices = (
        BoundaryDivision.objects.filter(boundary=boundary).select_related("department")
        if boundary
        else []
    )
    return render(
        request,
        "joint/new.html",
        {
            "boundary": boundary,
            "choices": choices,
            "kinds": Matter.Kind.choices,
            "post": request.POST,
        },
    )


def _matter(request: HttpRequest, pk: int) -> Matter:
    return scoped_object_or_404(request, selectors.matters_for(request.user), pk)


@login_required
@permission_required("joint.view_matter", raise_exception=True)
def matter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    matter = _matter(request, pk)
    today = timezone.localdate()
    links = selectors.links_for(request.user, matter)
    tasks = list(matter.tasks.select_related("department").prefetch_related("replies__by"))
    for t in tasks:
        t.overdue = t.is_overdue(today)
        t.mine = t.department_id == request.user.department_id
    return render(
        request,
        "joint/matter.html",
        {
            "matter": matter,
            "tasks": tasks,
            "feed": selectors.feed_for(request.user, matter),
            "meetings": matter.meetings.all(),
            "reply_kinds": Reply.Kind.choices,
            "departments": matter.departments.all(),
            "is_office": services.is_office(request.user),
            "links": links,
            "hidden_links": sum(1 for f in services.LINKS if getattr(matter, f"{f}_id") is not None)
            - len(links),
            "can_link": services.is_office(request.user)
            and request.user.has_perm("joint.change_matter"),
            "link_kinds": [(f, label) for f, (label, _l, _w) in services.LINKS.items()],
        },
    )


@login_required
@permission_required("joint.change_matter", raise_exception=True)
@require_POST
def link(request: HttpRequest, pk: int) -> HttpResponse:
    """The office links the matter to a case (by 案号), a task (by number) or a report (by
    受理编号) it may see."""
    matter = _matter(request, pk)
    field = request.POST.get("kind", "")
    try:
        target = services.link_target(
            actor=request.user, field=field, key=request.POST.get("key", "")
        )
        services.matter_link(actor=request.user, matter=matter, **{field: target})
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, f"已关联{services.LINKS[field][0]}")
    return redirect("joint-matter", pk=pk)


@login_required
@permission_required("joint.change_matter", raise_exception=True)
@require_POST
def unlink(request: HttpRequest, pk: int) -> HttpResponse:
    matter = _matter(request, pk)
    try:
        services.matter_unlink(
            actor=request.user, matter=matter, field=request.POST.get("kind", "")
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, "已取消关联")
    return redirect("joint-matter", pk=pk)


@login_required
@permission_required("joint.change_matter", raise_exception=True)
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    """The office closes a matter once every department has fed back its result."""
    matter = _matter(request, pk)
    try:
        services.matter_close(actor=request.user, matter=matter)
    except ValidationError as exc:
        _errors(request, exc)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "联合查处事项已办结")
    return redirect("joint-matter", pk=pk)


@login_required
@permission_required("joint.add_reply", raise_exception=True)
@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    task = Task.objects.filter(pk=pk, matter__in=selectors.matters_for(request.user)).first()
    if task is None:
        raise PermissionDenied("任务不存在或不在您的查看范围内")
    try:
        services.task_reply(
            actor=request.user,
            task=task,
            kind=request.POST.get("kind", ""),
            text=request.POST.get("text", ""),
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, "答复已记录")
    return redirect("joint-matter", pk=task.matter_id)


@login_required
@permission_required("joint.add_informationshare", raise_exception=True)
@require_POST
def share(request: HttpRequest, pk: int) -> HttpResponse:
    matter = _matter(request, pk)
    try:
        to = _pick(matter.departments.all(), request.POST.get("to_department"), what="共享对象部门")
        services.share_post(
            actor=request.user, matter=matter, text=request.POST.get("text", ""), to_department=to
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, "信息已共享")
    return redirect("joint-matter", pk=pk)


@login_required
@permission_required("joint.add_meeting", raise_exception=True)
@require_POST
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    matter = _matter(request, pk)
    try:
        services.meeting_record(
            actor=request.user,
            matter=matter,
            held_on=parse_date_or_today(
                request.POST.get("held_on"), what="会议日期", field="held_on"
            ),
            minutes=request.POST.get("minutes", ""),
            decisions=request.POST.get("decisions", ""),
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, "协调会议已记录")
    return redirect("joint-matter", pk=pk)
