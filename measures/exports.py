"""Excel and CSV exports of the filtered measure list, with Dutch headers and no spreadsheet formulas."""

import csv
import io
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from programme.portal.spreadsheets import neutralise_formula


def _names(items) -> str:
    return "; ".join(str(item) for item in items)


def _participants(measure) -> str:
    parts = []
    for participation in measure.participations.all():
        text = _("%(organisation)s from %(joined)s") % {
            "organisation": participation.organisation.name,
            "joined": date_format(participation.joined_on, "j-n-Y"),
        }
        if participation.left_on:
            text += " " + _("until %(left)s") % {"left": date_format(participation.left_on, "j-n-Y")}
        parts.append(text)
    return "; ".join(parts)


def columns():
    """(Dutch header, value function) per column, in the order of the export."""
    return [
        (_("Number"), lambda m: m.pk),
        (_("Title"), lambda m: m.title),
        (_("Description"), lambda m: m.description),
        (_("Action line"), lambda m: str(m.action_line)),
        (_("Goals"), lambda m: _names(m.goals.all())),
        (_("Themes"), lambda m: _names(m.themes.all())),
        (_("Forms of violence"), lambda m: _names(m.violence_forms.all())),
        (_("National measures"), lambda m: _names(m.national_measures.all())),
        (_("Owner organisation"), lambda m: m.owner.name),
        (_("Contact person"), lambda m: m.contact_name),
        (_("Contact e-mail"), lambda m: m.contact_email),
        (_("Start date"), lambda m: m.start_date),
        (_("End date"), lambda m: m.end_date),
        (_("Status"), lambda m: m.get_status_display()),
        (_("Health"), lambda m: m.get_health_display()),
        (_("Progress (%)"), lambda m: m.progress),
        (_("Planned budget (EUR)"), lambda m: m.budget),
        (_("Funding source"), lambda m: m.funding_source.name if m.funding_source else ""),
        (_("Spent (EUR)"), lambda m: m.spent_total),
        (_("Participating organisations"), _participants),
        (_("Archived"), lambda m: _("yes") if m.archived_at else _("no")),
    ]


def rows(measures):
    cols = columns()
    yield [header for header, _value in cols]
    for measure in measures:
        yield [neutralise_formula(value(measure)) for _header, value in cols]


def to_xlsx(measures) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Measures")[:31]
    for index, row in enumerate(rows(measures)):
        sheet.append([str(v) if isinstance(v, str) else v for v in row])
        if index == 0:
            for cell in sheet[1]:
                cell.font = Font(bold=True)
    for cell in sheet["L"][1:] + sheet["M"][1:]:
        cell.number_format = "DD-MM-YYYY"
    sheet.freeze_panes = "A2"
    return workbook


def _csv_value(value) -> str:
    # Dutch spreadsheets read a semicolon-separated file with decimal commas and day-month-year dates.
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if hasattr(value, "strftime"):
        return value.strftime("%d-%m-%Y")
    return str(value)


def to_csv(measures) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # the byte-order mark makes Excel read UTF-8
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for row in rows(measures):
        writer.writerow([_csv_value(value) for value in row])
    return buffer.getvalue()
