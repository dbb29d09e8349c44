"""The staff area: a home page per role, persons, the list draft, and the audit logs."""

from __future__ import annotations

import datetime as dt
import io
import json

from django.apps import apps
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig
from django_tables2.paginators import LazyPaginator

from zeren.catalogue.documents import DocumentError, xlsx_to_document
from zeren.catalogue.models import Duty, ListVersion, PublicService, RegimeSection, WorkItem
from zeren.catalogue.selectors import version_contents
from zeren.catalogue.services import (
    draft_for,
    ensure_editable,
    list_draft_start,
    list_import,
    list_item_update,
    list_publish,
)
from zeren.core import exports, search_tokens, transitions
from zeren.core.context_processors import SITE_NAME
from zeren.core.documents import attachment
from zeren.core.history import describe_changes, describe_events
from zeren.core.models import AuditedModel, ChangeLog, SecurityEvent, Share
from zeren.core.roles import Role
from zeren.core.scope import divisions_for, has_shares, scoped_object_or_404, townships_for
from zeren.core.security import client_ip, is_locked_out, log_event
from zeren.core.services import SHAREABLE, share_grant, share_revoke
from zeren.org.models import Department, Division
from zeren.people.models import Person
from zeren.people.services import person_create, person_reveal, person_update
from zeren.portal.forms import (
    DutyForm,
    ImportForm,
    LogFilterForm,
    PersonEditForm,
    PersonForm,
    PublicServiceForm,
    PublishForm,
    RegimeSectionForm,
    ShareForm,
    WorkItemForm,
)
from zeren.portal.home_cards import cards_for
from zeren.portal.tables import PersonFilter, PersonTable


class LockoutAuthenticationForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确。",
        "inactive": "该账号已停用。",
        "locked": "登录失败次数过多，请15分钟后再试。",
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        if username and is_locked_out(username, client_ip(self.request)):
            raise ValidationError(self.error_messages["locked"], code="locked")
        return super().clean()


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LockoutAuthenticationForm
    redirect_authenticated_user = True
    # Django's LoginView sets site_name to the request's host (RequestSite): name the system.
    extra_context = {"site_name": SITE_NAME}


class LogoutView(auth_views.LogoutView):
    pass


def _bureau(user) -> Department | None:
    if user.department_id and user.department.kind == Department.Kind.BUREAU:
        return user.department
    return Department.objects.filter(kind=Department.Kind.BUREAU).order_by("code").first()


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    persons = Person.objects.restrict(user, "view")
    ctx = {
        "role_label": Role(user.role).label if user.role in Role.values else "",
        "jurisdiction": user.jurisdiction,
        "can_persons": user.has_perm("people.view_person") and has_shares(user, "people.person"),
        "can_list": user.has_perm("catalogue.change_listversion"),
        "can_audit": user.has_perm("core.view_changelog"),
        "is_admin": user.is_superuser or user.role == Role.ADMIN,
    }
    if ctx["can_persons"] and user.role != Role.PARTNER:
        ctx["person_count_by_township"] = (
            persons.values("division__parent__name")
            .annotate(n=Count("id"))
            .order_by("division__parent__name")[:20]
        )
    if ctx["can_list"]:
        bureau = _bureau(user)
        ctx["draft"] = draft_for(bureau) if bureau else None
    if ctx["can_audit"]:
        ctx["recent_security"] = describe_events(SecurityEvent.objects.order_by("-time")[:10])
    ctx["cards"] = cards_for(user)
    return render(request, "staff/home.html", ctx)


PERSON_SEARCH = "people.person"


@login_required
@permission_required("people.view_person", raise_exception=True)
def person_list(request: HttpRequest) -> HttpResponse:
    """Persons in scope; criteria are POSTed and kept behind an opaque ``?q=`` token."""
    user = request.user
    qs = Person.objects.restrict(user, "view").select_related("division")
    if request.method == "POST":
        fields = list(PersonFilter.base_filters)
        token = search_tokens.stash(request, PERSON_SEARCH, request.POST, fields)
        used = [f for f in fields if request.POST.get(f, "").strip()]
        log_event(
            SecurityEvent.Kind.SEARCH,
            request=request,
            detail={"what": "相对人", "criteria": used},  # which fields, never their values
        )
        return redirect(f"{request.path}?q={token}")
    criteria = search_tokens.criteria_for(request, PERSON_SEARCH)
    filterset = PersonFilter(criteria, queryset=qs, townships=townships_for(user))
    table = PersonTable(filterset.qs if filterset.is_bound and filterset.is_valid() else qs)
    RequestConfig(request, paginate={"per_page": 50, "paginator_class": LazyPaginator}).configure(
        table
    )
    return render(request, "staff/person_list.html", {"table": table, "filter": filterset})


@login_required
@permission_required("people.export_person", raise_exception=True)
def person_export(request: HttpRequest) -> HttpResponse:
    """The filtered persons as Excel, masked like the pages; the export is logged."""
    import io

    from zeren.core import exports

    qs = Person.objects.restrict(request.user, "view").select_related("division__parent")
    filterset = PersonFilter(search_tokens.criteria_for(request, PERSON_SEARCH), queryset=qs)
    if filterset.is_bound and filterset.is_valid():
        qs = filterset.qs
    buffer = io.BytesIO()
    book = exports.workbook(buffer, {"constant_memory": True, "in_memory": True})
    sheet = book.add_worksheet("相对人")
    head = book.add_format({"bold": True})
    columns = ["姓名", "身份证号", "性别", "出生年份", "联系电话", "乡镇", "村", "住址"]
    for col, (title, width) in enumerate(
        zip(columns, [10, 22, 6, 12, 14, 12, 14, 30], strict=True)
    ):
        sheet.write(0, col, title, head)
        sheet.set_column(col, col, width)
    rows = 0
    for rows, p in enumerate(qs.order_by("division__code", "id").iterator(chunk_size=2000), 1):
        township = p.division.parent.name if p.division.parent_id else ""
        sheet.write_row(
            rows,
            0,
            [
                p.name,
                p.id_number_masked,
                p.get_sex_display(),
                p.birth_year,
                p.phone_masked,
                township,
                p.division.name,
                p.address,
            ],
        )
    book.close()
    log_event(
        SecurityEvent.Kind.EXPORT,
        request=request,
        detail={
            "what": "相对人",
            "rows": rows,
            "criteria": sorted(filterset.data) if filterset.is_bound else [],
        },
    )
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="persons.xlsx"'
    return response


def _person_or_404(request: HttpRequest, pk: int, action: str = "view") -> Person:
    return scoped_object_or_404(
        request,
        Person.objects.restrict(request.user, action).select_related(
            "division", "division__parent"
        ),
        pk,
        message="相对人不存在，或不在您的查看范围内",
        action=action,
    )


@login_required
@permission_required("people.view_person", raise_exception=True)
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_or_404(request, pk)
    log_event(SecurityEvent.Kind.VIEW, request=request, obj=person, detail={"what": "相对人详情"})
    history = ChangeLog.objects.filter(
        content_type__app_label="people", content_type__model="person", object_id=str(person.pk)
    )[:20]
    return render(
        request,
        "staff/person_detail.html",
        {
            "person": person,
            "history": history,
            "can_reveal": request.user.has_perm("people.reveal_person"),
            "can_change": request.user.has_perm("people.change_person"),
        },
    )


@login_required
@permission_required("people.add_person", raise_exception=True)
def person_create_view(request: HttpRequest) -> HttpResponse:
    form = PersonForm(
        request.POST or None,
        divisions=divisions_for(request.user, Division.Level.TOWNSHIP, Division.Level.VILLAGE),
    )
    if request.method == "POST" and form.is_valid():
        try:
            person = person_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"已登记相对人 {person.name}")
            return redirect("staff-person-detail", pk=person.pk)
    return render(request, "staff/form.html", {"form": form, "title": "登记相对人"})


@login_required
@permission_required("people.change_person", raise_exception=True)
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_or_404(request, pk, "change")
    # The stored phone number stays out of the form (only its mask is shown).
    initial = {"name": person.name, "address": person.address, "division": person.division}
    form = PersonEditForm(
        request.POST or None,
        initial=initial,
        phone_masked=person.phone_masked,
        divisions=divisions_for(request.user, Division.Level.TOWNSHIP, Division.Level.VILLAGE),
    )
    # The version the editor saw travels with the form; a stale save is refused (issue 10, 7).
    # A POST without it is treated as stale (never as "no check").
    version = (
        request.POST.get("version", "")
        if request.method == "POST"
        else transitions.version_of(person)
    )
    if request.method == "POST" and form.is_valid():
        try:
            person_update(actor=request.user, person=person, seen=version, **form.changes())
        except ValidationError as exc:
            for field, errors in _errors_by_field(exc).items():
                form.add_error(field if field in form.fields else None, errors)
            if isinstance(exc, transitions.TransitionConflict):
                # Keep what this user typed; the next save knowingly replaces the other change.
                version = transitions.version_of(Person.objects.get(pk=person.pk))
        else:
            messages.success(request, "已保存")
            return redirect("staff-person-detail", pk=person.pk)
    return render(
        request,
        "staff/form.html",
        {"form": form, "title": f"修改 {person.name}", "version": version},
    )


def _errors_by_field(exc: ValidationError) -> dict[str, list[str]]:
    return exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}


@login_required
@require_POST
def person_reveal_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_or_404(request, pk)
    try:
        plain = person_reveal(
            actor=request.user,
            person=person,
            request=request,
            reason=request.POST.get("reason", "")[:200],
        )
    except ValidationError as exc:
        return HttpResponse(
            format_html(
                '<div id="person-fields" class="alert alert-warning">{}（请刷新页面后填写事由）</div>',
                "；".join(exc.messages),
            ),
            status=400,
        )
    return render(request, "staff/_person_revealed.html", {"person": person, "plain": plain})


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


def _shareable_or_404(request: HttpRequest, label: str, pk: int):
    """The object to share, found only within what the user may see."""
    if label not in SHAREABLE:
        raise Http404("该类数据不能共享")
    model = apps.get_model(label)
    obj = model._default_manager.restrict(request.user, "view").filter(pk=pk).first()
    if obj is None:
        raise Http404("数据不存在，或不在您的管辖范围内")
    return obj


@login_required
@require_POST
@permission_required("core.add_share", raise_exception=True)
def share_create(request: HttpRequest, label: str, pk: int) -> HttpResponse:
    obj = _shareable_or_404(request, label, pk)
    form = ShareForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    else:
        try:
            share_grant(actor=request.user, obj=obj, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已共享给{form.cleaned_data['department']}")
    return _back(request, "staff-home")


@login_required
@require_POST
@permission_required("core.delete_share", raise_exception=True)
def share_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    share = get_object_or_404(Share.objects.select_related("content_type"), pk=pk)
    label = f"{share.content_type.app_label}.{share.content_type.model}"
    _shareable_or_404(request, label, share.object_id)
    share_revoke(actor=request.user, share=share)
    messages.success(request, "已撤销共享")
    return _back(request, "staff-home")


# --- the list draft ---------------------------------------------------------------------


@login_required
@permission_required("catalogue.change_listversion", raise_exception=True)
def list_manage(request: HttpRequest) -> HttpResponse:
    bureau = _bureau(request.user)
    draft = draft_for(bureau) if bureau else None
    ctx = {
        "draft": draft,
        "bureau": bureau,
        "import_form": ImportForm(),
        "publish_form": PublishForm(),
        "can_publish": request.user.has_perm("catalogue.publish_listversion"),
        "versions": ListVersion.objects.filter(
            department=bureau, status=ListVersion.Status.PUBLISHED
        ).order_by("-number"),
    }
    if draft is not None:
        ctx.update(version_contents(draft))
    return render(request, "staff/list_manage.html", ctx)


@login_required
@require_POST
@permission_required("catalogue.change_listversion", raise_exception=True)
def list_draft_start_view(request: HttpRequest) -> HttpResponse:
    list_draft_start(actor=request.user, department=_bureau(request.user))
    messages.success(request, "已从最新发布版复制出草稿，可以开始编辑")
    return redirect("list-manage")


@login_required
@require_POST
@permission_required("catalogue.change_listversion", raise_exception=True)
def list_import_view(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要导入的文件")
        return redirect("list-manage")
    upload = form.cleaned_data["file"]
    content = upload.read()
    try:
        if upload.name.lower().endswith(".xlsx"):
            data = xlsx_to_document(content)
        else:
            try:
                data = json.loads(content.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise DocumentError([f"不是有效的 UTF-8 JSON 文件：{exc}"]) from exc
        list_import(actor=request.user, data=data)
    except DocumentError as exc:
        return render(
            request, "staff/list_import_errors.html", {"problems": exc.problems}, status=400
        )
    messages.success(request, "文件已整体导入为草稿，请核对后发布")
    return redirect("list-manage")


@login_required
@require_POST
@permission_required("catalogue.publish_listversion", raise_exception=True)
def list_publish_view(request: HttpRequest) -> HttpResponse:
    draft = draft_for(_bureau(request.user))
    form = PublishForm(request.POST)
    if draft is None:
        messages.error(request, "没有待发布的草稿")
    elif not form.is_valid():
        messages.error(request, "请填写修订说明")
    else:
        try:
            version = list_publish(
                actor=request.user, version=draft, summary=form.cleaned_data["summary"]
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已发布第{version.number}版，公众页面已更新")
    return redirect("list-manage")


EDITABLE = {
    "duty": (Duty, DutyForm, lambda o: o.version),
    "workitem": (WorkItem, WorkItemForm, lambda o: o.duty.version),
    "service": (PublicService, PublicServiceForm, lambda o: o.version),
    "regimesection": (RegimeSection, RegimeSectionForm, lambda o: o.regime.version),
}


@login_required
@permission_required("catalogue.change_listversion", raise_exception=True)
def list_item_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    if kind not in EDITABLE:
        raise Http404("未知的清单条目类型")
    model, form_class, version_of = EDITABLE[kind]
    obj = get_object_or_404(model, pk=pk)
    version = version_of(obj)
    if (
        version.department_id != getattr(_bureau(request.user), "pk", None)
        and not request.user.is_superuser
    ):
        raise PermissionDenied("只能编辑本局的清单")
    ensure_editable(version)
    seen = (
        request.POST.get("version", "") if request.method == "POST" else transitions.version_of(obj)
    )
    form = form_class(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        try:
            list_item_update(
                actor=request.user, item=form.save(commit=False), version=version, seen=seen
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
            if isinstance(exc, transitions.TransitionConflict):
                seen = transitions.version_of(model.objects.get(pk=obj.pk))
        else:
            messages.success(request, "已保存到草稿")
            return redirect("list-manage")
    return render(
        request,
        "staff/form.html",
        {"form": form, "title": f"编辑草稿：{model._meta.verbose_name}", "version": seen},
    )


# --- audit --------------------------------------------------------------------------------


def _keyset_page(request: HttpRequest, qs, per_page: int = 50):
    """Newest first, paged by id (no COUNT over the whole log)."""
    before = request.GET.get("before")
    if before and before.isdecimal() and before.isascii():
        qs = qs.filter(id__lt=int(before))
    rows = list(qs.order_by("-id")[: per_page + 1])
    return rows[:per_page], (rows[per_page - 1].id if len(rows) > per_page else None)


EXPORT_LIMIT = 20000  # rows in one log export; narrower filters for more


def _log_filters(request: HttpRequest, qs, *, kinds, object_types, kind_field, type_filter):
    """Apply the log filter form to ``qs``: (form, filtered queryset, the filters used)."""
    from django.contrib.auth import get_user_model

    # users by name (the login is not for reading); namesakes are told apart by a number
    users, seen = [], {}
    for u in get_user_model().objects.order_by("name", "username"):
        name = u.name or u.username
        seen[name] = seen.get(name, 0) + 1
        users.append((str(u.pk), name if seen[name] == 1 else f"{name}（同名{seen[name]}）"))
    form = LogFilterForm(request.GET or None, kinds=kinds, object_types=object_types, users=users)
    used: list[str] = []
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        tz = timezone.get_current_timezone()
        if data["date_from"]:
            qs = qs.filter(time__gte=dt.datetime.combine(data["date_from"], dt.time(), tz))
            used.append("date_from")
        if data["date_to"]:
            end = data["date_to"] + dt.timedelta(days=1)
            qs = qs.filter(time__lt=dt.datetime.combine(end, dt.time(), tz))
            used.append("date_to")
        if data["user"]:
            qs = qs.filter(actor_id=int(data["user"]))
            used.append("user")
        if data["object_type"]:
            qs = type_filter(qs, data["object_type"])
            used.append("object_type")
        if data["kind"]:
            qs = qs.filter(**{kind_field: data["kind"]})
            used.append("kind")
    elif form.is_bound:
        qs = qs.none()
    return form, qs, used


def _query_without(request: HttpRequest, *names: str) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


def _log_export(request: HttpRequest, qs, title: str, header: list[str], rows_of, used):
    """The filtered log as an Excel workbook (``core.exports``), itself security-logged."""
    rows = list(qs.order_by("-id")[:EXPORT_LIMIT])
    buffer = io.BytesIO()
    book = exports.workbook(buffer)
    sheet = book.add_worksheet(title)
    bold = book.add_format({"bold": True})
    sheet.write_row(0, 0, header, bold)
    line = 1
    for values in rows_of(rows):
        sheet.write_row(line, 0, values)
        line += 1
    if len(rows) == EXPORT_LIMIT:
        sheet.write(line, 0, f"只导出了最近{EXPORT_LIMIT}条，请缩小筛选范围")
    book.close()
    log_event(
        SecurityEvent.Kind.EXPORT,
        request=request,
        detail={"what": title, "rows": len(rows), "filters": used},
    )
    name = f"{title}{timezone.localdate():%Y%m%d}.xlsx"
    return attachment(
        buffer.getvalue(),
        name,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _change_text(c) -> str:
    def show(v):
        return "；".join(f"{k}：{x}" for k, x in v) if isinstance(v, list) else str(v)

    return f"{c.label}：{show(c.before)} → {show(c.after)}"


@login_required
@permission_required("core.view_changelog", raise_exception=True)
def change_log(request: HttpRequest) -> HttpResponse:
    """The change log in Chinese, filtered by date, user, object type and operation."""
    from django.contrib.contenttypes.models import ContentType

    audited = sorted(
        (m for m in apps.get_models() if issubclass(m, AuditedModel)),
        key=lambda m: str(m._meta.verbose_name),
    )
    types = ContentType.objects.get_for_models(*audited)
    object_types = [(str(types[m].pk), str(m._meta.verbose_name)) for m in audited]
    qs = ChangeLog.objects.select_related("content_type")
    form, qs, used = _log_filters(
        request,
        qs,
        kinds=ChangeLog.Action.choices,
        object_types=object_types,
        kind_field="action",
        type_filter=lambda q, v: q.filter(content_type_id=int(v)),
    )
    if request.GET.get("export") == "xlsx":
        return _log_export(
            request,
            qs,
            "变更日志",
            ["时间", "操作人", "账号", "操作", "对象类型", "对象", "变更内容"],
            lambda rows: (
                [
                    f"{d.row.time:%Y-%m-%d %H:%M:%S}",
                    d.actor.name,
                    d.actor.login,
                    d.action,
                    d.model,
                    d.object,
                    "\n".join(_change_text(c) for c in d.changes),
                ]
                for d in describe_changes(rows)
            ),
            used,
        )
    rows, next_before = _keyset_page(request, qs)
    return render(
        request,
        "staff/change_log.html",
        {
            "rows": describe_changes(rows),
            "next_before": next_before,
            "form": form,
            "query": _query_without(request, "before", "export"),
        },
    )


@login_required
@permission_required("core.view_securityevent", raise_exception=True)
def security_log(request: HttpRequest) -> HttpResponse:
    """The security log in Chinese, filtered by date, user, object type and kind."""
    models_ = sorted(
        (m for m in apps.get_models() if m.__module__.startswith("zeren.")),
        key=lambda m: str(m._meta.verbose_name),
    )
    object_types = [(m._meta.label, str(m._meta.verbose_name)) for m in models_]
    form, qs, used = _log_filters(
        request,
        SecurityEvent.objects.all(),
        kinds=SecurityEvent.Kind.choices,
        object_types=object_types,
        kind_field="kind",
        type_filter=lambda q, v: q.filter(object_type__iexact=v),
    )
    if request.GET.get("export") == "xlsx":
        return _log_export(
            request,
            qs,
            "安全日志",
            ["时间", "类型", "用户", "账号", "IP 地址", "对象", "详情"],
            lambda rows: (
                [
                    f"{e.row.time:%Y-%m-%d %H:%M:%S}",
                    e.kind,
                    e.user.name,
                    e.user.login,
                    e.row.ip or "",
                    e.object,
                    "；".join(f"{k}：{v}" for k, v in e.detail),
                ]
                for e in describe_events(rows)
            ),
            used,
        )
    rows, next_before = _keyset_page(request, qs)
    return render(
        request,
        "staff/security_log.html",
        {
            "rows": describe_events(rows),
            "next_before": next_before,
            "form": form,
            "query": _query_without(request, "before", "export"),
        },
    )
