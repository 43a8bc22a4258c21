"""Demo measures of Zuidoost-Brabant, entered through the real services; running it twice adds nothing.

The stories below are written as if today fell in STORY_QUARTER: updates run up to the quarter before it, a few
measures start after it. Loaded on another day, every date moves by the same number of whole quarters, so the
measures stand in the same place relative to programme.calendar.today() whatever the date.
"""

import datetime
from calendar import monthrange
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from programme import calendar
from programme.models import (
    Goal,
    NationalMeasure,
    Organisation,
    Programme,
    ProgrammeLevel,
    ReportingPeriod,
    Theme,
    ViolenceForm,
)

from .models import Contribution, Decision, FundingGrant, FundingSource, Measure, MeasureStatus
from .services import assessments as assessment_services
from .services import measures as measure_services
from .services import participations as participation_services
from .services import updates as update_services

D = datetime.date

# title, action line, goals, themes, violence forms, national measures, owner, contact, start, end, budget, source,
# participants [(organisation, joined_on)], verdict ("accept", "reject" or None), course of the updates
MEASURES = [
    ("Pilot MDA++", 2, ["2.1", "2.2"], ["Multidisciplinaire aanpak (MDA++)"],
     ["Kindermishandeling", "(Ex-)partnergeweld"], ["2.1"], "Helmond", "Henk de Vries", D(2023, 1, 1),
     D(2025, 12, 31), 180000, "rijk",
     [("Helmond", D(2023, 1, 1)), ("Veilig Thuis Oost-Brabant", D(2023, 1, 1)), ("Eindhoven", D(2023, 7, 1)),
      ("Deurne", D(2024, 1, 1)), ("Geldrop-Mierlo", D(2024, 1, 1))],
     "accept", "steady",
     "Multidisciplinaire aanpak voor de meest complexe casussen van huiselijk geweld, met gefaseerde instroom van "
     "gemeenten. Geëvalueerd door twee hogescholen."),
    ("Regionale publiekscampagne 'Het houdt niet op, niet vanzelf'", 1, ["1.1"], ["Publiekscampagne en voorlichting"],
     ["Kindermishandeling", "(Ex-)partnergeweld"], ["1.1"], "Eindhoven", "Els Bakker", D(2023, 3, 1),
     D(2024, 12, 31), 40000, "gemeente", [("Eindhoven", D(2023, 3, 1)), ("Helmond", D(2023, 3, 1))],
     "accept", "completed",
     "De landelijke campagne regionaal vertaald: posters, lokale media en sociale media in alle 21 gemeenten."),
    ("Training meldcode voor huisartsen en wijkverpleging", 1, ["1.2"], ["Meldcode en afwegingskader"],
     ["Kindermishandeling", "Ouderenmishandeling"], ["1.2"], "GGD Brabant-Zuidoost", "Fatima El Amrani",
     D(2023, 4, 1), D(2024, 12, 31), 25000, "rijk", [], "accept", "risk",
     "Scholing in het werken met de verbeterde meldcode en het afwegingskader voor eerstelijnsprofessionals."),
    ("Deskundigheidsbevordering lokale teams: signalen van kindermishandeling", 1, ["1.2"],
     ["Deskundigheid van professionals"], ["Kindermishandeling"], ["1.3"], "Lokale teams Zuidoost-Brabant",
     "Joris van den Heuvel", D(2023, 1, 1), D(2024, 6, 30), 30000, "duvo", [], "accept", "steady",
     "Trainingen en intervisie voor medewerkers van de lokale teams in het herkennen en bespreekbaar maken van "
     "signalen."),
    ("Voorlichting over gezonde relaties op middelbare scholen", 1, ["1.1"], ["Publiekscampagne en voorlichting"],
     ["(Ex-)partnergeweld", "Seksueel grensoverschrijdend gedrag onder jongeren"], [], "Helmond", "Henk de Vries",
     D(2023, 9, 1), D(2024, 7, 15), 12500, "gemeente", [], "accept", "off",
     "Gastlessen over gezonde relaties en grenzen in de onderbouw van het voortgezet onderwijs."),
    ("Week tegen Kindermishandeling: regionale bijeenkomsten", 1, ["1.1", "1.2"], ["Publiekscampagne en voorlichting"],
     ["Kindermishandeling"], ["1.1"], "Eindhoven", "Els Bakker", D(2023, 10, 1), D(2024, 12, 31), 8000,
     "gemeente", [], "accept", "steady",
     "Jaarlijkse bijeenkomsten voor professionals en inwoners in de Week tegen Kindermishandeling."),
    ("Radarfunctie Veilig Thuis: zicht op herhaald geweld", 2, ["2.2", "2.3"],
     ["Samenwerking Veilig Thuis en lokale teams"], ["(Ex-)partnergeweld", "Kindermishandeling"], ["2.2"],
     "Veilig Thuis Oost-Brabant", "Vera Smit", D(2023, 1, 1), D(2025, 6, 30), 60000, "rijk", [], "accept", "risk",
     "Veilig Thuis signaleert herhaald geweld in gezinnen en bespreekt dit met de lokale teams."),
    ("Werkafspraken Veilig Thuis en lokale teams", 2, ["2.2"], ["Samenwerking Veilig Thuis en lokale teams"],
     ["Kindermishandeling"], ["2.3"], "Veilig Thuis Oost-Brabant", "Vera Smit", D(2023, 2, 1), D(2024, 3, 31),
     15000, "partner", [("Lokale teams Zuidoost-Brabant", D(2023, 2, 1))], "accept", "completed",
     "Eén werkwijze voor de overdracht van meldingen van Veilig Thuis naar de lokale teams."),
    ("Casusoverleg huiselijk geweld in het Zorg- en Veiligheidshuis", 2, ["2.2"], ["Zorg- en Veiligheidshuis"],
     ["(Ex-)partnergeweld", "Stalking"], [], "Zorg- en Veiligheidshuis Brabant-Zuidoost", "Karin Hermans",
     D(2023, 1, 1), D(2026, 12, 31), 45000, "duvo",
     [("Politie Oost-Brabant, district Zuidoost-Brabant", D(2023, 1, 1)), ("Openbaar Ministerie Oost-Brabant",
                                                                            D(2023, 1, 1))],
     "accept", "steady", "Wekelijks multidisciplinair casusoverleg voor zaken met een hoog risico."),
    ("Tijdelijk huisverbod: snellere hulpverlening", 2, ["2.2"], ["Zorg- en Veiligheidshuis"],
     ["(Ex-)partnergeweld", "Kind-oudergeweld"], [], "Politie Oost-Brabant, district Zuidoost-Brabant",
     "Mark Verhoeven", D(2023, 4, 1), D(2024, 12, 31), 10000, "partner", [], "accept", "risk",
     "Na een tijdelijk huisverbod start de hulpverlening binnen drie werkdagen."),
    ("Monitoring van veiligheid na afsluiting", 2, ["2.2", "2.3"], ["Samenwerking Veilig Thuis en lokale teams"],
     ["Kindermishandeling", "(Ex-)partnergeweld"], ["2.3"], "Veilig Thuis Oost-Brabant", "Vera Smit",
     D(2023, 7, 1), D(2025, 6, 30), 35000, "rijk", [], "accept", "steady",
     "Veilig Thuis meet na 3, 6 en 12 maanden of gezinnen veilig zijn gebleven."),
    ("Aanpak ouderenmishandeling in alle gemeenten", 3, ["3.1"], ["Ouderenmishandeling"],
     ["Ouderenmishandeling", "Financiële uitbuiting", "Ontspoorde mantelzorg"], ["3.1"], "Eindhoven",
     "Els Bakker", D(2023, 1, 1), D(2026, 12, 31), 50000, "gemeente",
     [("Eindhoven", D(2023, 1, 1)), ("Veldhoven", D(2023, 7, 1)), ("Best", D(2024, 1, 1)),
      ("Someren", D(2024, 1, 1))],
     "accept", "steady", "Elke gemeente een aandachtsfunctionaris en een lokale aanpak ouderenmishandeling."),
    ("Zelfscan kwaliteit lokale teams", 3, ["3.2"], [], ["Kindermishandeling"], [], "Lokale teams Zuidoost-Brabant",
     "Joris van den Heuvel", D(2023, 6, 1), D(2025, 12, 31), 20000, "duvo", [], "accept", "off",
     "Lokale teams toetsen hun kwaliteit met de leidraad en de zelfscan."),
    ("Aanpak seksueel grensoverschrijdend gedrag onder jongeren", 3, [],
     ["Jeugd en seksueel grensoverschrijdend gedrag"], ["Seksueel grensoverschrijdend gedrag onder jongeren",
                                                        "Loverboys"], ["3.2"], "GGD Brabant-Zuidoost",
     "Fatima El Amrani", D(2023, 9, 1), D(2025, 8, 31), 28000, "rijk", [], "accept", "risk",
     "Preventie en vroegsignalering op scholen en in het jongerenwerk, met het Centrum Seksueel Geweld."),
    ("Kinderen uit de knel bij complexe scheidingen", 3, [], ["Complexe scheidingen"],
     ["Complexe (vecht)scheidingen"], [], "Helmond", "Henk de Vries", D(2023, 4, 1), D(2024, 12, 31), 22000,
     "gemeente", [("Helmond", D(2023, 4, 1)), ("Laarbeek", D(2023, 10, 1))], "accept", "steady",
     "Groepsaanbod voor kinderen en ouders in een vechtscheiding."),
    ("Financiële uitbuiting van ouderen: training bankmedewerkers", 3, ["3.1"], ["Ouderenmishandeling"],
     ["Financiële uitbuiting", "Ouderenmishandeling"], ["3.1"], "Politie Oost-Brabant, district Zuidoost-Brabant",
     "Mark Verhoeven", D(2024, 1, 1), D(2024, 12, 31), 6000, "partner", [], "accept", "completed",
     "Medewerkers van banken herkennen signalen van financiële uitbuiting en weten waar ze terecht kunnen."),
    ("Preventie kindermishandeling rond zwangerschap", 3, [], [], ["Geweld tegen een ongeboren kind door verslaving",
                                                                  "Kindermishandeling"], ["3.3"], "Veldhoven",
     "Sanne Peeters", D(2023, 1, 1), D(2025, 12, 31), 18000, "rijk", [("Veldhoven", D(2023, 1, 1))], "accept",
     "steady", "Vroegtijdige ondersteuning van kwetsbare zwangeren, samen met verloskundigen en de GGD."),
    ("Regionaal netwerk eergerelateerd geweld", 3, [], [], ["Eergerelateerd geweld", "Huwelijksdwang en achterlating"],
     [], "Politie Oost-Brabant, district Zuidoost-Brabant", "Mark Verhoeven", D(2025, 1, 1), D(2026, 12, 31), 12000,
     "partner", [], None, "",
     "Een netwerk van aandachtsfunctionarissen eergerelateerd geweld bij politie, Veilig Thuis en gemeenten."),
    ("Lokale teams en ontspoorde mantelzorg", 3, ["3.1"], ["Ouderenmishandeling"], ["Ontspoorde mantelzorg"], [],
     "Deurne", "Anouk Jacobs", D(2025, 3, 1), D(2026, 6, 30), 9000, "gemeente", [("Deurne", D(2025, 3, 1))], None,
     "", "Mantelzorgers met overbelasting eerder in beeld, om ontsporing te voorkomen."),
    ("App voor omstanders: wat kun je doen?", 1, ["1.1"], ["Publiekscampagne en voorlichting"],
     ["(Ex-)partnergeweld"], ["1.1"], "Helmond", "Henk de Vries", D(2025, 9, 1), D(2026, 12, 31), 30000,
     "gemeente", [], None, "", "Een app die omstanders helpt om te reageren op signalen van huiselijk geweld."),
    ("Daderhulpverlening in de eigen gemeente", 2, ["2.2"], [], ["(Ex-)partnergeweld"], [], "Eindhoven",
     "Els Bakker", D(2024, 1, 1), D(2024, 12, 31), 70000, "gemeente", [], "reject", "",
     "Eigen aanbod van daderhulpverlening in Eindhoven."),
]

# Per course: (status, health, progress) per quarter, from the start quarter to the last one with updates.
COURSES = {
    "steady": lambda i, n: (MeasureStatus.IN_PROGRESS, "on_track", min(95, 12 * (i + 1))),
    "risk": lambda i, n: (MeasureStatus.IN_PROGRESS, "on_track" if i < n // 2 else "at_risk", min(90, 10 * (i + 1))),
    "off": lambda i, n: (
        MeasureStatus.IN_PROGRESS if i < n - 1 else MeasureStatus.ON_HOLD,
        ("on_track", "at_risk", "off_track")[min(2, 3 * i // max(n, 1))],
        min(60, 8 * (i + 1)),
    ),
    "completed": lambda i, n: (
        MeasureStatus.COMPLETED if i == n - 1 else MeasureStatus.IN_PROGRESS,
        "on_track",
        100 if i == n - 1 else round(100 * (i + 1) / n),
    ),
}

NARRATIVES = {
    "on_track": "Loopt volgens plan. De geplande activiteiten van dit kwartaal zijn uitgevoerd.",
    "at_risk": "Vertraging door personeelstekort bij een van de partners; bijsturing is nodig.",
    "off_track": "Ernstige vertraging: de uitvoering ligt grotendeels stil. Besluit van de stuurgroep gevraagd.",
}

FUNDING_SOURCES = [
    ("duvo", "DUVO-uitkering (decentralisatie-uitkering vrouwenopvang)"),
    ("gemeente", "Gemeentelijk budget"),
    ("rijk", "Landelijke middelen (GHNT/TKS)"),
    ("partner", "Eigen middelen partnerorganisatie"),
]

DUVO_GRANTS = [(2018, 25000), (2019, 75000), (2020, 75000), (2021, 75000)]

STORY_QUARTER = (2025, 1)  # the quarter the stories above take as "now"
LAST_UPDATED = D(2024, 12, 31)  # the end of the last quarter with updates: the one before STORY_QUARTER


def quarters_since_story(day: datetime.date) -> int:
    """How many quarters the day lies after the stories' quarter (negative before it)."""
    return (day.year - STORY_QUARTER[0]) * 4 + (day.month - 1) // 3 - (STORY_QUARTER[1] - 1)


def moved(day: datetime.date, quarters: int) -> datetime.date:
    """The date `quarters` whole quarters later; the last day of a month stays the last day of its month."""
    months = day.year * 12 + day.month - 1 + 3 * quarters
    year, month = divmod(months, 12)
    last = monthrange(year, month + 1)[1]
    at_month_end = day.day == monthrange(day.year, day.month)[1]
    return D(year, month + 1, last if at_month_end else min(day.day, last))


def _quarters(start: datetime.date, end: datetime.date, last_updated: datetime.date):
    periods = ReportingPeriod.objects.filter(kind="quarter", start_date__lte=last_updated, end_date__gte=start)
    return list(periods.filter(start_date__lte=end).order_by("start_date"))


@transaction.atomic
def load_demo_measures(stdout) -> None:
    programme = Programme.objects.filter(level=ProgrammeLevel.REGIONAL, region__code="zuidoost-brabant").first()
    if programme is None:
        return
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=["projectleider", "helmond", "eindhoven", "veiligthuis"])}
    project_leader = users.get("projectleider")
    authors = {"Helmond": users.get("helmond"), "Eindhoven": users.get("eindhoven"),
               "Veilig Thuis Oost-Brabant": users.get("veiligthuis")}
    # The migration adds these sources too, but a flushed test database has lost them.
    for code, name in FUNDING_SOURCES:
        FundingSource.objects.get_or_create(code=code, defaults={"name": name})
    sources = {s.code: s for s in FundingSource.objects.all()}
    orgs = {o.name: o for o in Organisation.objects.filter(region__isnull=False)}
    ghnt = Programme.objects.filter(short_name="GHNT", level=ProgrammeLevel.NATIONAL).first()
    shift = quarters_since_story(calendar.today())
    for centre in ("Eindhoven", "Helmond"):
        for year, amount in DUVO_GRANTS:
            FundingGrant.objects.get_or_create(
                programme=ghnt or programme, source=sources["duvo"], recipient=orgs[centre], year=year + shift // 4,
                defaults={"amount": Decimal(amount), "purpose": "Regionale projectleider huiselijk geweld en "
                                                                "kindermishandeling (GHNT)"},
            )
    lines = {line.number: line for line in programme.action_lines.all()}
    goals = {g.code: g for g in Goal.objects.filter(action_line__programme=programme)}
    themes = {t.name: t for t in Theme.objects.filter(action_line__programme=programme)}
    forms = {f.name: f for f in ViolenceForm.objects.all()}
    national = {n.number: n for n in NationalMeasure.objects.filter(programme=programme.national_programme)}
    existing = set(Measure.objects.filter(programme=programme).values_list("title", flat=True))
    created = 0
    for (title, line, goal_codes, theme_names, form_names, national_numbers, owner, contact, start, end, budget,
         source, participants, verdict, course, description) in MEASURES:
        if title in existing:
            continue
        start, end = moved(start, shift), moved(end, shift)
        participants = [(name, moved(joined_on, shift)) for name, joined_on in participants]
        author = authors.get(owner) or project_leader
        measure = measure_services.measure_create(
            programme=programme, acting_user=author, title=title, description=description, action_line=lines[line],
            owner=orgs[owner], goals=[goals[c] for c in goal_codes], themes=[themes[t] for t in theme_names],
            violence_forms=[forms[f] for f in form_names], national_measures=[national[n] for n in national_numbers],
            contact_name=contact, start_date=start, end_date=end, budget=Decimal(budget),
            funding_source=sources[source],
        )
        for name, joined_on in participants:
            participation_services.participation_add(measure=measure, acting_user=author, organisation=orgs[name],
                                                     joined_on=joined_on)
        if verdict:
            contributions = {
                goal.pk: Contribution.STRONG if goal.code in goal_codes
                else (Contribution.SOME if goal.action_line.number == line else Contribution.NONE)
                for goal in goals.values()
            }
            reasons = ("Past bij de meetlat: draagt bij aan de doelen van de actielijn en is haalbaar binnen de "
                       "begroting." if verdict == "accept" else
                       "Valt buiten de regionale aanpak: lokaal aanbod, te financieren uit het gemeentelijk budget.")
            assessment_services.assessment_create(
                measure=measure, acting_user=project_leader,
                decision=Decision.ACCEPT if verdict == "accept" else Decision.REJECT,
                reasons=reasons, contributions=contributions,
            )
        if verdict == "accept" and course:
            periods = _quarters(start, end, moved(LAST_UPDATED, shift))
            # Spread the budget over the whole term, so a measure running on after today has money left.
            term = ReportingPeriod.objects.filter(kind="quarter", start_date__lte=end, end_date__gte=start).count()
            per_quarter = (Decimal(budget) / max(term, 1)).quantize(Decimal("1"))
            for index, period in enumerate(periods):
                status, health, progress = COURSES[course](index, len(periods))
                update_services.measure_update_post(
                    measure=measure, acting_user=author, period=period, status=status, health=health,
                    progress=progress, narrative=NARRATIVES[health],
                    spent=per_quarter if health != "off_track" else Decimal("0"),
                    next_steps="Volgend kwartaal: voortgang bespreken in het regionaal overleg.",
                )
        created += 1
    stdout.write(f"Demo measures: {created} added, {len(existing)} already there.")
