"""An administrator edits a work item's expectation in the admin; the save goes through the
service (its check and its change-log row), and the status follows the new cadence."""

from __future__ import annotations

from tests.conftest import login
from tests.ledger.conftest import item
from zeren.core.audit import ChangeLog
from zeren.ledger.models import Expectation


def test_the_administrator_changes_an_expectation_through_the_service(expectations, admin_user):
    expectation = Expectation.objects.get(work_item=item(1, 1))
    url = f"/admin/ledger/expectation/{expectation.pk}/change/"
    client = login(admin_user)
    page = client.get(url)
    assert page.status_code == 200 and "履职要求" in page.content.decode()
    response = client.post(url, {"cadence": "monthly", "source": "清单第一项：每月报送"})
    assert response.status_code == 302
    expectation.refresh_from_db()
    assert (expectation.cadence, expectation.source) == ("monthly", "清单第一项：每月报送")
    row = ChangeLog.objects.filter(object_id=str(expectation.pk)).latest("id")
    assert row.actor_id == admin_user.pk and row.after["cadence"] == "monthly"
    # A blank source is refused by the service, and nothing changes.
    client.post(url, {"cadence": "yearly", "source": " "})
    expectation.refresh_from_db()
    assert expectation.cadence == "monthly"
    # Expectations are made when a version is loaded: no add, no delete.
    assert client.get("/admin/ledger/expectation/add/").status_code == 403
