"""REST API: the published list (public); organisation and persons (authenticated, scoped)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer, TemplateHTMLRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import APIRootView
from rest_framework.views import APIView

from zeren.api import serializers as s
from zeren.catalogue.selectors import latest_published, published_versions, version_document
from zeren.core import transitions
from zeren.core.audit import set_actor
from zeren.core.models import SecurityEvent
from zeren.core.security import log_event
from zeren.org.models import Department, Division, Officer
from zeren.people.models import Person
from zeren.people.services import person_create, person_reveal, person_update


class ActorMixin:
    """API requests authenticate inside the view: attribute their changes to that user."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        if request.user.is_authenticated:
            set_actor(request.user)


class LoggedRetrieveMixin:
    """Reading one record of personal or health data through the API writes a ``view`` row to
    the security log, as its page does (issue 10, finding 9). ``view_log_what`` names it."""

    view_log_what = ""

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()  # type: ignore[attr-defined]
        log_event(
            SecurityEvent.Kind.VIEW,
            request=request,
            obj=instance,
            detail={"what": self.view_log_what, "api": True},
        )
        return Response(self.get_serializer(instance).data)  # type: ignore[attr-defined]


class ModelPermissions(permissions.DjangoModelPermissions):
    """Role permissions, including ``view`` for reads."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": [],
    }


def _latest(request: Request):
    """The latest published list, of ``?department=CODE`` (a bureau) or the first bureau."""
    code = request.query_params.get("department")
    if code:
        department = Department.objects.filter(code=code, kind=Department.Kind.BUREAU).first()
        if department is None:
            raise Http404("没有这个部门")
        version = latest_published(department.pk)
    else:
        version = latest_published()
    if version is None:
        raise Http404("责任清单尚未发布")
    return version


class ListView(APIView):
    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []

    @extend_schema(
        summary="最新发布的责任清单",
        parameters=[
            OpenApiParameter("version", int, description="版本号，默认最新"),
            OpenApiParameter("department", str, description="部门代码，默认第一个本局部门"),
        ],
        responses=s.ListDocumentSerializer,
    )
    def get(self, request: Request) -> Response:
        latest = _latest(request)
        raw = request.query_params.get("version")
        version = latest
        if raw is not None:
            if not raw.isdecimal():
                return Response({"version": ["版本号应为正整数"]}, status=400)
            version = published_versions(latest.department_id).filter(number=int(raw)).first()
            if version is None:
                raise Http404(f"没有第{raw}版")
        return Response(version_document(version))


class ListVersionsView(APIView):
    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []

    @extend_schema(
        summary="已发布的版本",
        parameters=[OpenApiParameter("department", str, description="部门代码")],
        responses=s.ListVersionSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        latest = _latest(request)
        data = [
            {
                "number": v.number,
                "title": v.title,
                "summary": v.summary,
                "published_at": v.published_at,
            }
            for v in published_versions(latest.department_id)
        ]
        return Response(s.ListVersionSerializer(data, many=True).data)


class DivisionViewSet(ActorMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.DivisionSerializer
    permission_classes = [permissions.IsAuthenticated, ModelPermissions]
    queryset = Division.objects.select_related("parent")
    filterset_fields = ["level", "code"]


class DepartmentViewSet(ActorMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.DepartmentSerializer
    permission_classes = [permissions.IsAuthenticated, ModelPermissions]
    queryset = Department.objects.select_related("division").prefetch_related("sections")


class OfficerViewSet(ActorMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.OfficerSerializer
    permission_classes = [permissions.IsAuthenticated, ModelPermissions]
    queryset = Officer.objects.select_related("user", "user__section").prefetch_related(
        "certificates"
    )


def _with_etag(response: Response, obj: Any) -> Response:
    """The object's edit version as a strong ETag (``"v<version>"``, core.transitions)."""
    response["ETag"] = f'"v{transitions.version_of(obj)}"'
    return response


def _if_match(request: Request) -> str:
    """The version an update is based on, from ``If-Match``; 428 when it is missing."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise PreconditionRequired()
    return header.removeprefix("W/").strip('"').removeprefix("v")


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = "修改须带 If-Match 请求头（先读取该对象，使用返回的 ETag），以免覆盖他人的修改"
    default_code = "precondition_required"


class PersonViewSet(
    ActorMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Persons within the caller's scope; identity numbers and phones masked."""

    serializer_class = s.PersonSerializer
    permission_classes = [permissions.IsAuthenticated, ModelPermissions]
    queryset = Person.objects.none()
    filterset_fields = ["sex"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Person.objects.none()
        action_name = "change" if self.request.method == "PATCH" else "view"
        return Person.objects.restrict(self.request.user, action_name).select_related("division")

    def perform_create(self, serializer: s.PersonSerializer) -> None:
        data = serializer.validated_data
        serializer.instance = person_create(
            actor=self.request.user,
            name=data["name"],
            id_number=data["id_number"],
            division=data["division"],
            phone=data.get("phone", ""),
            address=data.get("address", ""),
        )

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        person = self.get_object()
        log_event(SecurityEvent.Kind.VIEW, request=request, obj=person, detail={"what": "相对人"})
        return _with_etag(Response(self.get_serializer(person).data), person)

    @extend_schema(
        request=s.PersonUpdateSerializer,
        responses=s.PersonSerializer,
        parameters=[
            OpenApiParameter(
                "If-Match",
                str,
                OpenApiParameter.HEADER,
                required=True,
                description="读取时返回的 ETag；他人已修改时返回 409，缺少时返回 428",
            )
        ],
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        person = self.get_object()
        seen = _if_match(request)
        payload = s.PersonUpdateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        person_update(actor=request.user, person=person, seen=seen, **payload.validated_data)
        return _with_etag(Response(s.PersonSerializer(person).data), person)

    @extend_schema(exclude=True)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(
        request=s.RevealSerializer,
        responses=s.RevealedSerializer,
        summary="查看完整身份证号和电话（记入安全日志）",
    )
    @action(detail=True, methods=["post"])
    def reveal(self, request: Request, pk: str | None = None) -> Response:
        person = self.get_object()
        payload = s.RevealSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        plain = person_reveal(
            actor=request.user,
            person=person,
            request=request,
            reason=payload.validated_data["reason"],
        )
        return Response(plain)


class ApiRootView(APIRootView):
    """``/api/``: the endpoints by their Chinese names (HTML for a browser, JSON for programs)."""

    renderer_classes = (JSONRenderer, TemplateHTMLRenderer)
    template_name = "api/root.html"
    labels: dict[str, str] | None = None

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().get(request, *args, **kwargs)
        if getattr(request.accepted_renderer, "format", "") != "html":
            return response
        endpoints = sorted(
            (
                {"prefix": prefix, "label": (self.labels or {}).get(prefix, prefix), "url": url}
                for prefix, url in response.data.items()
            ),
            key=lambda e: e["prefix"],
        )
        return Response({"endpoints": endpoints}, template_name=self.template_name)


def endpoint_label(viewset: Any) -> str:
    """A viewset's name for people: its model's plural verbose name."""
    queryset = getattr(viewset, "queryset", None)
    model = getattr(queryset, "model", None)
    return str(model._meta.verbose_name_plural) if model is not None else "接口"
