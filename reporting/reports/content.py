"""What a progress report shows, as plain data: built from live data for a draft, frozen as the snapshot on submission.

The same dictionary drives the report page, the print view and the questionnaire, so a submitted or
approved report renders from its snapshot exactly as it looked, and nothing here touches the ORM after
`build_live_content` returns. Values are stored exact; `content_for_viewer` applies the small-number rule
for whoever is looking.
"""

import copy
import datetime
import decimal

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import capfirst

from measures.models import Health, Measure, MeasureStatus, MeasureUpdate
from programme.models import ActionLine, Goal, NationalMeasure, ProgrammeLevel, Theme
from programme.portal.extensions import goal_actuals
from reporting.disclosure import Disclosure, is_hidden
from reporting.models import Bottleneck, BottleneckStatus, Lesson, ProgressReport, Severity

SCHEMA = 1


def _number(value):
    """A JSON-safe number (int where it is whole), or the value unchanged when it is not a number."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, decimal.Decimal | float):
        return int(value) if value == int(value) else float(value)
    return value


def _date(value):
    return value.isoformat() if isinstance(value, datetime.date) else None


def _goal(goal: Goal, actual: dict | None) -> dict:
    suppress = bool(goal.indicator_id and goal.indicator.suppress_small_numbers)
    frozen_actual = None
    if actual:
        frozen_actual = {
            "value": _number(actual.get("number", actual.get("value"))),
            "label": str(actual.get("label") or ""),
            "trend": str(actual.get("trend") or ""),
            # Frozen exact; content_for_viewer sends it through the disclosure step for whoever reads it.
            "suppress_small": suppress,
        }
    return {
        "id": goal.pk,
        "code": goal.code,
        "title": goal.title,
        "baseline": _number(goal.baseline),
        "baseline_year": goal.baseline_year,
        "target": _number(goal.target),
        "unit": goal.unit,
        "deadline": _date(goal.deadline),
        "actual": frozen_actual,
    }


def _measure(measure: Measure) -> dict:
    update = measure.period_updates[0] if measure.period_updates else None
    return {
        "id": measure.pk,
        "title": measure.title,
        "owner": measure.owner.name,
        "status": measure.status,
        "health": measure.health,
        "progress": measure.progress,
        "update": {"narrative": update.narrative, "next_steps": update.next_steps} if update else None,
        "national_measures": [
            {
                "number": nm.number,
                "title": nm.title,
                "action_line_id": nm.action_line_id,
                "theme": nm.theme.name if nm.theme_id else "",
            }
            for nm in measure.national_measures.all()
        ],
        "national_themes": [
            {"name": theme.name, "action_line_id": theme.action_line_id}
            for theme in measure.themes.all()
            if theme.action_line.programme.level == ProgrammeLevel.NATIONAL
        ],
        "themes": [theme.name for theme in measure.themes.all()
                   if theme.action_line.programme.level != ProgrammeLevel.NATIONAL],
    }


def _bottleneck(bottleneck: Bottleneck) -> dict:
    owner = ", ".join(
        part for part in [bottleneck.owner_organisation.name if bottleneck.owner_organisation_id else "",
                          bottleneck.owner_person] if part
    )
    return {
        "id": bottleneck.pk,
        "title": bottleneck.title,
        "severity": bottleneck.severity,
        "status": bottleneck.status,
        "measure": bottleneck.measure.title if bottleneck.measure_id else "",
        "proposed_solution": bottleneck.proposed_solution,
        "owner": owner,
        "decision": bottleneck.decision,
    }


def build_live_content(report: ProgressReport) -> dict:
    """The report as it stands on live data, in a fixed number of queries however many measures there are."""
    programme = report.programme
    period = report.period
    action_lines = list(
        ActionLine.objects.filter(programme=programme)
        .order_by("number")
        .prefetch_related(Prefetch("goals", queryset=Goal.objects.select_related("indicator").order_by("code")))
    )
    measures = (
        Measure.objects.filter(programme=programme, archived_at__isnull=True)
        .exclude(status=MeasureStatus.REJECTED)
        .select_related("owner")
        .prefetch_related(
            Prefetch("updates", queryset=MeasureUpdate.objects.filter(period=period), to_attr="period_updates"),
            Prefetch("national_measures", queryset=NationalMeasure.objects.select_related("theme").order_by("number")),
            Prefetch("themes", queryset=Theme.objects.select_related("action_line__programme").order_by("name")),
        )
        .order_by("title")
    )
    measures_by_line: dict[int, list] = {}
    for measure in measures:
        measures_by_line.setdefault(measure.action_line_id, []).append(_measure(measure))
    bottlenecks_by_line: dict[int, list] = {}
    open_bottlenecks = (
        Bottleneck.objects.filter(programme=programme)
        .exclude(status=BottleneckStatus.RESOLVED)
        .select_related("measure", "owner_organisation")
        .order_by("created_at", "pk")
    )
    for bottleneck in open_bottlenecks:
        bottlenecks_by_line.setdefault(bottleneck.action_line_id, []).append(_bottleneck(bottleneck))
    narratives = {section.action_line_id: section.narrative for section in report.sections.all()}
    goals = [goal for line in action_lines for goal in line.goals.all()]
    actuals = goal_actuals(None, goals)
    lessons = Lesson.objects.filter(programme=programme, period=period).select_related("measure").order_by("pk")
    national_lines = []
    if programme.national_programme_id:
        national_lines = [
            {"id": line.pk, "number": line.number, "name": line.name,
             "themes": [theme.name for theme in line.themes.all()]}
            for line in ActionLine.objects.filter(programme_id=programme.national_programme_id)
            .order_by("number")
            .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("name")))
        ]
    return {
        "schema": SCHEMA,
        "taken_at": timezone.now().isoformat(),
        "programme": programme.name,
        "region": programme.region.name if programme.region_id else "",
        "period": period.label,
        "summary": report.summary,
        "lessons_learned": report.lessons_learned,
        "action_lines": [
            {
                "id": line.pk,
                "number": line.number,
                "name": line.name,
                "narrative": narratives.get(line.pk, ""),
                "measures": measures_by_line.get(line.pk, []),
                "goals": [_goal(goal, actuals.get(goal.pk)) for goal in line.goals.all()],
                "bottlenecks": bottlenecks_by_line.get(line.pk, []),
            }
            for line in action_lines
        ],
        "lessons": [
            {"text": lesson.text, "measure": lesson.measure.title if lesson.measure_id else "",
             "shared": lesson.shared_with_national_team}
            for lesson in lessons
        ],
        "national_action_lines": national_lines,
    }


def report_content(report: ProgressReport) -> dict:
    """A frozen report's snapshot, or the live content of one that is still being written."""
    if report.is_frozen and report.snapshot:
        return report.snapshot
    return build_live_content(report)


def _labels(choices) -> dict:
    return {value: label for value, label in choices.choices}


def content_for_viewer(content: dict, *, user, region_id: int | None) -> dict:
    """A copy with labels in the viewer's language, small numbers hidden outside the region, private lessons out."""
    disclosure = Disclosure.for_viewer(user, region_id)
    exact = disclosure.exact
    status_labels, health_labels = _labels(MeasureStatus), _labels(Health)
    severity_labels, bottleneck_labels = _labels(Severity), _labels(BottleneckStatus)
    shown = copy.deepcopy(content)
    shown["exact"] = exact
    for line in shown["action_lines"]:
        for measure in line["measures"]:
            measure["status_label"] = status_labels.get(measure["status"], measure["status"])
            measure["health_label"] = health_labels.get(measure["health"], "")
        for goal in line["goals"]:
            actual = goal.get("actual")
            if actual:
                numeric = isinstance(actual["value"], int | float) and not isinstance(actual["value"], bool)
                actual["numeric"] = numeric
                actual["display"] = (
                    disclosure.count(actual["value"], suppress=actual["suppress_small"]) if numeric
                    else actual["value"]
                )
                actual["suppressed"] = numeric and is_hidden(actual["display"])
                if numeric and disclosure.protects(actual["suppress_small"]):
                    # A trend in percent from exact values would tell more than the rounded value; and the exact
                    # value leaves with the whole dictionary (the API returns it as is), so it is replaced too.
                    actual["trend"] = ""
                    actual["value"] = actual["display"]
        for bottleneck in line["bottlenecks"]:
            bottleneck["severity_label"] = severity_labels.get(bottleneck["severity"], bottleneck["severity"])
            bottleneck["status_label"] = bottleneck_labels.get(bottleneck["status"], bottleneck["status"])
    if not exact:
        # Outside the region only the lessons the region chose to share are shown.
        shown["lessons"] = [lesson for lesson in shown["lessons"] if lesson["shared"]]
    return shown


def questionnaire(content: dict) -> list[dict]:
    """Per national action line and theme: the regional measures that carry them out, with the narrative.

    Rows come from the measures' national measures (grouped under the national measure's theme) and from
    national themes a measure is filed under directly; themes without a regional measure are listed empty,
    so the questionnaire can say so.
    """
    lines = {line["id"]: {**line, "themes": {name: [] for name in line["themes"]}}
             for line in content.get("national_action_lines", [])}
    other = {"id": None, "number": None, "name": "", "themes": {}}
    status_labels = _labels(MeasureStatus)
    seen = set()
    for regional in content["action_lines"]:
        for measure in regional["measures"]:
            links = [(nm["action_line_id"], nm["theme"], f"{nm['number']} {nm['title']}")
                     for nm in measure["national_measures"]]
            links += [(theme["action_line_id"], theme["name"], "") for theme in measure["national_themes"]]
            for line_id, theme, national_measure in links:
                key = (line_id, theme, measure["id"], national_measure)
                if key in seen:
                    continue
                seen.add(key)
                target = lines.get(line_id, other)
                target["themes"].setdefault(theme, []).append({
                    "national_measure": national_measure,
                    "measure": measure["title"],
                    "owner": measure["owner"],
                    "status": capfirst(str(status_labels.get(measure["status"], measure["status"]))),
                    "progress": measure["progress"],
                    "regional_action_line": f"{regional['number']}. {regional['name']}",
                    "narrative": regional["narrative"],
                })
    # A measure that names a theme as well as a national measure of that theme appears once per link;
    # a bare theme link is dropped when the same measure already appears under that theme.
    for line in [*lines.values(), other]:
        for theme, rows in line["themes"].items():
            named = {row["measure"] for row in rows if row["national_measure"]}
            line["themes"][theme] = [row for row in rows if row["national_measure"] or row["measure"] not in named]
    result = [
        {"number": line["number"], "name": line["name"],
         "themes": [{"name": name, "rows": rows} for name, rows in line["themes"].items()]}
        for line in sorted(lines.values(), key=lambda item: item["number"])
    ]
    if other["themes"]:
        result.append({"number": None, "name": "", "themes": [{"name": name, "rows": rows}
                                                            for name, rows in other["themes"].items()]})
    return result
