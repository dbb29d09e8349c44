from __future__ import annotations

from rest_framework import serializers

from zeren.org.models import Department, Division, EnforcementCertificate, Officer, Section
from zeren.people.models import Person


class DivisionSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Division
        fields = ["id", "code", "name", "level", "parent"]


class SectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Section
        fields = ["id", "name", "phone"]


class DepartmentSerializer(serializers.ModelSerializer):
    division = serializers.SlugRelatedField(slug_field="code", read_only=True)
    sections = SectionSerializer(many=True, read_only=True)

    class Meta:
        model = Department
        fields = ["id", "code", "name", "short_name", "kind", "division", "sections"]


class EnforcementCertificateSerializer(serializers.ModelSerializer):
    """An officer's enforcement certificate (行政执法证); ``Certificate`` is a free certificate."""

    class Meta:
        model = EnforcementCertificate
        fields = ["number", "valid_from", "valid_to", "revoked_on"]


class OfficerSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.__str__", read_only=True)
    section = serializers.CharField(source="user.section.name", read_only=True, default=None)
    certificates = EnforcementCertificateSerializer(many=True, read_only=True)

    class Meta:
        model = Officer
        fields = ["id", "name", "section", "certificates"]


class PersonSerializer(serializers.ModelSerializer):
    """Identity number and phone are write-only; reads get the masked forms."""

    # Checked by the service (GB 11643, after removing stray spaces and full-width forms).
    id_number = serializers.CharField(write_only=True, max_length=40)
    phone = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=20)
    id_number_masked = serializers.CharField(read_only=True)
    phone_masked = serializers.CharField(read_only=True)
    birth_year = serializers.IntegerField(read_only=True, help_text="出生年份（不提供出生日期）")
    division = serializers.SlugRelatedField(slug_field="code", queryset=Division.objects.all())

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "id_number",
            "id_number_masked",
            "sex",
            "birth_year",
            "phone",
            "phone_masked",
            "address",
            "division",
        ]
        read_only_fields = ["sex"]


class PersonUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, max_length=50)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=20)
    address = serializers.CharField(required=False, allow_blank=True, max_length=200)
    division = serializers.SlugRelatedField(
        slug_field="code", queryset=Division.objects.all(), required=False
    )


class RevealSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, help_text="查看事由（必填，记入安全日志）")


class RevealedSerializer(serializers.Serializer):
    id_number = serializers.CharField()
    phone = serializers.CharField(allow_blank=True)


# --- the list (matches the JSON export shape) ----------------------------------------------


class WorkItemDocSerializer(serializers.Serializer):
    text = serializers.CharField()
    section = serializers.CharField()


class DutyDocSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    text = serializers.CharField()
    work_items = WorkItemDocSerializer(many=True)


class DivisionDocSerializer(serializers.Serializer):
    department = serializers.CharField()
    duties = serializers.CharField()


class BoundaryDocSerializer(serializers.Serializer):
    matter = serializers.CharField()
    divisions = DivisionDocSerializer(many=True)
    basis = serializers.CharField()
    cases = serializers.CharField(allow_blank=True)


class ServiceDocSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    name = serializers.CharField()
    content = serializers.CharField()
    section = serializers.CharField()
    phone = serializers.CharField()


class RegimeSectionDocSerializer(serializers.Serializer):
    heading = serializers.CharField(allow_blank=True)
    text = serializers.CharField()


class RegimeDocSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()
    sections = RegimeSectionDocSerializer(many=True)


class ListDocumentSerializer(serializers.Serializer):
    department = serializers.CharField()
    version = serializers.IntegerField()
    published_at = serializers.DateTimeField()
    duties = DutyDocSerializer(many=True)
    boundaries = BoundaryDocSerializer(many=True)
    services = ServiceDocSerializer(many=True)
    regimes = RegimeDocSerializer(many=True)


class ListVersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField()
    published_at = serializers.DateTimeField()
