"""Models of the reporting app, one module per sub-domain; model and table names are those of the single module."""

from reporting.models.api import ApiToken
from reporting.models.bottlenecks import Bottleneck, BottleneckStatus, Severity
from reporting.models.comments import FigureComment
from reporting.models.figures import (
    VALUE_FIELD,
    Figure,
    FigureBreakdown,
    FigureChange,
    FigureChangeAction,
    FigureSource,
    FigureStatus,
)
from reporting.models.imports import (
    CbsTableSync,
    FigureImport,
    FigureImportStatus,
    ImportFormat,
    ImportRow,
    ImportRowAction,
)
from reporting.models.lessons import Lesson
from reporting.models.locks import PeriodLock
from reporting.models.quality import FigureFlag, FigureFlagKind, ImportRowFlag
from reporting.models.reminders import ReminderKind, ReminderSent
from reporting.models.reports import ProgressReport, ReportSection, ReportStatus, ReportTransition
from reporting.models.selfscans import (
    ScanAnswer,
    ScanCriterion,
    ScanFramework,
    ScanImprovement,
    ScanStatus,
    ScanTheme,
    ScanTransition,
    SelfScan,
)

__all__ = [
    "VALUE_FIELD", "ApiToken", "Bottleneck", "BottleneckStatus", "CbsTableSync", "Figure", "FigureBreakdown",
    "FigureChange", "FigureChangeAction", "FigureComment", "FigureFlag", "FigureFlagKind", "ImportRowFlag",
    "FigureImport",
    "FigureImportStatus", "FigureSource", "FigureStatus", "ImportFormat", "ImportRow", "ImportRowAction", "Lesson",
    "PeriodLock", "ProgressReport", "ReminderKind", "ReminderSent", "ReportSection", "ReportStatus", "ReportTransition",
    "ScanAnswer", "ScanCriterion", "ScanFramework", "ScanImprovement", "ScanStatus", "ScanTheme", "ScanTransition",
    "SelfScan", "Severity",
]
