"""Legal arithmetic of the free certificates, with the worked examples written out."""

from __future__ import annotations

import datetime as dt

import pytest

from zeren.certificates import rules
from zeren.certificates.rules import Status


@pytest.mark.parametrize(
    ("prefix", "year", "serial", "expected"),
    [
        ("隆婚育", 2026, 1, "隆婚育〔2026〕00001"),
        ("隆光荣", 2026, 42, "隆光荣〔2026〕00042"),
        ("隆生登", 2027, 99999, "隆生登〔2027〕99999"),
        ("隆生登", 2027, 100000, "隆生登〔2027〕100000"),
    ],
)
def test_number_is_prefix_year_and_five_digit_serial(prefix, year, serial, expected):
    assert rules.format_number(prefix, year, serial) == expected


def test_serial_zero_is_refused():
    with pytest.raises(ValueError):
        rules.format_number("隆婚育", 2026, 0)


@pytest.mark.parametrize(
    ("issued_on", "years", "last_day"),
    [
        # Valid through the day before the anniversary.
        (dt.date(2026, 3, 1), 3, dt.date(2029, 2, 28)),
        (dt.date(2026, 1, 1), 1, dt.date(2026, 12, 31)),
        (dt.date(2027, 3, 1), 1, dt.date(2028, 2, 29)),  # leap year: 29 Feb is the last day
        (dt.date(2024, 2, 29), 3, dt.date(2027, 2, 27)),  # anniversary falls back to 28 Feb
        (dt.date(2026, 12, 31), 2, dt.date(2028, 12, 30)),
        (dt.date(2026, 3, 1), None, None),  # no expiry
    ],
)
def test_validity_ends_the_day_before_the_anniversary(issued_on, years, last_day):
    assert rules.valid_to(issued_on, years) == last_day


@pytest.mark.parametrize(
    ("status", "expires_on", "day", "expected"),
    [
        (Status.VALID, dt.date(2029, 2, 28), dt.date(2029, 2, 28), Status.VALID),
        (Status.VALID, dt.date(2029, 2, 28), dt.date(2029, 3, 1), Status.EXPIRED),
        (Status.VALID, None, dt.date(2099, 1, 1), Status.VALID),
        (Status.REVOKED, dt.date(2029, 2, 28), dt.date(2030, 1, 1), Status.REVOKED),
        (Status.VOIDED, None, dt.date(2026, 1, 1), Status.VOIDED),
    ],
)
def test_a_valid_certificate_past_its_last_day_reads_as_expired(status, expires_on, day, expected):
    assert rules.status_on(status, expires_on, day) == expected


def test_couple_key_does_not_depend_on_who_is_holder():
    assert rules.couple_key(7, 3) == rules.couple_key(3, 7) == "3-7"


@pytest.mark.parametrize(
    "typed",
    [
        "隆婚育〔2026〕00001",
        "隆婚育[2026]00001",
        "隆婚育(2026)00001",
        "隆婚育（2026）00001",
        "隆婚育【2026】00001",
        "隆婚育［2026］00001",
        "隆婚育 〔2026〕 00001",
        "隆婚育〔２０２６〕００００１",
    ],
)
def test_a_number_typed_with_any_brackets_is_the_issued_number(typed):
    assert rules.normalise_number(typed) == "隆婚育〔2026〕00001"
