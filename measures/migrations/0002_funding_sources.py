"""The funding sources every region uses; more can be added by the administrator."""

from django.db import migrations

SOURCES = [
    ("duvo", "DUVO-uitkering (decentralisatie-uitkering vrouwenopvang)"),
    ("gemeente", "Gemeentelijk budget"),
    ("rijk", "Landelijke middelen (GHNT/TKS)"),
    ("partner", "Eigen middelen partnerorganisatie"),
]


def add_sources(apps, schema_editor):
    FundingSource = apps.get_model("measures", "FundingSource")
    for code, name in SOURCES:
        FundingSource.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("measures", "0001_initial")]

    operations = [migrations.RunPython(add_sources, migrations.RunPython.noop)]
