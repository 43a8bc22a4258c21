"""Excel in and out of the self-scan: an offline form per team, its validated upload, and the region's scores.

The form carries the framework's id and each criterion's key, so an upload is matched by identity, not by the
order of the rows; a file of another framework or year is refused as a whole.
"""

import io
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from programme.portal.spreadsheets import neutralise_formula
from reporting.selfscans.services import Answer

SHEET = "Zelfscan"
FIRST_ROW = 7
IMPROVEMENT_ROW = 5  # on the sheet "Algemeen", below the strengths
MAX_IMPROVEMENTS = 50
NA_WORDS = {"n.v.t.", "nvt", "n.v.t", "niet van toepassing", "na", "n/a", "not applicable"}
MAX_BYTES = 2 * 1024 * 1024


def _safe(value) -> str:
    return neutralise_formula(str(value or ""))


def scan_form_workbook(*, framework, municipality, answers=None, strengths: str = "", improvements=()) -> Workbook:
    """The form of one team for one year, filled with the saved answers if given (criteria in framework order)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet["A1"] = _safe(f"{framework.title} {framework.year}")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"], sheet["B2"] = _("Municipality"), _safe(municipality.name)
    sheet["A3"], sheet["B3"] = _("Year"), framework.year
    sheet["A4"], sheet["B4"] = _("Form code (do not change)"), f"zelfscan-{framework.pk}-{municipality.pk}"
    sheet["A5"] = _("Score: 1 not yet, 2 started, 3 largely, 4 fully, or n.v.t. (not applicable).")
    header = [_("Key (do not change)"), _("Theme"), _("Criterion"), _("Help text"), _("Score"), _("Explanation")]
    for column, title in enumerate(header, start=1):
        cell = sheet.cell(row=FIRST_ROW - 1, column=column, value=title)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDDDDD")
    saved = {a.criterion_id: a for a in (answers or [])}
    criteria = list(framework.criteria.select_related("theme").order_by("theme__order", "theme_id", "order", "pk"))
    for offset, criterion in enumerate(criteria):
        row = FIRST_ROW + offset
        answer = saved.get(criterion.pk)
        score = ""
        if answer is not None:
            score = "n.v.t." if answer.not_applicable else (answer.score or "")
        values = [criterion.key, _safe(criterion.theme.name), _safe(criterion.text), _safe(criterion.help_text), score,
                  _safe(answer.explanation if answer else "")]
        for column, value in enumerate(values, start=1):
            sheet.cell(row=row, column=column, value=value).alignment = Alignment(wrap_text=True, vertical="top")
    if criteria:
        validation = DataValidation(type="list", formula1='"1,2,3,4,n.v.t."', allow_blank=True,
                                    error=_("Choose 1, 2, 3, 4 or n.v.t."), showErrorMessage=True)
        sheet.add_data_validation(validation)
        validation.add(f"E{FIRST_ROW}:E{FIRST_ROW + len(criteria) - 1}")
    for column, width in zip("ABCDEF", (22, 28, 60, 40, 10, 60), strict=True):
        sheet.column_dimensions[column].width = width
    general = workbook.create_sheet("Algemeen")
    general["A1"] = _("Strengths of the team")
    general["A1"].font = Font(bold=True)
    general["A2"] = _safe(strengths)
    general["A4"] = _("Points to improve (one per row)")
    general["A4"].font = Font(bold=True)
    for offset, text in enumerate(improvements):
        general.cell(row=IMPROVEMENT_ROW + offset, column=1, value=_safe(text))
    general.column_dimensions["A"].width = 100
    return workbook


@dataclass
class ParsedScan:
    answers: dict = field(default_factory=dict)  # criterion id -> Answer
    strengths: str = ""
    errors: list = field(default_factory=list)  # (row or None, message)
    rows: list = field(default_factory=list)  # preview: (criterion text, score label, explanation)
    improvements: list = field(default_factory=list)  # texts of the points to improve

    @property
    def is_valid(self) -> bool:
        return not self.errors


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def parse_scan_form(content: bytes, *, framework, municipality) -> ParsedScan:
    """Read an uploaded form; every bad cell is an error with its row, and nothing is saved unless all is valid."""
    parsed = ParsedScan()
    if len(content) > MAX_BYTES:
        parsed.errors.append((None, _("The file is larger than 2 MB; upload the self-scan form itself.")))
        return parsed
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        parsed.errors.append((None, _("This is not an Excel file (.xlsx) that the portal can read.")))
        return parsed
    if SHEET not in workbook.sheetnames:
        parsed.errors.append((None, _("The sheet 'Zelfscan' is missing: download the form from the portal.")))
        return parsed
    sheet = workbook[SHEET]
    code = _text(sheet["B4"].value)
    if code != f"zelfscan-{framework.pk}-{municipality.pk}":
        parsed.errors.append((4, _("This form belongs to another year or municipality (form code %(code)s).")
                              % {"code": code or "–"}))
        return parsed
    criteria = {c.key: c for c in framework.criteria.all()}
    seen = set()
    for number, row in enumerate(sheet.iter_rows(min_row=FIRST_ROW, max_col=6, values_only=True), start=FIRST_ROW):
        key = _text(row[0] if row else "")
        if not key:
            continue
        criterion = criteria.get(key)
        if criterion is None:
            parsed.errors.append((number, _("Unknown criterion key '%(key)s'.") % {"key": key[:60]}))
            continue
        if key in seen:
            parsed.errors.append((number, _("The criterion '%(key)s' appears twice.") % {"key": key}))
            continue
        seen.add(key)
        raw = _text(row[4] if len(row) > 4 else "")
        explanation = _text(row[5] if len(row) > 5 else "")
        if raw.lower() in NA_WORDS:
            answer, label = Answer(not_applicable=True, explanation=explanation), _("not applicable")
        elif raw == "":
            answer, label = Answer(explanation=explanation), "–"
        else:
            try:
                number_value = float(raw.replace(",", "."))
            except ValueError:
                number_value = None
            if number_value is None or number_value not in (1, 2, 3, 4):
                parsed.errors.append((number, _("Score '%(value)s' for '%(criterion)s' is not 1, 2, 3, 4 or n.v.t.")
                                      % {"value": raw[:20], "criterion": criterion.text[:80]}))
                continue
            answer, label = Answer(score=int(number_value), explanation=explanation), str(int(number_value))
        if len(explanation) > 5000:
            parsed.errors.append((number, _("The explanation is longer than 5,000 characters.")))
            continue
        parsed.answers[criterion.pk] = answer
        parsed.rows.append((criterion.text, label, explanation))
    if "Algemeen" in workbook.sheetnames:
        general = workbook["Algemeen"]
        parsed.strengths = _text(general["A2"].value)
        for number, row in enumerate(general.iter_rows(min_row=IMPROVEMENT_ROW, max_col=1, values_only=True),
                                     start=IMPROVEMENT_ROW):
            text = _text(row[0] if row else "")
            if not text:
                continue
            if len(text) > 500:
                parsed.errors.append((number, _("A point to improve is longer than 500 characters (sheet "
                                                "'Algemeen').")))
            elif len(parsed.improvements) >= MAX_IMPROVEMENTS:
                parsed.errors.append((number, _("More than 50 points to improve; keep the most important ones.")))
                break
            elif text not in parsed.improvements:
                parsed.improvements.append(text)
    workbook.close()
    return parsed


def encode_answers(parsed: ParsedScan) -> dict:
    return {"strengths": parsed.strengths, "improvements": parsed.improvements,
            "answers": {str(k): [a.score, a.not_applicable, a.explanation] for k, a in parsed.answers.items()}}


def decode_answers(payload: dict) -> tuple[dict, str, list]:
    answers = {int(k): Answer(score=v[0], not_applicable=bool(v[1]), explanation=v[2])
               for k, v in payload["answers"].items()}
    return answers, payload.get("strengths", ""), list(payload.get("improvements", []))


def region_scores_workbook(*, framework, rows: list[tuple]) -> Workbook:
    """The region's scores of the year: one row per municipality and criterion (no explanations)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Scores"
    header = [_("Municipality"), _("Theme"), _("Key"), _("Criterion"), _("Score"), _("Scan version")]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for municipality, theme, key, text, score, not_applicable, revision in rows:
        sheet.append([_safe(municipality), _safe(theme), key, _safe(text),
                      "n.v.t." if not_applicable else score, revision])
    return workbook
