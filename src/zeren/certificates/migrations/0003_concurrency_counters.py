"""Certificate serials move to core counters (one per authority, kind and year)."""

from django.db import migrations

AUTHORITY = "longyao-jsj"  # as certificates.services.NUMBER_AUTHORITY


def copy_counters(apps, schema_editor) -> None:
    NumberSequence = apps.get_model("certificates", "NumberSequence")
    Certificate = apps.get_model("certificates", "Certificate")
    Counter = apps.get_model("core", "Counter")
    highest: dict[tuple[str, int], int] = {}
    for code, year, last in NumberSequence.objects.values_list("type__code", "year", "last"):
        highest[(code, year)] = max(highest.get((code, year), 0), last)
    # Issued serials count too, should a sequence row ever have lagged behind.
    for code, year, serial in Certificate.objects.filter(serial__isnull=False).values_list(
        "type__code", "year", "serial"
    ):
        highest[(code, year)] = max(highest.get((code, year), 0), serial)
    for (code, year), last in highest.items():
        row, _ = Counter.objects.get_or_create(authority=AUTHORITY, kind=f"证件:{code}", year=year)
        if row.last < last:
            row.last = last
            row.save(update_fields=["last"])


def copy_back(apps, schema_editor) -> None:
    NumberSequence = apps.get_model("certificates", "NumberSequence")
    CertificateType = apps.get_model("certificates", "CertificateType")
    Counter = apps.get_model("core", "Counter")
    for row in Counter.objects.filter(authority=AUTHORITY, kind__startswith="证件:"):
        ctype = CertificateType.objects.filter(code=row.kind.removeprefix("证件:")).first()
        if ctype is not None:
            NumberSequence.objects.update_or_create(
                type=ctype, year=row.year, defaults={"last": row.last}
            )


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0002_seed_types"),
        ("core", "0007_concurrency_counter"),
    ]

    operations = [
        migrations.RunPython(copy_counters, copy_back),
        migrations.DeleteModel(name="NumberSequence"),
    ]
