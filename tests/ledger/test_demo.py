"""Acceptance: on the demo data every item the demo's capabilities exercised shows automatic
records, through the CLI exactly as the issue prints it."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from zeren.cli import main
from zeren.demo import load_demo
from zeren.ledger.models import Record
from zeren.supervision.models import InspectionTask, Result

# Which capability feeds which item (duty, order) in the demo (the mapping is data:
# zeren.ledger.seed.EVENT_MAPPINGS, migration ledger/0002).
FED_BY_DEMO = {
    (2, 2): "supervision: sampling plans drawn, inspection tasks given a result",
    (3, 2): "cases: a case closed",
    (3, 3): "funds: verification results recorded",
    (9, 2): "certificates: certificates issued",
    (5, 2): "statistics: an alert raised",
    (3, 4): "statistics: an alert raised",
    (5, 4): "statistics: births registered in bulk",
    (5, 1): "statistics: births registered in bulk",
}


@pytest.mark.slow
@pytest.mark.django_db
def test_the_demo_status_lists_25_items_and_shows_what_the_capabilities_did(capsys):
    load_demo(progress=lambda _message: None)
    year = str(timezone.localdate().year)
    assert main(["ledger", "status", "--period", year, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["period"] == year and len(data["items"]) == 25
    by_key: dict[tuple[int, int], dict] = {}
    for duty in range(1, 10):
        rows = [i for i in data["items"] if i["duty"] == duty]
        for order, row in enumerate(rows, start=1):
            by_key[(duty, order)] = row
    assert all(row["section"] for row in data["items"])
    unfed = {k: who for k, who in FED_BY_DEMO.items() if by_key[k]["automatic"] == 0}
    assert not unfed, unfed
    others = [row for k, row in by_key.items() if k not in FED_BY_DEMO]
    assert all(row["automatic"] == 0 for row in others)
    # The demo's manual records (plan, meeting, training ...) make those items show work.
    assert by_key[(2, 1)]["status"] == "performed" and by_key[(2, 1)]["automatic"] == 0
    assert any(row["status"] == "silent" for row in data["items"])
    # The demo's inspections go through the service: each task with a result is one record.
    done = InspectionTask.objects.exclude(result=Result.PENDING)
    assert done.exists()
    results = Record.objects.filter(source="automatic", event_key="supervision.task_result")
    assert sorted(int(pk) for pk in results.values_list("object_id", flat=True)) == sorted(
        done.values_list("pk", flat=True)
    )
