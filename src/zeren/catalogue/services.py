"""Writes for the responsibility list: import into the draft, publish, start a new draft."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from zeren.catalogue.documents import DocumentError, validate_document
from zeren.catalogue.models import (
    Boundary,
    BoundaryDivision,
    Duty,
    ListVersion,
    PublicService,
    Regime,
    RegimeSection,
    WorkItem,
)
from zeren.catalogue.selectors import version_document
from zeren.core import sequences, transitions
from zeren.core.audit import acting_as
from zeren.core.permissions import require
from zeren.org.models import Department, Section

SEED_FILE = Path(__file__).parent / "seed" / "longyao.json"


def bureau_by_name(name: str) -> Department:
    try:
        return Department.objects.select_related("division").get(
            name=name, kind=Department.Kind.BUREAU
        )
    except Department.DoesNotExist:
        raise DocumentError([f"department：系统中没有名为“{name}”的本局部门"]) from None


def draft_for(department: Department) -> ListVersion | None:
    return ListVersion.objects.filter(
        department=department, status=ListVersion.Status.DRAFT
    ).first()


def list_draft_start(*, actor: Any, department: Department) -> ListVersion:
    """The department's draft; a new one starts as a copy of the latest published version."""
    require(actor, "catalogue.change_listversion", "无权编辑责任清单")
    existing = draft_for(department)
    if existing is not None:
        return existing
    latest = (
        ListVersion.objects.filter(department=department, status=ListVersion.Status.PUBLISHED)
        .order_by("-number")
        .first()
    )
    with transaction.atomic(), acting_as(actor):
        draft = ListVersion.objects.create(
            department=department,
            title=latest.title if latest else f"{department.name}责任清单",
        )
        if latest is not None:
            _write_contents(draft, version_document(latest))
    return draft


def _write_contents(version: ListVersion, doc: dict[str, Any]) -> None:
    """Replace the version's contents with ``doc`` (already validated)."""
    department = version.department
    sections = {s.name: s for s in Section.objects.filter(department=department)}
    departments = {d.short_name: d for d in Department.objects.filter(division=department.division)}
    version.duties.all().delete()
    version.boundaries.all().delete()
    version.services.all().delete()
    version.regimes.all().delete()
    for duty_doc in doc["duties"]:
        duty = Duty.objects.create(
            version=version, number=duty_doc["number"], text=duty_doc["text"]
        )
        for order, item in enumerate(duty_doc["work_items"], start=1):
            WorkItem.objects.create(
                duty=duty, order=order, text=item["text"], section=sections[item["section"]]
            )
    for number, b_doc in enumerate(doc["boundaries"], start=1):
        boundary = Boundary.objects.create(
            version=version,
            number=number,
            matter=b_doc["matter"],
            basis=b_doc["basis"],
            cases=b_doc["cases"],
        )
        for order, div in enumerate(b_doc["divisions"], start=1):
            BoundaryDivision.objects.create(
                boundary=boundary,
                order=order,
                department=departments[div["department"]],
                duties=div["duties"],
            )
    for s_doc in doc["services"]:
        PublicService.objects.create(
            version=version,
            number=s_doc["number"],
            name=s_doc["name"],
            content=s_doc["content"],
            section=sections[s_doc["section"]],
            phone=s_doc["phone"],
        )
    for r_doc in doc["regimes"]:
        regime = Regime.objects.create(
            version=version, number=r_doc["number"], title=r_doc["title"]
        )
        for order, part in enumerate(r_doc["sections"], start=1):
            RegimeSection.objects.create(
                regime=regime, order=order, heading=part["heading"], text=part["text"]
            )


def list_import(*, actor: Any, data: Any) -> ListVersion:
    """Validate a whole document and make it the department's draft; nothing changes on error."""
    require(actor, "catalogue.change_listversion", "无权编辑责任清单")
    if not isinstance(data, dict) or not isinstance(data.get("department"), str):
        raise DocumentError(["department：应为本局部门的全称"])
    department = bureau_by_name(data["department"].strip())
    doc = validate_document(
        data,
        sections=set(Section.objects.filter(department=department).values_list("name", flat=True)),
        departments=set(
            Department.objects.filter(division=department.division).values_list(
                "short_name", flat=True
            )
        ),
    )
    with transaction.atomic(), acting_as(actor):
        draft = draft_for(department) or ListVersion.objects.create(
            department=department, title=data.get("title") or f"{department.name}责任清单"
        )
        _write_contents(draft, doc)
    return draft


LIST_VERSION_KIND = "清单版本"


def list_publish(*, actor: Any, version: ListVersion, summary: str) -> ListVersion:
    """Turn the draft into the next numbered version; published versions never change."""
    require(actor, "catalogue.publish_listversion", "无权发布责任清单")
    summary = summary.strip()
    if not summary:
        raise ValidationError({"summary": "请填写修订说明"})
    with transaction.atomic(), acting_as(actor):
        # Two publishers at once: the second is told who published it and when.
        locked = transitions.lock(
            ListVersion(pk=version.pk),
            field="status",
            expected=[ListVersion.Status.DRAFT],
            doing="再次发布",
        )
        if not locked.duties.exists():
            raise ValidationError("草稿没有任何主要职责，不能发布")
        # One counter per department for all years (version numbers never restart).
        locked.number = sequences.next_value(
            authority=locked.department.code, kind=LIST_VERSION_KIND, year=0
        )
        locked.status = ListVersion.Status.PUBLISHED
        locked.summary = summary
        locked.published_at = timezone.now()
        locked.published_by = actor if getattr(actor, "pk", None) else None
        locked.save()
    return locked


def list_load_seed(*, actor: Any = None, path: Path = SEED_FILE) -> ListVersion | None:
    """Load and publish the seed list once; does nothing if the department already has one."""
    data = json.loads(path.read_text(encoding="utf-8"))
    department = bureau_by_name(data["department"])
    if ListVersion.objects.filter(department=department).exists():
        return None
    with transaction.atomic():
        draft = list_import(actor=actor, data=data)
        return list_publish(
            actor=actor, version=draft, summary="首次发布：依据隆尧县计生局责任清单原文逐条录入"
        )


def list_item_update(
    *, actor: Any, item: models.Model, version: ListVersion, seen: str | None = None
) -> models.Model:
    """Save a draft entry (duty, work item, service, regime section) changed by an edit form.

    ``item`` holds the new values (an unsaved ``ModelForm.save(commit=False)``); ``seen`` is the
    version the editor loaded. Under the draft's row lock: refused (``PermissionDenied``) if the
    draft was published meanwhile, and with ``core.transitions.TransitionConflict`` if someone
    saved the entry since. The entry and its change-log row commit together or not at all.
    """
    require(actor, "catalogue.change_listversion", "无权编辑清单")
    with transaction.atomic(), acting_as(actor):
        ensure_editable(ListVersion.objects.select_for_update().get(pk=version.pk))
        transitions.check_unchanged(item, seen=seen, doing="编辑")
        item.save()
    return item


def ensure_editable(version: ListVersion) -> None:
    if not version.is_draft:
        raise PermissionDenied("已发布的版本不能修改，请先新建草稿")
