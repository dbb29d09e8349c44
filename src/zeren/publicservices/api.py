"""REST API of the public services: guides (public), applications and follow-ups (scoped)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from zeren.api.views import ActorMixin, ModelPermissions
from zeren.publicservices import selectors
from zeren.publicservices.models import Application, ApplicationEvent, FollowUpTask
from zeren.publicservices.services import (
    application_complete,
    application_refuse,
    application_submit,
)


class GuideSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    name = serializers.CharField(source="service.name")
    section = serializers.CharField(source="service.section.name")
    phone = serializers.CharField(source="service.phone")
    guide = serializers.SerializerMethodField()

    def get_guide(self, obj: selectors.Guide) -> dict[str, Any] | None:
        return selectors.guide_document(obj.guide)


class GuideViewSet(viewsets.ViewSet):
    """The twelve services' guides (办事指南) of the latest published list; no login."""

    permission_classes = [permissions.AllowAny]
    serializer_class = GuideSerializer

    def list(self, request: Request) -> Response:
        return Response(GuideSerializer(selectors.guides(), many=True).data)


class EventSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApplicationEvent
        fields = ["from_status", "to_status", "note", "actor_name", "time"]


class ApplicationSerializer(serializers.ModelSerializer):
    section = serializers.CharField(source="section.name", read_only=True)
    applicant_phone_masked = serializers.CharField(source="phone_masked", read_only=True)
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)
    events = EventSerializer(many=True, read_only=True)
    rating = serializers.IntegerField(source="rating.level", read_only=True, default=None)

    class Meta:
        model = Application
        fields = [
            "id",
            "reference",
            "service_number",
            "service_name",
            "section",
            "channel",
            "applicant_name",
            "applicant_phone_masked",
            "content",
            "status",
            "received_on",
            "due_on",
            "finished_on",
            "overdue",
            "result",
            "rating",
            "events",
        ]


class CounterSerializer(serializers.Serializer):
    service_number = serializers.IntegerField()
    applicant_name = serializers.CharField(max_length=100)
    applicant_phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    content = serializers.CharField(max_length=2000)


class FinishSerializer(serializers.Serializer):
    result = serializers.CharField(max_length=4000)


def _drf(exc: DjangoValidationError) -> ValidationError:
    return ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)


class ApplicationViewSet(
    ActorMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Applications of the caller's section (all for the head); counter entry; completion."""

    permission_classes = [permissions.IsAuthenticated, ModelPermissions]
    serializer_class = ApplicationSerializer
    queryset = Application.objects.none()

    def get_queryset(self):
        return selectors.applications_for(self.request.user).prefetch_related("events")

    @extend_schema(request=CounterSerializer, responses=ApplicationSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = CounterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            application = application_submit(
                actor=request.user, channel=Application.Channel.COUNTER, **data.validated_data
            )
        except DjangoValidationError as exc:
            raise _drf(exc) from exc
        body = {**ApplicationSerializer(application).data, "receipt_code": application.receipt_code}
        return Response(body, status=status.HTTP_201_CREATED)

    def _finish(self, request: Request, service: Any, key: str) -> Response:
        if not request.user.has_perm("publicservices.handle_application"):
            raise PermissionDenied("无权办理公共服务办件")
        application = self.get_object()
        data = FinishSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            done = service(
                actor=request.user, application=application, **{key: data.validated_data["result"]}
            )
        except DjangoValidationError as exc:
            raise _drf(exc) from exc
        return Response(ApplicationSerializer(done).data)

    @extend_schema(request=FinishSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        return self._finish(request, application_complete, "result")

    @extend_schema(request=FinishSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request: Request, pk: str | None = None) -> Response:
        return self._finish(request, application_refuse, "reason")


class FollowUpSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(source="rating.application.reference")
    level = serializers.IntegerField(source="rating.level")
    reason = serializers.CharField(source="rating.reason")
    section = serializers.CharField(source="section.name")

    class Meta:
        model = FollowUpTask
        fields = ["id", "reference", "level", "reason", "section", "due_on", "status", "outcome"]


class FollowUpViewSet(ActorMixin, viewsets.ReadOnlyModelViewSet):
    """Follow-ups of bad ratings, of the caller's section (all for the head)."""

    permission_classes = [permissions.IsAuthenticated, ModelPermissions]
    serializer_class = FollowUpSerializer
    queryset = FollowUpTask.objects.none()

    def get_queryset(self):
        return selectors.follow_ups_for(self.request.user)


class ServiceStatusSerializer(serializers.Serializer):
    """One service's month, as ``zeren services status`` prints it."""

    number = serializers.IntegerField()
    name = serializers.CharField()
    applications = serializers.IntegerField()
    completed = serializers.IntegerField()
    overdue = serializers.IntegerField()
    rating = serializers.FloatField(allow_null=True)


class ServiceStatusViewSet(viewsets.ViewSet):
    """Per service, the applications received in a month (as ``zeren services status``)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("period", str, description="YYYY-MM")],
        responses=ServiceStatusSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        if not request.user.has_perm("publicservices.view_application"):
            raise PermissionDenied("无权查看公共服务办件")
        try:
            return Response(selectors.services_status(request.query_params.get("period", "")))
        except ValueError as exc:
            raise ValidationError({"period": str(exc)}) from exc


def register(router: Any) -> None:
    router.register("service-guides", GuideViewSet, basename="service-guide")
    router.register("service-applications", ApplicationViewSet, basename="service-application")
    router.register("service-follow-ups", FollowUpViewSet, basename="service-follow-up")
    router.register("service-status", ServiceStatusViewSet, basename="service-status")
