"""REST API: matters the caller may see (with tasks and replies), replying on a task, indicators."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from zeren.api.views import ActorMixin
from zeren.joint import selectors, services
from zeren.joint.models import Matter, Reply, Task


class ReplySerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.username", read_only=True)

    class Meta:
        model = Reply
        fields = ["id", "kind", "text", "by", "at"]


class TaskSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.short_name", read_only=True)
    overdue = serializers.SerializerMethodField()
    replies = ReplySerializer(many=True, read_only=True)

    class Meta:
        model = Task
        fields = ["id", "department", "duties", "due_on", "status", "done_on", "overdue", "replies"]

    def get_overdue(self, task: Task) -> bool:
        return task.is_overdue()


class MatterSerializer(serializers.ModelSerializer):
    boundary = serializers.CharField(source="boundary.matter", read_only=True)
    opened_by = serializers.CharField(source="opened_by.short_name", read_only=True)
    tasks = TaskSerializer(many=True, read_only=True)
    case = serializers.SerializerMethodField(help_text="本局执法案件编号（无权查看时为空）")
    inspection_task = serializers.SerializerMethodField(
        help_text="监管检查任务编号（无权查看时为空）"
    )
    report = serializers.SerializerMethodField(help_text="举报投诉编号（无权查看时为空）")

    def _visible(self, matter: Matter) -> dict[str, int]:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return {link.field: link.pk for link in selectors.links_for(user, matter)}

    def get_case(self, matter: Matter) -> int | None:
        return self._visible(matter).get("case")

    def get_inspection_task(self, matter: Matter) -> int | None:
        return self._visible(matter).get("inspection_task")

    def get_report(self, matter: Matter) -> int | None:
        return self._visible(matter).get("report")

    class Meta:
        model = Matter
        fields = [
            "id",
            "boundary",
            "kind",
            "title",
            "description",
            "opened_by",
            "opened_on",
            "status",
            "case",
            "inspection_task",
            "report",
            "tasks",
        ]


class LinkInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["case", "inspection_task", "report"])
    key = serializers.CharField(
        max_length=40, required=False, help_text="案号、任务编号或受理编号（取消关联时不填）"
    )


class MatterViewSet(ActorMixin, viewsets.ReadOnlyModelViewSet):
    """Joint matters: the bureau sees all, a partner department those it takes part in."""

    serializer_class = MatterSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Matter.objects.none()
        return selectors.matters_for(self.request.user).prefetch_related(
            "tasks__department", "tasks__replies__by"
        )

    @extend_schema(request=LinkInSerializer, responses=MatterSerializer)
    @action(detail=True, methods=["post"])
    def link(self, request: Request, pk: Any = None) -> Response:
        """The office links the matter to a case, task or report by its number."""
        matter = self.get_object()
        data = LinkInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        field = data.validated_data["kind"]
        try:
            target = services.link_target(
                actor=request.user, field=field, key=data.validated_data.get("key", "")
            )
            services.matter_link(actor=request.user, matter=matter, **{field: target})
        except ValidationError as exc:
            raise ApiValidationError(exc.message_dict) from exc
        return Response(self.get_serializer(matter).data)

    @extend_schema(request=LinkInSerializer, responses=MatterSerializer)
    @action(detail=True, methods=["post"])
    def unlink(self, request: Request, pk: Any = None) -> Response:
        matter = self.get_object()
        data = LinkInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.matter_unlink(
                actor=request.user, matter=matter, field=data.validated_data["kind"]
            )
        except ValidationError as exc:
            raise ApiValidationError(exc.message_dict) from exc
        return Response(self.get_serializer(matter).data)


class ReplyInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Reply.Kind.choices)
    text = serializers.CharField()


class TaskViewSet(ActorMixin, viewsets.GenericViewSet):
    """A department replies on its own task (hand-off, acknowledgment, result)."""

    serializer_class = TaskSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Task.objects.none()
        return Task.objects.filter(matter__in=selectors.matters_for(self.request.user))

    @extend_schema(request=ReplyInSerializer, responses=ReplySerializer)
    @action(detail=True, methods=["post"])
    def reply(self, request: Request, pk: Any = None) -> Response:
        task = self.get_object()
        data = ReplyInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            made = services.task_reply(actor=request.user, task=task, **data.validated_data)
        except ValidationError as exc:
            raise ApiValidationError(exc.message_dict) from exc
        return Response(ReplySerializer(made).data, status=status.HTTP_201_CREATED)


class JointIndicatorSerializer(serializers.Serializer):
    department = serializers.CharField()
    received = serializers.IntegerField()
    in_time = serializers.IntegerField()
    overdue = serializers.IntegerField()
    open = serializers.IntegerField()


class IndicatorViewSet(ActorMixin, viewsets.ViewSet):
    """Per department over the matters the caller may see: received, in time, overdue, open."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=JointIndicatorSerializer(many=True))
    def list(self, request: Request) -> Response:
        if not request.user.has_perm("joint.view_matter"):
            raise PermissionDenied("无权查看联合查处")
        return Response([i.as_json() for i in selectors.indicators(request.user)])


def register(router: Any) -> None:
    router.register("joint/matters", MatterViewSet, basename="joint-matter")
    router.register("joint/tasks", TaskViewSet, basename="joint-task")
    router.register("joint/indicators", IndicatorViewSet, basename="joint-indicator")
