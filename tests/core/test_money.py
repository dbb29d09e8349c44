"""Amounts in figures and capitals, worked from the PBoC rules for writing amounts on instruments.

Examples marked "PBoC" are the examples printed in 《正确填写票据和结算凭证的基本规定》.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from zeren.core.money import yuan


@pytest.mark.parametrize(
    ("amount", "figures", "capitals"),
    [
        # stops at 元: ends with 整
        ("14000", "14000.00", "壹万肆仟元整"),
        ("0", "0.00", "零元整"),
        ("1", "1.00", "壹元整"),
        ("10", "10.00", "壹拾元整"),
        ("15", "15.00", "壹拾伍元整"),
        ("200", "200.00", "贰佰元整"),
        ("60000.00", "60000.00", "陆万元整"),
        # one 零 for a zero, or a run of zeros, between digits
        ("1409.50", "1409.50", "壹仟肆佰零玖元伍角"),  # PBoC
        ("6007.14", "6007.14", "陆仟零柒元壹角肆分"),  # PBoC
        ("1680.32", "1680.32", "壹仟陆佰捌拾元叁角贰分"),  # PBoC (零 after 元 optional)
        ("107000.53", "107000.53", "壹拾万柒仟元伍角叁分"),  # PBoC (one of its two forms)
        ("100010", "100010.00", "壹拾万零壹拾元整"),
        ("1001", "1001.00", "壹仟零壹元整"),
        # 角 is 0 and 分 is not: 零 after 元
        ("16409.02", "16409.02", "壹万陆仟肆佰零玖元零贰分"),  # PBoC
        ("325.04", "325.04", "叁佰贰拾伍元零肆分"),
        # under one yuan
        ("0.50", "0.50", "伍角"),
        ("0.05", "0.05", "伍分"),
        ("0.56", "0.56", "伍角陆分"),
        # large amounts: 万 and 亿 groups, zero groups
        ("1000000", "1000000.00", "壹佰万元整"),
        ("100000000", "100000000.00", "壹亿元整"),
        ("100010000", "100010000.00", "壹亿零壹万元整"),
        ("120000005", "120000005.00", "壹亿贰仟万零伍元整"),
        ("9999999999999999.99", "9999999999999999.99", None),
    ],
)
def test_amounts_in_figures_and_capitals(amount, figures, capitals):
    y = yuan(Decimal(amount))
    assert y.figures == figures
    if capitals is not None:
        assert y.capitals == capitals
    else:
        assert y.capitals.startswith("玖仟玖佰玖拾玖万亿") and y.capitals.endswith("玖角玖分")


def test_the_operative_phrase_carries_both_forms():
    assert yuan(Decimal("14000")).phrase == "人民币14000.00元（大写：壹万肆仟元整）"


@pytest.mark.parametrize(
    ("amount", "message"),
    [("-1", "负数"), ("1.005", "两位小数"), ("abc", "不是数字"), ("1e17", "过大")],
)
def test_it_refuses_what_cannot_be_an_amount(amount, message):
    with pytest.raises(ValueError, match=message):
        yuan(amount)
