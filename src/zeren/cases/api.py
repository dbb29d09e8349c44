"""REST API for cases: every step through a POST action, each calling its guarded service.

All reads go through ``Case.objects.restrict(user, "view")``; writes are checked again by the
services (permission, scope, legal preconditions). A refused step answers 400 with the reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from zeren.api.views import ActorMixin, ModelPermissions
from zeren.cases import documents, rules, selectors, services
from zeren.cases.models import Case, CaseDocument, CaseKind, Payment, Recusal, Violation
from zeren.core.dates import parse_date_or_today
from zeren.core.documents import PDF_TYPE, attachment
from zeren.core.models import SecurityEvent
from zeren.core.security import log_event
from zeren.org.models import Division, Officer, User
from zeren.people.models import Person


# -- serializers ---------------------------------------------------------------------------
class CaseSerializer(serializers.ModelSerializer):
    party_name = serializers.CharField(read_only=True)
    step_label = serializers.CharField(source="get_step_display", read_only=True)
    violation = serializers.SlugRelatedField(slug_field="code", read_only=True)
    township = serializers.SlugRelatedField(slug_field="code", read_only=True)
    rule_set = serializers.SlugRelatedField(slug_field="code", read_only=True)
    officers = serializers.SerializerMethodField()
    instalments = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "kind",
            "procedure",
            "step",
            "step_label",
            "rule_set",
            "party_kind",
            "party_name",
            "person",
            "organisation_name",
            "organisation_code",
            "legal_representative",
            "violation",
            "facts",
            "act_date",
            "act_end_date",
            "birth_date",
            "township",
            "officers",
            "filed_on",
            "notice_served_on",
            "hearing_requested_on",
            "hearing_on",
            "grade",
            "amount",
            "approved_on",
            "decided_on",
            "decision_number",
            "served_on",
            "due_on",
            "instalments",
            "paid_off_on",
            "summary_reported_on",
            "reminder_served_on",
            "court_applied_on",
            "closed_on",
            "archived_on",
        ]

    def get_officers(self, case: Case) -> list[str]:
        return [str(o) for o in case.officers.all()]

    def get_instalments(self, case: Case) -> list[dict[str, str]]:
        return [
            {"due_on": i.due_on.isoformat(), "amount": f"{i.amount:.2f}"}
            for i in case.instalments.all()
        ]


class FileSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CaseKind.choices)
    violation = serializers.SlugRelatedField(slug_field="code", queryset=Violation.objects.all())
    township = serializers.SlugRelatedField(
        slug_field="code", queryset=Division.objects.filter(level=Division.Level.TOWNSHIP)
    )
    officers = serializers.PrimaryKeyRelatedField(queryset=Officer.objects.all(), many=True)
    filed_on = serializers.DateField()
    approved_by = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    act_date = serializers.DateField()
    act_end_date = serializers.DateField(required=False, allow_null=True)
    facts = serializers.CharField()
    person = serializers.IntegerField(required=False, allow_null=True)
    organisation_name = serializers.CharField(required=False, default="", allow_blank=True)
    organisation_code = serializers.CharField(required=False, default="", allow_blank=True)
    legal_representative = serializers.CharField(required=False, default="", allow_blank=True)
    birth_date = serializers.DateField(required=False, allow_null=True)
    serious = serializers.BooleanField(required=False, default=False)
    complex = serializers.BooleanField(required=False, default=False)


class OnSpotSerializer(serializers.Serializer):
    violation = serializers.SlugRelatedField(slug_field="code", queryset=Violation.objects.all())
    township = serializers.SlugRelatedField(
        slug_field="code", queryset=Division.objects.filter(level=Division.Level.TOWNSHIP)
    )
    officers = serializers.PrimaryKeyRelatedField(queryset=Officer.objects.all(), many=True)
    decided_on = serializers.DateField()
    place = serializers.CharField()
    act_date = serializers.DateField()
    act_end_date = serializers.DateField(required=False, allow_null=True)
    facts = serializers.CharField()
    facts_certain = serializers.BooleanField(help_text="违法事实确凿（行政处罚法第五十一条）")
    reasons = serializers.CharField()
    statement = serializers.CharField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    person = serializers.IntegerField(required=False, allow_null=True)
    organisation_name = serializers.CharField(required=False, default="", allow_blank=True)
    organisation_code = serializers.CharField(required=False, default="", allow_blank=True)
    legal_representative = serializers.CharField(required=False, default="", allow_blank=True)
    recipient = serializers.CharField(required=False, default="", allow_blank=True)
    recipient_role = serializers.CharField(required=False, default="", allow_blank=True)
    signature = serializers.CharField(required=False, default="", allow_blank=True)
    refused_to_sign = serializers.BooleanField(required=False, default=False)


class RecordSerializer(serializers.Serializer):
    form = serializers.ChoiceField(choices=["interview", "inquiry"])
    on = serializers.DateField()
    subject = serializers.CharField()
    content = serializers.CharField()
    signatories = serializers.ListField(child=serializers.CharField())
    recorded_by = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=Officer.objects.all(),
        help_text="询问（调查）并签名的执法人员（至少两名本案执法人员）",
    )


class RecusalSerializer(serializers.Serializer):
    officer = serializers.PrimaryKeyRelatedField(queryset=Officer.objects.all())
    declared_by = serializers.CharField()
    on = serializers.DateField()
    reason = serializers.CharField()


class RecusalDecisionSerializer(serializers.Serializer):
    recusal = serializers.IntegerField()
    granted = serializers.BooleanField()
    on = serializers.DateField()


class NoticeSerializer(serializers.Serializer):
    served_on = serializers.DateField()
    reasons = serializers.CharField()
    circumstances = serializers.ListField(
        child=serializers.CharField(), required=False, default=list
    )
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    gains = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True
    )
    base_income = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True
    )
    amount_reason = serializers.CharField(required=False, default="", allow_blank=True)


class StatementSerializer(serializers.Serializer):
    on = serializers.DateField()
    statement = serializers.CharField()
    waive_hearing = serializers.BooleanField(required=False, default=False)


class HearingRequestSerializer(serializers.Serializer):
    requested_on = serializers.DateField()


class HearingScheduleSerializer(serializers.Serializer):
    notice_on = serializers.DateField()
    hearing_on = serializers.DateField()
    place = serializers.CharField()
    chair = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())


class HearingRecordSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    record = serializers.CharField()
    signatories = serializers.ListField(child=serializers.CharField())


class ApproveSerializer(serializers.Serializer):
    approved_on = serializers.DateField()
    amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True
    )
    collective_on = serializers.DateField(required=False, allow_null=True)
    collective_minutes = serializers.CharField(required=False, default="", allow_blank=True)
    legal_review_on = serializers.DateField(required=False, allow_null=True)
    legal_review_opinion = serializers.CharField(required=False, default="", allow_blank=True)


class ExtendSerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=1)
    reason = serializers.CharField()
    on = serializers.DateField()


class DecideSerializer(serializers.Serializer):
    decided_on = serializers.DateField()


class ServeSerializer(serializers.Serializer):
    served_on = serializers.DateField()
    recipient = serializers.CharField()
    recipient_role = serializers.CharField()
    method = serializers.CharField()
    signature = serializers.CharField(required=False, default="", allow_blank=True)


class PaymentSerializer(serializers.Serializer):
    paid_on = serializers.DateField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    kind = serializers.ChoiceField(choices=Payment.Kind.choices)
    receipt = serializers.CharField(required=False, default="", allow_blank=True)


class InstalmentLineSerializer(serializers.Serializer):
    due_on = serializers.DateField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)


class InstalmentsSerializer(serializers.Serializer):
    on = serializers.DateField(help_text="批准日期")
    plan = InstalmentLineSerializer(many=True, allow_empty=False, help_text="按应缴日期先后排列")


class DateOnSerializer(serializers.Serializer):
    on = serializers.DateField()


class CloseSerializer(serializers.Serializer):
    closed_on = serializers.DateField()
    summary = serializers.CharField()


class ReviewSerializer(serializers.Serializer):
    period = serializers.RegexField(r"^\d{4}H[12]$")
    reviewed_on = serializers.DateField()
    scores = serializers.DictField(child=serializers.IntegerField())
    remarks = serializers.CharField(required=False, default="", allow_blank=True)


class LateFeeQuerySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["fee", "fine"])
    principal = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    due = serializers.DateField()
    on = serializers.DateField()


class AssessSerializer(serializers.Serializer):
    circumstances = serializers.ListField(
        child=serializers.CharField(), required=False, default=list
    )
    gains = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True
    )
    base_income = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True
    )
    amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True
    )
    reason = serializers.CharField(required=False, default="", allow_blank=True)


class ViolationSerializer(serializers.ModelSerializer):
    grades = serializers.SerializerMethodField()

    class Meta:
        model = Violation
        fields = [
            "code",
            "name",
            "kind",
            "legal_basis",
            "basis",
            "legal_min",
            "legal_max",
            "min_multiple",
            "max_multiple",
            "gains_threshold",
            "source",
            "confirmed",
            "grades",
        ]

    def get_grades(self, violation: Violation) -> list[dict[str, Any]]:
        return [
            {"grade": g.grade, "low": str(g.low), "high": str(g.high), "factors": g.factors}
            for g in violation.grades.all()
        ]


def _data(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    s = serializer_class(data=request.data)
    s.is_valid(raise_exception=True)
    return dict(s.validated_data)


def _doc_response(doc: CaseDocument) -> dict[str, Any]:
    return {
        "sequence": doc.sequence,
        "form": doc.form,
        "number": doc.number,
        "on": doc.on,
        "voided_on": doc.voided_on,
        "void_reason": doc.void_reason,
    }


class VoidSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="作废理由（必填）")
    on = serializers.DateField(required=False, help_text="作废日期，默认今天")


# -- viewsets ------------------------------------------------------------------------------
class CaseViewSet(
    ActorMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Cases within the caller's scope, and every step of the procedure."""

    serializer_class = CaseSerializer
    permission_classes = [permissions.IsAuthenticated, ModelPermissions]
    queryset = Case.objects.none()
    filterset_fields = ["step", "kind"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Case.objects.none()
        return (
            Case.objects.restrict(self.request.user, "view")
            .select_related("violation", "township", "rule_set", "person")
            .prefetch_related("officers__user", "instalments")
        )

    def _ok(self, case: Case, extra: dict | None = None) -> Response:
        case.refresh_from_db()
        return Response({**CaseSerializer(case).data, **(extra or {})})

    @extend_schema(request=FileSerializer, responses=CaseSerializer)
    def create(self, request: Request) -> Response:
        data = _data(FileSerializer, request)
        person_id = data.pop("person", None)
        person = None
        if person_id:
            person = Person.objects.restrict(request.user, "view").filter(pk=person_id).first()
            if person is None:
                raise ApiValidationError({"person": "找不到该相对人或不在您的管辖范围内"})
        case = services.case_file(actor=request.user, person=person, **data)
        return Response(CaseSerializer(case).data, status=201)

    @extend_schema(request=OnSpotSerializer, responses=CaseSerializer)
    @action(detail=False, methods=["post"], url_path="on-the-spot")
    def on_the_spot(self, request: Request) -> Response:
        """简易程序: decide a small fine on the spot; the case opens at enforcement."""
        data = _data(OnSpotSerializer, request)
        data["person"] = self._person(request, data.pop("person", None))
        case = services.case_decide_on_spot(actor=request.user, **data)
        doc = case.documents.get(form=CaseDocument.Form.DECISION_ON_SPOT)
        return Response({**CaseSerializer(case).data, "document": _doc_response(doc)}, status=201)

    @extend_schema(request=DateOnSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"], url_path="summary-report")
    def summary_report(self, request: Request, pk: str) -> Response:
        case = self.get_object()
        on = _data(DateOnSerializer, request)["on"]
        services.case_report_summary(actor=request.user, case=case, reported_on=on)
        return self._ok(case)

    @staticmethod
    def _person(request: Request, person_id: int | None) -> Person | None:
        if not person_id:
            return None
        person = Person.objects.restrict(request.user, "view").filter(pk=person_id).first()
        if person is None:
            raise ApiValidationError({"person": "找不到该相对人或不在您的管辖范围内"})
        return person

    def _step(self, request: Request, serializer_class, func, **fixed: Any) -> Response:
        case = self.get_object()
        result = func(actor=request.user, case=case, **fixed, **_data(serializer_class, request))
        extra = {"document": _doc_response(result)} if isinstance(result, CaseDocument) else None
        return self._ok(case, extra)

    @extend_schema(request=RecordSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def records(self, request: Request, pk: str) -> Response:
        return self._step(request, RecordSerializer, services.case_record_investigation)

    @extend_schema(request=RecusalSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def recusals(self, request: Request, pk: str) -> Response:
        return self._step(request, RecusalSerializer, services.case_declare_recusal)

    @extend_schema(request=RecusalDecisionSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"], url_path="recusal-decision")
    def recusal_decision(self, request: Request, pk: str) -> Response:
        case = self.get_object()
        data = _data(RecusalDecisionSerializer, request)
        recusal = Recusal.objects.filter(case=case, pk=data.pop("recusal")).first()
        if recusal is None:
            raise ApiValidationError({"recusal": "本案没有该回避申请"})
        services.case_decide_recusal(actor=request.user, recusal=recusal, **data)
        return self._ok(case)

    @extend_schema(request=NoticeSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def notice(self, request: Request, pk: str) -> Response:
        return self._step(request, NoticeSerializer, services.case_serve_notice)

    @extend_schema(request=StatementSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def statement(self, request: Request, pk: str) -> Response:
        return self._step(request, StatementSerializer, services.case_record_statement)

    @extend_schema(request=HearingRequestSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"], url_path="hearing-request")
    def hearing_request(self, request: Request, pk: str) -> Response:
        return self._step(request, HearingRequestSerializer, services.case_request_hearing)

    @extend_schema(request=HearingScheduleSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"], url_path="hearing-schedule")
    def hearing_schedule(self, request: Request, pk: str) -> Response:
        return self._step(request, HearingScheduleSerializer, services.case_schedule_hearing)

    @extend_schema(request=HearingRecordSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"], url_path="hearing-record")
    def hearing_record(self, request: Request, pk: str) -> Response:
        return self._step(request, HearingRecordSerializer, services.case_record_hearing)

    @extend_schema(request=ApproveSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        return self._step(request, ApproveSerializer, services.case_approve)

    @extend_schema(request=ExtendSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request: Request, pk: str) -> Response:
        return self._step(request, ExtendSerializer, services.case_extend_decision)

    @extend_schema(request=DecideSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        return self._step(request, DecideSerializer, services.case_decide)

    @extend_schema(request=ServeSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def serve(self, request: Request, pk: str) -> Response:
        return self._step(request, ServeSerializer, services.case_serve_decision)

    @extend_schema(request=PaymentSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def payments(self, request: Request, pk: str) -> Response:
        return self._step(request, PaymentSerializer, services.case_record_payment)

    @extend_schema(request=InstalmentsSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def instalments(self, request: Request, pk: str) -> Response:
        case = self.get_object()
        data = _data(InstalmentsSerializer, request)
        plan = [(line["due_on"], line["amount"]) for line in data["plan"]]
        services.case_set_instalments(actor=request.user, case=case, plan=plan, on=data["on"])
        return self._ok(case)

    @extend_schema(request=DateOnSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def reminder(self, request: Request, pk: str) -> Response:
        case = self.get_object()
        on = _data(DateOnSerializer, request)["on"]
        doc = services.case_serve_reminder(actor=request.user, case=case, served_on=on)
        return self._ok(case, {"document": _doc_response(doc)})

    @extend_schema(request=DateOnSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def court(self, request: Request, pk: str) -> Response:
        case = self.get_object()
        on = _data(DateOnSerializer, request)["on"]
        doc = services.case_apply_court(actor=request.user, case=case, applied_on=on)
        return self._ok(case, {"document": _doc_response(doc)})

    @extend_schema(request=CloseSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        return self._step(request, CloseSerializer, services.case_close)

    @extend_schema(request=DateOnSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def archive(self, request: Request, pk: str) -> Response:
        case = self.get_object()
        on = _data(DateOnSerializer, request)["on"]
        doc = services.case_archive(actor=request.user, case=case, archived_on=on)
        return self._ok(case, {"document": _doc_response(doc)})

    @extend_schema(request=ReviewSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str) -> Response:
        case = self.get_object()
        review = services.file_review_record(
            actor=request.user, case=case, **_data(ReviewSerializer, request)
        )
        return self._ok(case, {"review": {"period": review.period, "total": str(review.total)}})

    @extend_schema(
        summary="案件各项法定期限及红黄绿状态",
        parameters=[
            OpenApiParameter(
                "today",
                OpenApiTypes.DATE,
                description="以哪一天判断红黄绿（2026-12-01 或 2026/12/01，默认今天）",
            )
        ],
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=True, methods=["get"])
    def deadlines(self, request: Request, pk: str) -> Response:
        try:
            today = parse_date_or_today(request.query_params.get("today"), what="判断日期")
        except DjangoValidationError as exc:
            raise ApiValidationError({"today": exc.messages}) from exc
        return Response(selectors.case_deadlines_document(self.get_object(), today))

    @action(detail=True, methods=["get"])
    def events(self, request: Request, pk: str) -> Response:
        case = self.get_object()
        return Response(
            [
                {
                    "on": e.on,
                    "time": e.time,
                    "step": e.step,
                    "action": e.action,
                    "summary": e.summary,
                    "actor": e.actor_name,
                    "documents": [d.number for d in e.documents.all()],
                }
                for e in case.events.prefetch_related("documents")
            ]
        )

    @action(detail=True, methods=["get"])
    def documents(self, request: Request, pk: str) -> Response:
        case = self.get_object()
        return Response([_doc_response(d) for d in case.documents.order_by("sequence")])

    @action(
        detail=True,
        methods=["get"],
        url_path=r"documents/(?P<sequence>\d+)\.(?P<fmt>docx|pdf)",
    )
    def document_file(self, request: Request, pk: str, sequence: str, fmt: str) -> HttpResponse:
        case = self.get_object()
        doc = case.documents.filter(sequence=int(sequence)).first()
        if doc is None:
            return Response({"detail": "没有该文书"}, status=404)
        body = documents.document_file(doc, fmt, actor=request.user, request=request)
        log_event(
            SecurityEvent.Kind.EXPORT,
            request=request,
            obj=doc,
            detail={"what": "案件文书", "format": fmt, "rows": 1},
        )
        return attachment(body, documents.document_filename(doc, fmt), documents.FORMATS[fmt])

    @extend_schema(request=VoidSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"], url_path=r"documents/(?P<sequence>\d+)/void")
    def document_void(self, request: Request, pk: str, sequence: str) -> Response:
        """Void a wrong record with the reason (kept in the file, marked void)."""
        case = self.get_object()
        doc = case.documents.filter(sequence=int(sequence)).first()
        if doc is None:
            return Response({"detail": "没有该文书"}, status=404)
        services.case_document_void(
            actor=request.user, document=doc, **_data(VoidSerializer, request)
        )
        return self._ok(case, {"document": _doc_response(doc)})

    @action(detail=True, methods=["get"], url_path="file.pdf")
    def file_pdf(self, request: Request, pk: str) -> HttpResponse:
        case = self.get_object()
        log_event(
            SecurityEvent.Kind.EXPORT,
            request=request,
            obj=case,
            detail={"what": "案卷", "rows": case.documents.count()},
        )
        body = documents.case_file_pdf(case, actor=request.user, request=request)
        return attachment(body, documents.case_file_filename(case), PDF_TYPE)

    @action(detail=False, methods=["get"])
    def dashboard(self, request: Request) -> Response:
        today = dt.date.today()
        board = selectors.deadline_board(self.get_queryset(), today=today)

        def rows(entries):
            return [{"case": e["case"], **e["deadline"].as_dict(today)} for e in entries[:200]]

        return Response(
            {
                "cases": board["cases"],
                "colours": board["colours"],
                "by_step": [
                    {"step": s, "label": lbl, "count": n} for s, lbl, n in board["by_step"]
                ],
                "this_week": rows(board["this_week"]),
                "overdue": rows(board["overdue"]),
            }
        )

    @extend_schema(summary="滞纳金、加处罚款计算", parameters=[LateFeeQuerySerializer])
    @action(detail=False, methods=["get"], url_path="late-fee")
    def late_fee(self, request: Request) -> Response:
        s = LateFeeQuerySerializer(data=request.query_params)
        s.is_valid(raise_exception=True)
        data = s.validated_data
        book = selectors.rulebook(selectors.rule_set_in_force(data["due"]))
        result = rules.late_fee(
            kind=data["kind"],
            principal=data["principal"],
            due=data["due"],
            on=data["on"],
            book=book,
        )
        return Response(
            {
                "amount": f"{result.amount:.2f}",
                "arithmetic": result.arithmetic,
                "rule": result.rule,
                "source": result.source,
                "rule_set": book.name,
            }
        )


class ViolationViewSet(ActorMixin, viewsets.ReadOnlyModelViewSet):
    """The discretion catalogue, and the calculator for chosen circumstances."""

    serializer_class = ViolationSerializer
    permission_classes = [permissions.IsAuthenticated, ModelPermissions]
    queryset = Violation.objects.filter(active=True).prefetch_related("grades")
    lookup_field = "code"

    @extend_schema(request=AssessSerializer)
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def assess(self, request: Request, code: str) -> Response:
        if not request.user.has_perm("cases.view_violation"):
            raise PermissionDenied("无权使用裁量计算")
        violation = self.get_object()
        data = _data(AssessSerializer, request)
        result = rules.assess(selectors.violation_spec(violation), **data)
        return Response(result.as_dict())


def register(router) -> None:
    router.register("cases", CaseViewSet, basename="case")
    router.register("violations", ViolationViewSet, basename="violation")
