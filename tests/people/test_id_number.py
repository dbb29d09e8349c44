"""GB 11643-1999 identity numbers: check digit, birth date and sex (worked examples)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zeren.people.rules import InvalidIdNumber, check_digit, make_id_number, parse_id_number

VALID = [
    # number, birth date, sex
    ("11010519491231002X", dt.date(1949, 12, 31), "F"),
    ("440524188001010014", dt.date(1880, 1, 1), "M"),
    ("130525199001010011", dt.date(1990, 1, 1), "M"),
    ("11010519491231002x", dt.date(1949, 12, 31), "F"),  # lower-case x is accepted
]


@pytest.mark.parametrize(("number", "birth", "sex"), VALID)
def test_it_accepts_valid_numbers_and_derives_birth_and_sex(number, birth, sex):
    parsed = parse_id_number(number)
    assert (parsed.birth_date, parsed.sex, parsed.value) == (birth, sex, number.upper())


INVALID = [
    ("110105194912310021", "校验位错误（应为X）"),
    ("44052418800101001", "应为18位"),
    ("4405241880010100145", "应为18位"),
    ("44052418800101001A", "末位应为数字或X"),
    ("440524188002300014", "出生日期18800230不存在"),
    ("440524290001010014", "不合理"),
    ("", "应为18位"),
]


@pytest.mark.parametrize(("number", "message"), INVALID)
def test_it_refuses_invalid_numbers_with_the_reason(number, message):
    with pytest.raises(InvalidIdNumber, match=message):
        parse_id_number(number)


def test_check_digit_follows_iso_7064_mod_11_2():
    # Weighted sum of 11010519491231002 is 167; 167 mod 11 = 2, which maps to X.
    assert check_digit("11010519491231002") == "X"
    assert check_digit("44052418800101001") == "4"


@given(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2020, 12, 31)),
    st.integers(min_value=0, max_value=999),
)
def test_every_made_number_parses_back(birth, sequence):
    number = make_id_number("130525", birth, sequence)
    parsed = parse_id_number(number)
    assert parsed.birth_date == birth
    assert parsed.sex == ("M" if sequence % 2 else "F")


@given(st.text(alphabet="0123456789X", min_size=18, max_size=18))
def test_a_changed_digit_is_caught(number):
    try:
        parsed = parse_id_number(number)
    except InvalidIdNumber:
        return
    # Whatever parses must have the right check digit.
    assert parsed.value[17] == check_digit(parsed.value[:17])


TYPED = [
    # as typed, read as
    ("１３０５２５１９９００１０１００１１", "130525199001010011"),  # full-width digits
    ("130525 19900101 0011", "130525199001010011"),  # spaces between groups
    ("\u3000130525199001010011\u00a0", "130525199001010011"),  # ideographic and no-break
    ("11010519491231002ｘ", "11010519491231002X"),  # full-width lower-case x
    ("1305251990\u200b01010011", "130525199001010011"),  # zero-width space
]


@pytest.mark.parametrize(("typed", "value"), TYPED)
def test_full_width_digits_and_stray_spaces_are_normalised(typed, value):
    assert parse_id_number(typed).value == value


NOT_DIGITS = [
    ("13052519900101001¹", "第18位“¹”"),  # superscript one (NFKC would make it 1: refused)
    ("1305251990010100①1", "第17位“①”"),  # circled digit
    ("13052519900101٠011", "第15位“٠”"),  # Arabic-Indic zero
    ("13052519900101OO11", "前17位应为数字"),  # letter O for zero
]


@pytest.mark.parametrize(("typed", "where"), NOT_DIGITS)
def test_any_other_character_is_refused_naming_it(typed, where):
    with pytest.raises(InvalidIdNumber, match=where):
        parse_id_number(typed)
