"""Every irreversible action asks first, naming its consequence (``data-confirm``)."""

from __future__ import annotations

import re
from pathlib import Path

import zeren

ROOT = Path(zeren.__file__).parent
# the URL of each irreversible action, as its form's ``action`` names it in the templates
IRREVERSIBLE = [
    "url 'plan-draw'",  # draw a sample
    "'draw-officers'",  # draw the inspecting officers
    "url 'list-publish'",  # publish a version of the list
    "'revoke'",  # revoke a licence
    "'withdraw'",
    "'cancel'",
    "url 'certificates-action'",  # issue, reissue, revoke a certificate
    "url 'funds-batch-issue'",  # confirm a batch paid
    "url 'funds-beneficiary-terminate'",
    "url 'funds-campaign-close'",
    "url 'case-document-void'",
    "url 'staff-share-revoke'",
    "'close'",  # close a report
]
FORM = re.compile(r"<form\b[^>]*>", re.S)


def _forms() -> list[tuple[Path, str]]:
    return [
        (path, tag)
        for path in ROOT.rglob("templates/**/*.html")
        for tag in FORM.findall(path.read_text(encoding="utf-8"))
    ]


def test_every_irreversible_form_asks_with_a_named_consequence():
    found = {marker: 0 for marker in IRREVERSIBLE}
    missing = []
    for path, tag in _forms():
        for marker in IRREVERSIBLE:
            if marker in tag and "action=" in tag:
                found[marker] += 1
                confirm = re.search(r'data-confirm="([^"]+)"', tag)
                if not confirm or "确定" not in confirm.group(1) or len(confirm.group(1)) < 12:
                    missing.append(f"{path.relative_to(ROOT)}: {tag[:120]}")
    assert not missing, "\n".join(missing)
    assert all(found.values()), [m for m, n in found.items() if not n]


def test_the_case_steps_that_cannot_be_undone_ask_first():
    from zeren.cases.views import ACTIONS

    final = {"approve", "decide", "close", "archive"}
    assert final <= set(ACTIONS)
    for key in final:
        assert ACTIONS[key].confirm.endswith("吗？") and "后" in ACTIONS[key].confirm, key
    template = (ROOT / "cases/templates/cases/_action.html").read_text(encoding="utf-8")
    assert 'data-confirm="{{ p.action.confirm }}"' in template
