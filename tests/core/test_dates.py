"""core.dates: the one reader of typed dates (pages, API parameters, commands)."""

from __future__ import annotations

import argparse
import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from zeren.core.dates import DateField, cli_date, parse_date, parse_date_or_today

D = dt.date


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("2026-12-01", D(2026, 12, 1)),
        ("2026/12/01", D(2026, 12, 1)),
        ("2026/1/5", D(2026, 1, 5)),
        ("2026-1-5", D(2026, 1, 5)),
        (" 2028-02-29 ", D(2028, 2, 29)),  # a leap day
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_accepted_forms(typed, day):
    assert parse_date(typed) == day


@pytest.mark.parametrize(
    "typed",
    [
        "2026-02-30",  # no such day: never moved to 3 March
        "2027-02-29",  # not a leap year
        "2026-13-01",
        "2026-12-1x",
        "2026/12-01",  # mixed separators
        "01/12/2026",
        "20261201",
        "２０２６-12-01",  # full-width digits
        "2026年12月1日",
        "today",
    ],
)
def test_refused_forms_name_the_field_and_the_text(typed):
    with pytest.raises(ValidationError) as caught:
        parse_date(typed, what="追回日期")
    assert caught.value.messages == [
        f"追回日期“{typed}”不是有效日期，应写作 2026-12-01 或 2026/12/01"
    ]


def test_a_field_key_puts_the_message_in_place():
    with pytest.raises(ValidationError) as caught:
        parse_date("x", what="办理期限", field="due_on")
    assert list(caught.value.message_dict) == ["due_on"]


def test_blank_is_today_but_bad_is_never_today(settings):
    from django.utils import timezone

    assert parse_date_or_today("") == timezone.localdate()
    assert parse_date_or_today("2026/3/1") == D(2026, 3, 1)
    with pytest.raises(ValidationError):
        parse_date_or_today("2026-02-30")


def test_commands_read_the_same_forms():
    assert cli_date("2026/12/01") == D(2026, 12, 1)
    with pytest.raises(argparse.ArgumentTypeError, match="不是有效日期"):
        cli_date("2026-02-30")
    with pytest.raises(argparse.ArgumentTypeError, match="不能为空"):
        cli_date("")


def test_the_form_field_reads_the_same_forms():
    field = DateField(label="立案日期")
    assert field.clean("2026/3/5") == D(2026, 3, 5)
    with pytest.raises(ValidationError) as caught:
        field.clean("2026-02-30")
    assert caught.value.messages == [
        "立案日期“2026-02-30”不是有效日期，应写作 2026-12-01 或 2026/12/01"
    ]
    assert DateField(label="x", required=False).clean("") is None
