"""Demo self-scans: the guideline (25 criteria in 5 themes) for two years and the scans of the municipalities.

Written with the ORM (no mail, no per-row services) and idempotent: frameworks that exist are left alone. The
later year rewords one criterion and adds one, so the framework page shows a changed and a new criterion and
the trend goes on through the rename. `generate_national_scans` gives every generated region of the national
data set the same framework and scans, in bulk.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from programme import calendar
from programme.models import Organisation, OrganisationKind, Region
from reporting.models import (
    ScanAnswer,
    ScanCriterion,
    ScanFramework,
    ScanImprovement,
    ScanStatus,
    ScanTheme,
    ScanTransition,
    SelfScan,
)

GUIDELINE = [
    ("veiligheid-taxeren", "Veiligheid taxeren", [
        "Het team taxeert de veiligheid bij elke casus met een vast instrument",
        "Onveiligheid wordt binnen 24 uur besproken met een collega of gedragswetenschapper",
        "De taxatie wordt herhaald bij elke belangrijke wijziging in het gezin",
        "Kinderen worden zelf gesproken over hun veiligheid",
        "De uitkomst van de taxatie staat in het dossier",
    ]),
    ("samenwerking-veilig-thuis", "Samenwerking met Veilig Thuis", [
        "Het team kent de contactpersoon bij Veilig Thuis",
        "Overdrachten van en naar Veilig Thuis verlopen volgens de afspraken",
        "Het team vraagt Veilig Thuis tijdig om advies",
        "Terugkoppeling van Veilig Thuis komt binnen de afgesproken termijn",
        "Er is minstens twee keer per jaar casuïstiekoverleg met Veilig Thuis",
    ]),
    ("gefaseerd-samenwerken", "Gefaseerd samenwerken aan veiligheid", [
        "Het team werkt met een veiligheidsplan dat met het gezin is opgesteld",
        "Er is één regisseur per gezin",
        "Afspraken over stabiele veiligheid zijn meetbaar",
        "Het team monitort de veiligheid na afsluiting",
        "Risicogestuurde zorg wordt ingezet waar nodig",
    ]),
    ("deskundigheid", "Deskundigheid", [
        "Alle medewerkers hebben de scholing meldcode gevolgd",
        "Er is een aandachtsfunctionaris huiselijk geweld",
        "Het team krijgt intervisie op complexe casuïstiek",
        "Nieuwe medewerkers worden ingewerkt in de aanpak",
        "Het team kent de specifieke vormen zoals ouderenmishandeling en eergerelateerd geweld",
    ]),
    ("registratie", "Registratie", [
        "Signalen worden eenduidig geregistreerd",
        "Het team levert zijn cijfers op tijd aan de regio",
        "Registratie voldoet aan de privacyafspraken",
        "Het team gebruikt de cijfers om te leren",
        "Doorlooptijden worden bijgehouden",
    ]),
]
RENAMED = ("veiligheid-taxeren-1", "Het team taxeert de veiligheid bij elke casus met de regionale veiligheidstaxatie")
ADDED = ("registratie", "registratie-6", "Het team registreert de inzet van MDA++")
TITLE = "Leidraad en zelfscan lokale teams"


def _framework(region, year, previous=None, *, changed=False, deadline=None) -> ScanFramework:
    framework, created = ScanFramework.objects.get_or_create(
        region=region, year=year, defaults={"title": TITLE, "previous": previous, "deadline": deadline})
    if not created:
        return framework
    for theme_order, (key, name, criteria) in enumerate(GUIDELINE, start=1):
        theme = ScanTheme.objects.create(framework=framework, key=key, name=name, order=theme_order)
        rows = [(f"{key}-{n}", text) for n, text in enumerate(criteria, start=1)]
        if changed:
            rows = [(k, RENAMED[1] if k == RENAMED[0] else t) for k, t in rows]
            if key == ADDED[0]:
                rows.append(ADDED[1:])
        ScanCriterion.objects.bulk_create(
            ScanCriterion(framework=framework, theme=theme, key=k, text=t, order=order,
                          help_text="Scoor 1 als dit nog niet gebeurt en 4 als het altijd zo gaat.")
            for order, (k, t) in enumerate(rows, start=1))
    return framework


def _score(rng, municipality_index: int, theme_index: int, year_offset: int) -> int | None:
    if rng.random() < 0.04:
        return None  # not applicable
    base = 1.6 + (municipality_index % 4) * 0.45 + (theme_index % 3) * 0.3 + year_offset * 0.35
    return max(1, min(4, round(base + rng.uniform(-0.9, 0.9))))


def _scans(framework, municipalities, author, rng, *, year_offset, statuses) -> list[SelfScan]:
    # Submitted before today, in the scan's own year (programme.calendar.today(), so the demo is current).
    day = min(calendar.today(), datetime.date(framework.year, 11, 1))
    now = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    scans = SelfScan.objects.bulk_create(
        SelfScan(framework=framework, municipality=m, status=statuses[i], created_by=author,
                 strengths="Korte lijnen met Veilig Thuis en het wijknetwerk." if statuses[i] else "",
                 submitted_at=now if statuses[i] == ScanStatus.SUBMITTED else None)
        for i, m in enumerate(municipalities) if statuses[i])
    criteria = list(framework.criteria.select_related("theme"))
    index = {m.pk: i for i, m in enumerate(municipalities)}
    answers = []
    for scan in scans:
        for criterion in criteria:
            score = _score(rng, index[scan.municipality_id], criterion.theme.order, year_offset)
            answers.append(ScanAnswer(scan=scan, criterion=criterion, score=score, not_applicable=score is None,
                                      explanation="Gebeurt nog niet structureel." if score and score <= 2 else ""))
    ScanAnswer.objects.bulk_create(answers, batch_size=2000)
    ScanTransition.objects.bulk_create(
        [ScanTransition(scan=s, from_status="", to_status=ScanStatus.DRAFT, user=author) for s in scans]
        + [ScanTransition(scan=s, from_status=ScanStatus.DRAFT, to_status=ScanStatus.SUBMITTED, user=author)
           for s in scans if s.status == ScanStatus.SUBMITTED])
    return scans


def load_demo(stdout=None) -> None:
    region = Region.objects.filter(code="zuidoost-brabant").first()
    author = get_user_model().objects.filter(username="helmond").first() or get_user_model().objects.first()
    if region is None or author is None or ScanFramework.objects.filter(region=region).exists():
        return
    rng = random.Random(15)
    year = calendar.today().year
    municipalities = list(Organisation.objects.filter(region=region, kind=OrganisationKind.MUNICIPALITY)
                          .order_by("name"))
    # Last year's deadline has passed; this year's is some weeks ahead, whatever the day the demo is loaded.
    first = _framework(region, year - 1, deadline=datetime.date(year - 1, 12, 1))
    second = _framework(region, year, first, changed=True,
                        deadline=calendar.today() + datetime.timedelta(days=42))
    _scans(first, municipalities, author, rng, year_offset=0, statuses=[ScanStatus.SUBMITTED] * len(municipalities))
    # This year: most teams have submitted; Helmond (the demo user's team) has a draft, one team has not started.
    statuses = [ScanStatus.SUBMITTED] * len(municipalities)
    for i, m in enumerate(municipalities):
        if m.name == "Helmond":
            statuses[i] = ScanStatus.DRAFT
    if len(statuses) > 3:
        statuses[-1] = None
    scans = _scans(second, municipalities, author, rng, year_offset=1, statuses=statuses)
    low = [s for s in scans if s.status == ScanStatus.SUBMITTED][:3]
    ScanImprovement.objects.bulk_create(
        ScanImprovement(scan=s, text="Scholing meldcode voor nieuwe medewerkers",
                        criterion=second.criteria.get(key="deskundigheid-1")) for s in low)
    if stdout is not None:
        stdout.write(f"Self-scans: 2 frameworks of {second.criteria.count()} criteria, {len(scans)} scans this year.")


def generate_national_scans(regions, author, *, seed: int = 15) -> int:
    """Two years of frameworks and submitted scans for every given region (the national data set), in bulk."""
    rng = random.Random(seed)
    year = calendar.today().year
    count = 0
    by_region: dict[int, list] = {}
    for municipality in Organisation.objects.filter(region__in=regions, kind=OrganisationKind.MUNICIPALITY
                                                    ).order_by("name"):
        by_region.setdefault(municipality.region_id, []).append(municipality)
    for region in regions:
        municipalities = by_region.get(region.pk, [])
        first = _framework(region, year - 1)
        second = _framework(region, year, first, changed=True)
        for framework, offset in ((first, 0), (second, 1)):
            count += len(_scans(framework, municipalities, author, rng, year_offset=offset,
                                statuses=[ScanStatus.SUBMITTED] * len(municipalities)))
    return count


def remove_scans_of(regions) -> None:
    """What remove_generated needs first: scans and frameworks protect their regions and municipalities."""
    scans = SelfScan.objects.filter(Q(framework__region__in=regions) | Q(municipality__region__in=regions))
    scans.update(previous=None)
    scans.delete()
    frameworks = ScanFramework.objects.filter(region__in=regions)
    frameworks.update(previous=None)
    frameworks.delete()
