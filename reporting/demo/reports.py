"""Demo content for reports: an approved report, a draft for the current quarter, bottlenecks, lessons.

Every date is relative to programme.calendar.today(): the approved report covers the newest quarter whose deadline
has passed (the last complete quarter, or the one before when its deadline is still to come), and the bottlenecks
were raised, escalated and decided in the weeks before today. Idempotent on a given day, and works with or without
the measures demo data: bottlenecks and lessons point at a measure when the region has one, otherwise at an action
line. Written with the ORM rather than the services so loading the demo sends no mail.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from measures.models import Measure
from programme import calendar
from programme.changelog import ChangeAction, diff, record_change
from programme.changelog import snapshot as field_values
from programme.models import Organisation, PeriodKind, Programme, ProgrammeLevel, ReportingPeriod
from reporting.bottlenecks.services import LOGGED_FIELDS
from reporting.models import (
    Bottleneck,
    BottleneckStatus,
    Lesson,
    ProgressReport,
    ReportSection,
    ReportStatus,
    ReportTransition,
    Severity,
)
from reporting.reports.content import build_live_content

BOTTLENECKS = [
    # title, action line number, severity, status, description, proposed solution, owner organisation
    ("Wachttijd voor de MDA++-intake loopt op", 2, Severity.HIGH, BottleneckStatus.ESCALATED,
     "Door de gefaseerde instroom van gemeenten wachten gezinnen gemiddeld zes weken op een intake.",
     "Tijdelijk extra casusregisseur bij het Zorg- en Veiligheidshuis, gefinancierd uit de DUVO-middelen.",
     "Zorg- en Veiligheidshuis Brabant-Zuidoost"),
    ("Scholing meldcode bereikt de kleine gemeenten slecht", 1, Severity.MEDIUM, BottleneckStatus.OPEN,
     "In de kleinere gemeenten hebben minder dan de helft van de professionals de scholing gevolgd.",
     "", ""),
    ("Weinig zicht op ouderenmishandeling in de cijfers", 3, Severity.MEDIUM, BottleneckStatus.DECIDED,
     "Signalen van ouderenmishandeling komen nauwelijks bij Veilig Thuis binnen.",
     "Thuiszorg en huisartsen betrekken bij de bewustwordingscampagne.", "GGD Brabant-Zuidoost"),
    ("Gegevensdeling tussen politie en lokale teams", 2, Severity.LOW, BottleneckStatus.RESOLVED,
     "Onduidelijk welke gegevens politie en lokale teams mogen delen in het casusoverleg.",
     "Convenant gegevensdeling actualiseren.", "Politie Oost-Brabant, district Zuidoost-Brabant"),
]

LESSONS = [
    ("Een vaste contactpersoon per gemeente versnelt de intake van MDA++ aanzienlijk.", True),
    ("Wethouders vragen om kort en vaak rapporteren, liever dan één lang jaarverslag.", False),
    ("Ervaringsdeskundigen in de campagne vergroten het bereik onder jongeren.", True),
]


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _days(number: int) -> datetime.timedelta:
    return datetime.timedelta(days=number)


def load_demo(stdout) -> None:
    User = get_user_model()
    programme = Programme.objects.filter(level=ProgrammeLevel.REGIONAL, region__code="zuidoost-brabant").first()
    leader = User.objects.filter(username="projectleider").first()
    steering = User.objects.filter(username="stuurgroep").first()
    if programme is None or leader is None or steering is None:
        stdout.write("Reports demo skipped: regional programme or demo users missing.")
        return
    lines = {line.number: line for line in programme.action_lines.all()}
    measures_by_line = {}
    for measure in Measure.objects.filter(programme=programme, archived_at__isnull=True).order_by("pk"):
        measures_by_line.setdefault(measure.action_line_id, measure)

    today = calendar.today()
    for age, (title, number, severity, status, description, solution, owner_name) in enumerate(BOTTLENECKS):
        line = lines.get(number)
        if line is None or Bottleneck.objects.filter(programme=programme, title=title).exists():
            continue
        # Raised some weeks ago (the older ones earlier); escalated, decided or resolved since.
        raised = today - _days(21 + 14 * age)
        now = _at(raised + _days(10))
        escalated = status in (BottleneckStatus.ESCALATED, BottleneckStatus.DECIDED)
        bottleneck = Bottleneck.objects.create(
            programme=programme, title=title, description=description, severity=severity, status=status,
            action_line=line, measure=measures_by_line.get(line.pk), raised_by=leader,
            proposed_solution=solution, owner_organisation=Organisation.objects.filter(name=owner_name).first(),
            escalated_at=now if escalated else None,
            decision="Stuurgroep stemt in: thuiszorg en huisartsen schuiven aan bij de campagne."
            if status == BottleneckStatus.DECIDED else "",
            decided_at=now if status == BottleneckStatus.DECIDED else None,
            decided_by=steering if status == BottleneckStatus.DECIDED else None,
            resolution="Convenant vernieuwd en ondertekend door alle partners."
            if status == BottleneckStatus.RESOLVED else "",
            resolved_at=now if status == BottleneckStatus.RESOLVED else None,
        )
        Bottleneck.objects.filter(pk=bottleneck.pk).update(created_at=_at(raised))
        record_change(instance=bottleneck, action=ChangeAction.CREATE, acting_user=leader,
                      changes=diff({}, field_values(bottleneck, LOGGED_FIELDS)), region=programme.region_id)

    approved_period = (ReportingPeriod.objects.filter(kind=PeriodKind.QUARTER, deadline__lt=today)
                       .order_by("-end_date").first())
    current = calendar.current_quarter()
    any_measure = next(iter(measures_by_line.values()), None)
    for text, shared in LESSONS:
        Lesson.objects.get_or_create(
            programme=programme, text=text,
            defaults={"period": current, "shared_with_national_team": shared, "created_by": leader,
                      "measure": any_measure if shared else None},
        )

    if approved_period and not ProgressReport.objects.filter(programme=programme, period=approved_period).exists():
        ended = approved_period.end_date
        started, submitted, approved = ended + _days(8), ended + _days(20), min(ended + _days(36), today)
        report = ProgressReport.objects.create(
            programme=programme, period=approved_period, created_by=leader,
            summary="Het eerste jaar van de regionale aanpak is afgerond. De MDA++-aanpak draait in Helmond en "
                    "Eindhoven; de publiekscampagne heeft ruim 40.000 inwoners bereikt.",
            lessons_learned="Korte lijnen met de centrumgemeenten werken; kleinere gemeenten vragen meer "
                            "ondersteuning bij de meldcode.",
        )
        narratives = {
            1: "De campagne 'Het houdt niet op, niet vanzelf' is regionaal uitgerold.",
            2: "De MDA++-aanpak is gestart; de wachttijd voor de intake vraagt aandacht.",
            3: "De aanpak ouderenmishandeling is in voorbereiding.",
        }
        ReportSection.objects.bulk_create(
            ReportSection(report=report, action_line=line, narrative=narratives.get(number, ""))
            for number, line in lines.items()
        )
        snapshot = build_live_content(report)
        ProgressReport.objects.filter(pk=report.pk).update(
            status=ReportStatus.APPROVED, snapshot=snapshot,
            submitted_at=_at(submitted), approved_at=_at(approved, 16),
        )
        steps = [
            ("", ReportStatus.DRAFT, leader, "", _at(started)),
            (ReportStatus.DRAFT, ReportStatus.SUBMITTED, leader, "", _at(submitted)),
            (ReportStatus.SUBMITTED, ReportStatus.APPROVED, steering, "Akkoord, met dank voor het heldere overzicht.",
             _at(approved, 16)),
        ]
        for from_status, to_status, user, comment, at in steps:
            transition = ReportTransition.objects.create(
                report=report, from_status=from_status, to_status=to_status, user=user, comment=comment
            )
            ReportTransition.objects.filter(pk=transition.pk).update(at=at)

    if current and not ProgressReport.objects.filter(programme=programme, period=current).exists():
        report = ProgressReport.objects.create(
            programme=programme, period=current, created_by=leader,
            summary="Concept: de meeste maatregelen liggen op koers; de wachttijd MDA++ is geëscaleerd.",
        )
        ReportSection.objects.bulk_create(ReportSection(report=report, action_line=line) for line in lines.values())
        ReportTransition.objects.create(report=report, from_status="", to_status=ReportStatus.DRAFT, user=leader)
    stdout.write("Reports demo: an approved report, a draft for the current quarter, bottlenecks and lessons.")
