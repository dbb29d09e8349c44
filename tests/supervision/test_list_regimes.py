"""Each supervision regime is linked to the regime of the list it carries out (清单 四)."""

from __future__ import annotations

import pytest

from tests.conftest import login
from zeren.catalogue.models import Regime
from zeren.catalogue.selectors import latest_published
from zeren.catalogue.services import list_draft_start, list_publish
from zeren.supervision.models import SupervisionRegime
from zeren.supervision.seed import LIST_REGIMES, link_list_regimes
from zeren.supervision.services import regimes_link_list

pytestmark = pytest.mark.django_db

# The seed's regimes and the list's section 四 numbers, read off each regime's cited source
# (清单 四、事中事后监管制度（一）非医学需要的终止妊娠手术事项监管、（二）再生育、（三）奖励扶助金).
EXPECTED = {
    "termination-followup": 1,
    "termination-special": 1,
    "rebirth-spot-check": 2,
    "rebirth-followup": 2,
    "fund-payment-check": 3,
    "fund-full-verification": 3,
}


def _numbers() -> dict[str, int]:
    return {
        r.code: r.list_regime.number
        for r in SupervisionRegime.objects.select_related("list_regime")
        if r.list_regime is not None
    }


def test_every_seeded_regime_is_linked_to_its_list_regime_of_the_published_list():
    version = latest_published()
    assert _numbers() == EXPECTED
    for regime in SupervisionRegime.objects.select_related("list_regime"):
        assert regime.list_regime.version_id == version.pk
        assert regime.list_regime.title == LIST_REGIMES[regime.code][1]


def test_the_migrations_matching_links_unlinked_regimes_and_is_idempotent():
    SupervisionRegime.objects.update(list_regime=None)
    assert link_list_regimes(SupervisionRegime, Regime) == len(EXPECTED)
    assert _numbers() == EXPECTED
    assert link_list_regimes(SupervisionRegime, Regime) == 0


def test_publishing_a_new_list_version_moves_the_links_to_it(head):
    old = latest_published()
    draft = list_draft_start(actor=head, department=old.department)
    new = list_publish(actor=head, version=draft, summary="新版本")
    assert new.pk != old.pk
    linked_versions = set(SupervisionRegime.objects.values_list("list_regime__version", flat=True))
    assert linked_versions == {new.pk}
    assert _numbers() == EXPECTED
    assert regimes_link_list() == 0


def test_a_regime_without_a_list_match_stays_unlinked():
    SupervisionRegime.objects.filter(code="fund-payment-check").update(list_regime=None)
    Regime.objects.filter(number=3).update(title="另一项制度")
    regimes_link_list()
    assert SupervisionRegime.objects.get(code="fund-payment-check").list_regime is None


def test_the_regime_page_shows_the_list_regime(head):
    page = login(head).get("/staff/supervision/regimes/").content.decode()
    assert "四、事中事后监管制度（2）再生育事项监管" in page
    assert 'href="/regimes/2/"' in page
