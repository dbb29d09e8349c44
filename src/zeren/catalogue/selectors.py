"""Reads of the responsibility list shared by the portal, the API, the CLI and exports."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

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


def published_versions(department_id: int | None = None) -> QuerySet[ListVersion]:
    qs = ListVersion.objects.filter(status=ListVersion.Status.PUBLISHED).select_related(
        "department", "published_by"
    )
    if department_id is not None:
        qs = qs.filter(department_id=department_id)
    return qs.order_by("department_id", "-number")


def latest_published(department_id: int | None = None) -> ListVersion | None:
    """The newest published version (of the given department, or of the first bureau)."""
    return published_versions(department_id).order_by("department__code", "-number").first()


def version_contents(version: ListVersion) -> dict[str, list]:
    """Every part of a version with its children, in a fixed small number of queries.

    A published version never changes (editing one is refused), so its contents are read once
    and kept in the Django cache under the version's id (local memory by default, Redis in
    production); publishing makes a new version, hence a new key. Drafts are always read.
    """
    if version.status != ListVersion.Status.PUBLISHED:
        return _read_contents(version)
    return cache.get_or_set(f"zeren:list:{version.pk}:contents", lambda: _read_contents(version))


def _read_contents(version: ListVersion) -> dict[str, list]:
    return {
        "duties": list(
            Duty.objects.filter(version=version).prefetch_related(
                Prefetch("work_items", queryset=WorkItem.objects.select_related("section"))
            )
        ),
        "boundaries": list(
            Boundary.objects.filter(version=version).prefetch_related(
                Prefetch(
                    "divisions", queryset=BoundaryDivision.objects.select_related("department")
                )
            )
        ),
        "services": list(PublicService.objects.filter(version=version).select_related("section")),
        "regimes": list(
            Regime.objects.filter(version=version).prefetch_related(
                Prefetch("sections", queryset=RegimeSection.objects.all())
            )
        ),
    }


def version_document(version: ListVersion) -> dict[str, Any]:
    """The version in the stable export shape."""
    parts = version_contents(version)
    return {
        "department": version.department.name,
        "version": version.number,
        "published_at": (
            timezone.localtime(version.published_at).isoformat() if version.published_at else None
        ),
        "duties": [
            {
                "number": d.number,
                "text": d.text,
                "work_items": [
                    {"text": w.text, "section": w.section.name} for w in d.work_items.all()
                ],
            }
            for d in parts["duties"]
        ],
        "boundaries": [
            {
                "matter": b.matter,
                "divisions": [
                    {"department": v.department.short_name, "duties": v.duties}
                    for v in b.divisions.all()
                ],
                "basis": b.basis,
                "cases": b.cases,
            }
            for b in parts["boundaries"]
        ],
        "services": [
            {
                "number": s.number,
                "name": s.name,
                "content": s.content,
                "section": s.section.name,
                "phone": s.phone,
            }
            for s in parts["services"]
        ],
        "regimes": [
            {
                "number": r.number,
                "title": r.title,
                "sections": [{"heading": p.heading, "text": p.text} for p in r.sections.all()],
            }
            for r in parts["regimes"]
        ],
    }


def search(version: ListVersion, query: str) -> dict[str, list]:
    """Chinese substring search across every part of one version."""
    q = query.strip()
    if not q:
        return {"duties": [], "work_items": [], "boundaries": [], "services": [], "regimes": []}
    return {
        "duties": list(Duty.objects.filter(version=version, text__contains=q)),
        "work_items": list(
            WorkItem.objects.filter(duty__version=version)
            .filter(Q(text__contains=q) | Q(section__name__contains=q))
            .select_related("duty", "section")
        ),
        "boundaries": list(
            Boundary.objects.filter(version=version)
            .filter(
                Q(matter__contains=q)
                | Q(basis__contains=q)
                | Q(cases__contains=q)
                | Q(divisions__duties__contains=q)
                | Q(divisions__department__short_name__contains=q)
            )
            .distinct()
            .prefetch_related(
                Prefetch(
                    "divisions", queryset=BoundaryDivision.objects.select_related("department")
                )
            )
        ),
        "services": list(
            PublicService.objects.filter(version=version)
            .filter(
                Q(name__contains=q)
                | Q(content__contains=q)
                | Q(section__name__contains=q)
                | Q(phone__contains=q)
            )
            .select_related("section")
        ),
        "regimes": list(
            RegimeSection.objects.filter(regime__version=version)
            .filter(Q(text__contains=q) | Q(heading__contains=q) | Q(regime__title__contains=q))
            .select_related("regime")
        ),
    }


def check_law(version: ListVersion) -> dict[str, Any]:
    """The published list's conflicts with the law in force (``zeren list check-law``).

    Returns ``{"version": N, "conflicts": [{code, title, places, applied, source}]}``; each
    place is ``{regime, regime_title, heading, list_text, law}`` where the list's words were
    found. A conflict whose words no longer appear (a corrected list) is left out. The list
    itself is never altered. Sources: see :mod:`zeren.catalogue.lawcheck`.
    """
    from zeren.catalogue.lawcheck import CONFLICTS, squeeze

    regimes = {r.number: r for r in version_contents(version)["regimes"]}
    found = []
    for conflict in CONFLICTS:
        places = []
        for phrase in conflict.phrases:
            regime = regimes.get(phrase.regime)
            for section in regime.sections.all() if regime else []:
                if phrase.text in squeeze(section.text):
                    places.append(
                        {
                            "regime": regime.number,
                            "regime_title": regime.title,
                            "heading": section.heading,
                            "list_text": phrase.text,
                            "law": phrase.law,
                        }
                    )
        if places:
            found.append(
                {
                    "code": conflict.code,
                    "title": conflict.title,
                    "places": places,
                    "applied": conflict.applied,
                    "source": conflict.source,
                }
            )
    return {"version": version.number, "conflicts": found}


def conflicts_by_regime(version: ListVersion) -> dict[int, list[dict[str, Any]]]:
    """The conflicts of :func:`check_law` grouped by the regime they were found in."""
    grouped: dict[int, list[dict[str, Any]]] = {}
    for conflict in check_law(version)["conflicts"]:
        for place in conflict["places"]:
            grouped.setdefault(place["regime"], []).append({**conflict, "place": place})
    return grouped
