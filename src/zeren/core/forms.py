"""Pieces every staff form uses."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError


def show_refusal(form: forms.Form, exc: ValidationError | PermissionDenied) -> None:
    """Put a service's refusal next to the field it names, or above the form.

    A ``ValidationError`` keyed by field (``{"name": [...]}``) goes to each named field that
    the form has; anything else (unkeyed messages, unknown fields, a ``PermissionDenied``)
    goes to the form's non-field errors. Nothing is raised.
    """
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages if isinstance(exc, ValidationError) else [str(exc)])
