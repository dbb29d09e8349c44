"""The shared checker of staff pages' visible text: no English word, raw dict or internal id.

``problems(text)`` lists what a reader should not meet; ``assert_readable(page)`` reads what
Chromium renders (``innerText``: closed ``<details>``, hidden menus and tooltips are not text a
reader sees) and fails with the page's address and each offending excerpt.
"""

from __future__ import annotations

import re

# Latin words a Chinese government page legitimately carries: formats, standards, protocols.
ALLOWED = {
    "PDF", "Excel", "Word", "CSV", "JSON", "API", "IP", "ID", "SM2", "SM3", "SM4", "GCM",
    "HMAC", "SHA", "TOTP", "PNG", "WPS", "GB", "QQ", "APP", "OK", "Token",
}  # fmt: skip
WORD = re.compile(r"(?<![A-Za-z0-9_./-])[A-Za-z][A-Za-z]{2,}(?![A-Za-z0-9_])")
RAW_DICT = re.compile(r"\{\s*['\"]|['\"]\s*:\s*['\"\[{]|\[\s*\{")
INTERNAL_ID = re.compile(r"#\d+\b|\b(?:pk|id)\s*[=:：]\s*\d+|\b\w+_id\b|\b[a-z]+\.[A-Z][a-z]+\b")
# Values that are data, not language: e-mail and web addresses, file names, hex digests.
DATA = re.compile(
    r"\S+@\S+|https?://\S+|/[\w/.-]*|\b[\w-]+\.(?:xlsx|docx|pdf|json|csv|png)\b|\b[0-9a-f]{16,}\b",
    re.I,
)


def problems(text: str, allowed: set[str] = frozenset()) -> list[str]:
    """Each English word, raw dict or internal id in ``text``, with a little context; words in
    ``allowed`` (data such as the user's own login) pass."""
    found = []
    scrubbed = DATA.sub(" ", text)
    for pattern, what in ((WORD, "英文"), (RAW_DICT, "原始数据"), (INTERNAL_ID, "内部编号")):
        for m in pattern.finditer(scrubbed):
            if what == "英文" and (m.group(0) in ALLOWED or m.group(0) in allowed):
                continue
            start, end = max(m.start() - 15, 0), m.end() + 15
            found.append(f"{what}：{m.group(0)!r} 在 “{scrubbed[start:end].strip()}”")
    return found


def assert_readable(page, allowed: set[str] = frozenset()) -> None:
    """Fail when the rendered page shows an English word, a raw dict or an internal id."""
    text = page.evaluate("() => document.body.innerText")
    found = problems(text, allowed)
    assert not found, f"{page.url}:\n" + "\n".join(found[:20])
