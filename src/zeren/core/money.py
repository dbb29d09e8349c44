"""Amounts of money as documents write them: in figures and in Chinese capitals (大写).

Both forms come from :func:`yuan`, so a document can never show a figure and a capital
amount that disagree. The capitals follow the rules for writing amounts on instruments of the
People's Bank of China (《支付结算办法》附件一《正确填写票据和结算凭证的基本规定》):

- digits 零壹贰叁肆伍陆柒捌玖, units 拾佰仟万亿, then 元角分; ``10`` is written 壹拾;
- a zero (or a run of zeros) between non-zero digits is written as one 零; zeros at the end
  of the integer part are not written;
- an amount that stops at 元 ends with 整; one with 角 but no 分 is written without 整
  (the rules leave it optional); one with 分 never ends with 整;
- when the 角 digit is 0 and the 分 digit is not, 零 is written after 元 (壹元零贰分);
- an amount under one yuan is written without 元 (伍角陆分); zero is 零元整.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
DIGITS = "零壹贰叁肆伍陆柒捌玖"
SMALL_UNITS = ("仟", "佰", "拾", "")
GROUP_UNITS = ("", "万", "亿", "万亿")
LIMIT = Decimal("10000000000000000")  # 10^16: the largest group unit is 万亿


@dataclass(frozen=True)
class Yuan:
    """One amount in yuan: ``figures`` ("14000.00"), ``capitals`` ("壹万肆仟元整")."""

    value: Decimal
    figures: str
    capitals: str

    @property
    def phrase(self) -> str:
        """人民币14000.00元（大写：壹万肆仟元整）: the form an operative sentence uses."""
        return f"人民币{self.figures}元（大写：{self.capitals}）"

    def __str__(self) -> str:
        return self.figures


def _group(n: int) -> str:
    """Capitals of 0 < n < 10000 without group unit; inner zeros become one 零."""
    text, zero = "", False
    for unit, digit in zip(SMALL_UNITS, f"{n:04d}", strict=True):
        d = int(digit)
        if d == 0:
            zero = bool(text)
            continue
        if zero:
            text += "零"
            zero = False
        text += DIGITS[d] + unit
    return text


def _integer(n: int) -> str:
    groups = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    text = ""
    pending_zero = False
    for index in range(len(groups) - 1, -1, -1):
        g = groups[index]
        if g == 0:
            pending_zero = bool(text)
            continue
        if text and (pending_zero or g < 1000):
            text += "零"
        text += _group(g) + GROUP_UNITS[index]
        pending_zero = False
    return text


def yuan(amount: Decimal | int | str) -> Yuan:
    """The amount in figures (two decimals, no separators) and in Chinese capitals.

    ``amount`` is in yuan; at most two decimals and less than 10^16. Raises ``ValueError``
    (message in Chinese) for a negative amount, more than two decimals, or a non-number.
    """
    try:
        value = Decimal(str(amount))
    except InvalidOperation as exc:
        raise ValueError(f"金额“{amount}”不是数字") from exc
    if not value.is_finite():
        raise ValueError(f"金额“{amount}”不是数字")
    if value < 0:
        raise ValueError(f"金额不能为负数：{amount}")
    cents = value.quantize(CENT, rounding=ROUND_HALF_UP)
    if cents != value:
        raise ValueError(f"金额最多保留两位小数（到分）：{amount}")
    if cents >= LIMIT:
        raise ValueError(f"金额过大：{amount}")
    total = int(cents * 100)
    whole, jiao, fen = total // 100, total // 10 % 10, total % 10
    text = _integer(whole)
    if whole:
        text += "元"
    if jiao == 0 and fen == 0:
        text = (text or "零元") + "整"
    else:
        if jiao:
            text += DIGITS[jiao] + "角"
        elif whole:
            text += "零"
        if fen:
            text += DIGITS[fen] + "分"
    return Yuan(value=cents, figures=f"{cents:.2f}", capitals=text)
