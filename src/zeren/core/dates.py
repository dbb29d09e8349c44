"""Reading a date typed by a person: in a form field, a query parameter or a command option.

One parser for every page, API parameter and command, so that every place accepts the same
forms and refuses a bad one with the same Chinese message (a test forbids private copies).
Accepted: the ISO form ``2026-12-01`` and the slash form ``2026/12/01`` that spreadsheets and
people write, with or without leading zeros (``2026/1/5``), ASCII digits, surrounding blanks
ignored. A date that does not exist (``2026-02-30``) is refused, never moved to a neighbour.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

_FORM = re.compile(r"(\d{4})([-/])(\d{1,2})\2(\d{1,2})", re.ASCII)
FORMS = "2026-12-01 或 2026/12/01"


def bad_date_message(raw: str, what: str = "日期") -> str:
    """The one Chinese message for a date that cannot be read."""
    return f"{what}“{raw}”不是有效日期，应写作 {FORMS}"


def parse_date(raw: str | None, *, what: str = "日期", field: str | None = None) -> dt.date | None:
    """``raw`` as a ``datetime.date``; ``None`` when blank (``None``, empty or spaces).

    Raises ``django.core.exceptions.ValidationError`` naming ``what`` (e.g. 「追回日期」) and
    the text as typed when it is not one of the accepted forms or names a day that does not
    exist; keyed by ``field`` when given (``{field: [message]}``), so a form shows it in place.
    """
    text = (raw or "").strip()
    if not text:
        return None
    match = _FORM.fullmatch(text)
    day = None
    if match:
        try:
            day = dt.date(int(match[1]), int(match[3]), int(match[4]))
        except ValueError:
            day = None
    if day is None:
        message = bad_date_message(text, what)
        raise ValidationError({field: [message]} if field else message, code="invalid_date")
    return day


def parse_date_or_today(
    raw: str | None, *, what: str = "日期", field: str | None = None
) -> dt.date:
    """A typed date, or today (Asia/Shanghai, the project's time zone) when left blank.

    A bad date raises ``ValidationError`` (see ``parse_date``): it is never silently replaced
    by today.
    """
    from django.utils import timezone

    return parse_date(raw, what=what, field=field) or timezone.localdate()


def cli_date(raw: str) -> dt.date:
    """``argparse`` type for a command option; a bad date is the same message as a usage error."""
    try:
        day = parse_date(raw)
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(exc.messages[0]) from exc
    if day is None:
        raise argparse.ArgumentTypeError(f"日期不能为空，应写作 {FORMS}")
    return day


class DateField(forms.DateField):
    """A form's date field read by ``parse_date`` (a date picker in the page; typed text in
    either accepted form also passes), refusing a bad date with the same message."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def to_python(self, value: object) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        return parse_date(str(value), what=str(self.label or "日期"))


@extend_schema_field(OpenApiTypes.DATE)
class ApiDateField(serializers.Field):
    """A REST API date read by ``parse_date`` (same forms, same Chinese message as pages);
    answers ``YYYY-MM-DD``. Blank is refused as required unless ``allow_null``."""

    default_error_messages = {"required": "该字段是必填项。", "null": "该字段不能为空。"}

    def to_internal_value(self, data: object) -> dt.date:
        if isinstance(data, dt.datetime):
            return data.date()
        if isinstance(data, dt.date):
            return data
        if not isinstance(data, str):
            raise serializers.ValidationError(
                bad_date_message(str(data), str(self.label or "日期"))
            )
        try:
            day = parse_date(data, what=str(self.label or "日期"))
        except ValidationError as exc:
            raise serializers.ValidationError(exc.messages[0]) from exc
        if day is None:
            self.fail("required")
        return day

    def to_representation(self, value: dt.date) -> str:
        return value.isoformat()
