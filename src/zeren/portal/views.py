"""Public pages (no login): the published responsibility list, searchable and downloadable."""

from __future__ import annotations

import hashlib
import json

from django.contrib.messages import get_messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import condition

from zeren.catalogue.documents import compare_documents, compare_fields, document_to_xlsx
from zeren.catalogue.models import ListVersion
from zeren.catalogue.selectors import (
    conflicts_by_regime,
    latest_published,
    published_versions,
    version_contents,
    version_document,
)
from zeren.catalogue.selectors import (
    search as search_list,
)
from zeren.core.models import SecurityEvent
from zeren.core.security import log_event
from zeren.org.models import Department
from zeren.publicservices.selectors import document_with_guides, guides_sheet

DEPARTMENT_KEY = "portal_department"


def _latest(request: HttpRequest) -> ListVersion:
    """The latest published list of the department the visitor chose (one deployment may
    serve several counties): ``?department=CODE`` chooses and is remembered for the visit."""
    code = request.GET.get("department")
    if code:
        department = Department.objects.filter(code=code, kind=Department.Kind.BUREAU).first()
        if department is None:
            raise Http404("没有这个部门")
        request.session[DEPARTMENT_KEY] = department.pk
    chosen = request.session.get(DEPARTMENT_KEY)
    latest = latest_published(chosen) if chosen else None
    latest = latest or latest_published()
    if latest is None:
        raise Http404("责任清单尚未发布")
    return latest


def _version(request: HttpRequest) -> ListVersion:
    """The version asked for with ?version=N, or the latest published one (once a request)."""
    if not hasattr(request, "_zeren_version"):
        request._zeren_version = _find_version(request)
    return request._zeren_version


def _find_version(request: HttpRequest) -> ListVersion:
    latest = _latest(request)
    raw = request.GET.get("version")
    if not raw:
        return latest
    if not raw.isdecimal():
        raise Http404("版本号应为数字")
    version = published_versions(latest.department_id).filter(number=int(raw)).first()
    if version is None:
        raise Http404(f"没有第{raw}版")
    return version


def _context(request: HttpRequest, **extra) -> dict:
    version = _version(request)
    latest = latest_published(version.department_id)
    return {"version": version, "is_latest": latest.pk == version.pk, **extra}


def _published_etag(request: HttpRequest, *args, **kwargs) -> str | None:
    """The ETag of a public page of the published list, for anonymous visitors.

    What such a page shows depends only on the version shown, the address asked and the
    bureaus listed in the menu, all of which the tag names; a published version never changes.
    Signed-in users (their name in the menu, the logout form) and pending messages get no tag,
    so the page is always rendered for them.
    """
    if hasattr(request, "_zeren_etag"):
        return request._zeren_etag
    request._zeren_etag = None
    if request.user.is_authenticated or len(get_messages(request)) or "department" in request.GET:
        return None
    try:
        version = _version(request)
    except Http404:
        return None
    bureaus = Department.objects.filter(kind=Department.Kind.BUREAU).count()
    key = f"{version.pk}|{version.published_at}|{bureaus}|{request.get_full_path()}"
    request._zeren_etag = hashlib.sha256(key.encode()).hexdigest()[:32]
    return request._zeren_etag


def _published_modified(request: HttpRequest, *args, **kwargs):
    if not hasattr(request, "_zeren_etag"):
        _published_etag(request)
    if request._zeren_etag is None:
        return None
    return _version(request).published_at


# Conditional GET (ETag, Last-Modified, 304) for the public pages of the published list.
published_page = condition(etag_func=_published_etag, last_modified_func=_published_modified)


@published_page
def home(request: HttpRequest) -> HttpResponse:
    ctx = _context(request)
    ctx.update(version_contents(ctx["version"]))
    return render(request, "portal/home.html", ctx)


@published_page
def boundaries(request: HttpRequest) -> HttpResponse:
    ctx = _context(request)
    ctx["boundaries"] = version_contents(ctx["version"])["boundaries"]
    return render(request, "portal/boundaries.html", ctx)


@published_page
def services(request: HttpRequest) -> HttpResponse:
    ctx = _context(request)
    ctx["services"] = version_contents(ctx["version"])["services"]
    return render(request, "portal/services.html", ctx)


@published_page
def regimes(request: HttpRequest) -> HttpResponse:
    ctx = _context(request)
    ctx["regimes"] = version_contents(ctx["version"])["regimes"]
    return render(request, "portal/regimes.html", ctx)


@published_page
def regime_detail(request: HttpRequest, number: int) -> HttpResponse:
    ctx = _context(request)
    regime = next(
        (r for r in version_contents(ctx["version"])["regimes"] if r.number == number), None
    )
    if regime is None:
        raise Http404("没有这项监管制度")
    ctx["regime"] = regime
    ctx["conflicts"] = conflicts_by_regime(ctx["version"]).get(number, [])
    return render(request, "portal/regime_detail.html", ctx)


def search(request: HttpRequest) -> HttpResponse:
    ctx = _context(request)
    query = request.GET.get("q", "").strip()[:100]
    results = search_list(ctx["version"], query) if query else None
    ctx.update(
        query=query, results=results, total=sum(len(v) for v in results.values()) if results else 0
    )
    template = "portal/_search_results.html" if request.htmx else "portal/search.html"
    return render(request, template, ctx)


@published_page
def print_view(request: HttpRequest) -> HttpResponse:
    ctx = _context(request)
    ctx.update(version_contents(ctx["version"]))
    return render(request, "portal/print.html", ctx)


@published_page
def versions(request: HttpRequest) -> HttpResponse:
    latest = _latest(request)
    return render(
        request,
        "portal/versions.html",
        {
            "versions": published_versions(latest.department_id),
            "version": latest,
            "is_latest": True,
        },
    )


def compare(request: HttpRequest) -> HttpResponse:
    latest = _latest(request)
    all_versions = published_versions(latest.department_id)
    try:
        a = int(request.GET.get("a", max(latest.number - 1, 1)))
        b = int(request.GET.get("b", latest.number))
    except ValueError:
        raise Http404("版本号应为数字") from None
    va, vb = all_versions.filter(number=a).first(), all_versions.filter(number=b).first()
    if va is None or vb is None:
        raise Http404("所选版本不存在")
    changes = compare_documents(version_document(va), version_document(vb))
    for change in changes:
        change["rows"] = compare_fields(change)
    return render(
        request,
        "portal/compare.html",
        {
            "versions": all_versions,
            "a": va,
            "b": vb,
            "changes": changes,
            "version": latest,
            "is_latest": True,
        },
    )


def download(request: HttpRequest, fmt: str) -> HttpResponse:
    version = _version(request)
    doc = document_with_guides(version_document(version))
    log_event(
        SecurityEvent.Kind.EXPORT,
        request=request,
        detail={
            "what": "责任清单",
            "version": version.number,
            "format": fmt,
            "rows": sum(len(v) for v in doc.values() if isinstance(v, list)),
        },
    )
    filename = f"责任清单-第{version.number}版"
    if fmt == "json":
        response = HttpResponse(
            json.dumps(doc, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
    elif fmt == "xlsx":
        response = HttpResponse(
            document_to_xlsx(doc, extra_sheets=[guides_sheet(doc)]),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404("只提供 json 和 xlsx 格式")
    from urllib.parse import quote

    response["Content-Disposition"] = (
        f'attachment; filename="list-v{version.number}.{fmt}"; '
        f"filename*=UTF-8''{quote(filename)}.{fmt}"
    )
    return response


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    log_event(
        SecurityEvent.Kind.DENIED,
        request=request,
        detail={"message": str(exception) if exception else ""},
    )
    return render(request, "403.html", {"message": str(exception or "")}, status=403)


CSRF_MESSAGE = "请求缺少有效的 CSRF 令牌（页面可能已过期），请刷新页面后重新提交"


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """settings.CSRF_FAILURE_VIEW: the project's own Chinese 403 page (not Django's stock
    English one); the refusal is written to the security log with Django's reason."""
    log_event(SecurityEvent.Kind.DENIED, request=request, detail={"csrf": reason})
    return render(request, "403.html", {"message": CSRF_MESSAGE}, status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = ""
    if exception is not None and exception.args and isinstance(exception.args[0], str):
        message = exception.args[0]
    return render(request, "404.html", {"message": message}, status=404)


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for a load balancer: the process answers; no database, no template."""
    return HttpResponse("ok", content_type="text/plain")


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico before reading the page's icon link."""
    from django.shortcuts import redirect
    from django.templatetags.static import static

    return redirect(static("zeren/favicon.svg"), permanent=True)
