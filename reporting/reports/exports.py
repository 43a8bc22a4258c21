"""Excel export of a report's questionnaire view; every text cell is neutralised against formula injection."""


from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from programme.portal.spreadsheets import neutralise_formula


def questionnaire_workbook(report, lines: list[dict]) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Questionnaire")[:31]
    version = _("version %(revision)s (%(status)s)") % {"revision": report.revision,
                                                         "status": report.get_status_display()}
    sheet.append([neutralise_formula(f"{report.programme.name} – {report.period.label} – {version}")])
    sheet["A1"].font = Font(bold=True)
    headers = [
        _("National action line"), _("National theme"), _("National measure"), _("Regional measure"),
        _("Owner organisation"), _("Status"), _("Progress (%)"), _("Regional action line"),
        _("Narrative of the project leader"),
    ]
    sheet.append(headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for line in lines:
        line_name = f"{line['number']}. {line['name']}" if line["number"] else _("Other")
        for theme in line["themes"]:
            if not theme["rows"]:
                sheet.append([neutralise_formula(line_name), neutralise_formula(theme["name"]), "",
                              _("no regional measure")])
                continue
            for row in theme["rows"]:
                sheet.append([neutralise_formula(value) for value in (
                    line_name, theme["name"], row["national_measure"], row["measure"], row["owner"], row["status"],
                    row["progress"], row["regional_action_line"], row["narrative"],
                )])
    widths = [30, 30, 40, 40, 28, 14, 12, 40, 80]
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A3"
    return workbook

