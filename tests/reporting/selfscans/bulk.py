"""Build a region with many municipalities and submitted scans straight through the ORM, for the scale tests."""

from django.utils import timezone

from programme.models import Organisation, OrganisationKind, Region
from reporting.models import ScanAnswer, ScanCriterion, ScanFramework, ScanTheme, SelfScan


def region_with_scans(code: str, municipalities: int, user, *, base: int = 9000, year=2025, themes=5,
                      criteria_per_theme=5, submitted=None) -> ScanFramework:
    region = Region.objects.create(name=f"Regio {code}", code=code)
    orgs = Organisation.objects.bulk_create(
        Organisation(name=f"Gemeente {code} {n}", kind=OrganisationKind.MUNICIPALITY, region=region,
                     cbs_code=f"GM{base + n:04d}") for n in range(municipalities))
    framework = ScanFramework.objects.create(region=region, year=year, title="Leidraad")
    theme_rows = ScanTheme.objects.bulk_create(ScanTheme(framework=framework, key=f"thema-{t}", name=f"Thema {t}",
                                                         order=t) for t in range(themes))
    criteria = ScanCriterion.objects.bulk_create(
        ScanCriterion(framework=framework, theme=theme, key=f"c-{theme.order}-{c}", text=f"Criterium {theme.order}.{c}",
                      order=c) for theme in theme_rows for c in range(criteria_per_theme))
    count = municipalities if submitted is None else submitted
    scans = SelfScan.objects.bulk_create(
        SelfScan(framework=framework, municipality=org, status="submitted", created_by=user,
                 submitted_at=timezone.now()) for org in orgs[:count])
    ScanAnswer.objects.bulk_create(
        ScanAnswer(scan=scan, criterion=criterion, score=1 + (scan.pk + criterion.pk) % 4, explanation="Geheim")
        for scan in scans for criterion in criteria)
    return framework
