"""Input formats for Simplified Chinese: ISO first.

Django renders a date widget's value with the *first* input format; its zh_Hans locale puts
``%Y/%m/%d`` first, which ``<input type="date">`` cannot read (the browser shows it empty).
ISO 8601 first keeps the other spellings accepted.
"""

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # '2026-12-01'
    "%Y/%m/%d",  # '2026/12/01'
    "%Y年%m月%d日",  # '2026年12月01日' (strptime accepts 2026年12月1日 too)
]

DATETIME_INPUT_FORMATS = [
    "%Y-%m-%dT%H:%M",  # <input type="datetime-local">
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日 %H:%M:%S",
]
