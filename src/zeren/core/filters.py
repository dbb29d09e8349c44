"""The base of every list page's filter form: compact Bootstrap fields and a township choice
limited to what the user may see."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet


class ScopedFilterSet(django_filters.FilterSet):
    """Pass ``townships=`` (already limited to the user's jurisdiction) to narrow the choice."""

    def __init__(self, *args: Any, townships: QuerySet | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if townships is not None and "township" in self.filters:
            self.filters["township"].queryset = townships
        for field in self.form.fields.values():
            widget = field.widget
            small = (
                "form-select form-select-sm"
                if isinstance(widget, forms.Select)
                else ("form-control form-control-sm")
            )
            widget.attrs.setdefault("class", small)
            if isinstance(field, forms.DateField):
                widget.input_type = "date"
