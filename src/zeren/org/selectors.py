"""Reads of the organisation that more than one app needs."""

from __future__ import annotations

from zeren.org.models import Department, Division, DocumentSettings


def document_settings(department: Department | None) -> DocumentSettings:
    """The department's document settings; unsaved defaults from its county when not configured.

    The defaults name the county people's government as review body (行政复议法 2023
    第二十四条) and the county people's court (行政诉讼法 第十四条、第十八条), with no bank.
    """
    if department is not None:
        found = DocumentSettings.objects.filter(department=department).first()
        if found is not None:
            return found
    county = department.division.ancestor_at(Division.Level.COUNTY) if department else None
    name = county.name if county else ""
    return DocumentSettings(
        department=department,
        review_body=f"{name}人民政府" if name else "本级人民政府",
        court=f"{name}人民法院" if name else "有管辖权的人民法院",
    )
