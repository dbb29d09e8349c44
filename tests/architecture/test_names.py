"""Names that say one thing: no two models, and no two API schema components, share a name.

Two models called ``Certificate`` (an officer's enforcement certificate, a free certificate)
made the schema's components collide; the officer's is now ``org.EnforcementCertificate``.
"""

from __future__ import annotations

import collections

import pytest
from django.apps import apps

KNOWN: dict[str, list[str]] = {}


def test_no_two_models_share_a_name():
    by_name = collections.defaultdict(list)
    for model in apps.get_models():
        if model.__module__.startswith("zeren."):
            by_name[model.__name__].append(model._meta.label)
    shared = {name: labels for name, labels in by_name.items() if len(labels) > 1}
    assert shared == KNOWN


def test_the_officers_certificate_is_the_enforcement_certificate():
    assert apps.get_model("org", "EnforcementCertificate")._meta.verbose_name == "行政执法证"
    assert apps.get_model("certificates", "Certificate")._meta.app_label == "certificates"
    with pytest.raises(LookupError):
        apps.get_model("org", "Certificate")


def test_schema_components_are_unique_and_spectacular_does_not_warn():
    """The schema built as ``/api/schema/`` builds it, with drf-spectacular's own warning count."""
    from drf_spectacular.drainage import GENERATOR_STATS, reset_generator_stats
    from drf_spectacular.generators import SchemaGenerator

    reset_generator_stats()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert not GENERATOR_STATS._warn_cache and not GENERATOR_STATS._error_cache, dict(
        GENERATOR_STATS._warn_cache
    )
    components = schema["components"]["schemas"]
    assert "EnforcementCertificate" in components and "Certificate" in components
    assert "number" in components["EnforcementCertificate"]["properties"]
    assert "OfficerCertificate" not in components
    officer = components["Officer"]["properties"]["certificates"]["items"]["$ref"]
    assert officer == "#/components/schemas/EnforcementCertificate"


def test_document_templates_live_in_doc_templates_in_every_app():
    """One folder name for .docx templates; ``forms.py`` is free for Django forms."""
    from pathlib import Path

    import zeren

    src = Path(zeren.__file__).parent
    templates = sorted(src.rglob("*.docx"))
    assert templates
    elsewhere = [
        p.relative_to(src).as_posix() for p in templates if p.parent.name != "doc_templates"
    ]
    assert not elsewhere
    for old in ("forms", "letters"):
        assert not [p for p in src.glob(f"*/{old}") if p.is_dir()], old
    assert (src / "cases" / "forms.py").exists()
    assert "(forms.Form)" not in (src / "cases" / "views.py").read_text(encoding="utf-8")
