"""Sample sizes and the verifiable draw, as worked examples."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zeren.supervision import rules

# (N, ratio, minimum, expected, worked out)
SAMPLE_SIZES = [
    (7, "0.80", 0, 6, "80% × 7 = 5.6 → 6"),
    (0, "0.80", 0, 0, "no subjects → nothing to check"),
    (8, "0", 10, 8, "minimum 10 but only 8 → all 8"),
    (25, "0", 10, 10, "re-birth spot check: at least 10 files"),
    (10, "0.80", 0, 8, "80% × 10 = 8 exactly"),
    (1, "0.80", 0, 1, "80% × 1 = 0.8 → 1"),
    (13, "0.20", 0, 3, "20% × 13 = 2.6 → 3"),
    (5, "0.20", 0, 1, "20% × 5 = 1 exactly"),
    (100, "0.20", 0, 20, "20% × 100 = 20"),
    (3, "1", 0, 3, "everyone followed up"),
    (15, "0.20", 10, 10, "ratio gives 3, minimum gives 10"),
    (1000000, "0.80", 0, 800000, "no float error at scale"),
]


@pytest.mark.parametrize(("n", "ratio", "minimum", "expected", "why"), SAMPLE_SIZES)
def test_sample_size(n, ratio, minimum, expected, why):
    assert rules.sample_size(n, Decimal(ratio), minimum) == expected, why


def test_a_float_ratio_that_is_not_exact_still_rounds_correctly():
    # 0.7 × 10 is 7.000000000000001 in binary floating point; ceil would give 8.
    assert rules.sample_size(10, "0.7", 0) == 7


def test_the_draw_is_reproducible_and_depends_on_the_seed():
    population = list(range(1, 101))
    first = rules.draw("seed-a", population, 10)
    assert first == rules.draw("seed-a", population, 10)
    assert first == rules.draw("seed-a", list(reversed(population)), 10)
    assert first != rules.draw("seed-b", population, 10)
    assert len(set(first)) == 10 and set(first) <= set(population)


def test_the_draw_is_the_documented_hmac_ranking():
    import hashlib
    import hmac

    def score(i: int) -> str:
        return hmac.new(b"s", str(i).encode(), hashlib.sha256).hexdigest()

    assert rules.draw("s", [5, 6, 7, 8], 2) == sorted([5, 6, 7, 8], key=score)[:2]


def test_the_seed_commitment_is_sha256():
    assert rules.seed_hash("abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )


def test_officers_are_picked_from_the_pool_minus_exclusions():
    picked = rules.pick_officers("s", 42, [1, 2, 3, 4], [1, 2], 2)
    assert picked == [3, 4]
    assert rules.pick_officers("s", 42, [1, 2, 3], [1, 2], 2) == [3]


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026-02", dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
        ("2028-02", dt.date(2028, 2, 1), dt.date(2028, 2, 29)),
        ("2026-12", dt.date(2026, 12, 1), dt.date(2026, 12, 31)),
    ],
)
def test_periods(text, start, end):
    assert rules.parse_period(text) == (start, end)


@pytest.mark.parametrize("bad", ["2026-13", "2026-3", "202603", ""])
def test_bad_periods_are_refused(bad):
    with pytest.raises(ValueError, match="YYYY-MM"):
        rules.parse_period(bad)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 3, 31), 1, dt.date(2026, 3, 1)),
        (dt.date(2026, 3, 31), 12, dt.date(2025, 4, 1)),
        (dt.date(2026, 1, 31), 2, dt.date(2025, 12, 1)),
    ],
)
def test_lookback_window(day, months, expected):
    assert rules.months_back(day, months) == expected


@pytest.mark.parametrize(
    ("done", "required", "expected"),
    [(0, 0, None), (3, 6, Decimal("0.5000")), (2, 3, Decimal("0.6667")), (7, 6, Decimal("1.1667"))],
)
def test_attainment(done, required, expected):
    assert rules.attainment(done, required) == expected


@pytest.mark.parametrize(
    ("done", "required", "met"),
    [(6, 6, True), (7, 6, True), (5, 6, False), (0, 0, None), (3, 0, None)],
)
def test_an_indicator_is_met_when_done_reaches_required(done, required, met):
    from zeren.supervision.rules import indicator_met

    assert indicator_met(done, required) is met
