"""The models of the programme app, one module per topic; every name is exposed here for `programme.models`."""

from .base import TimestampedModel, VersionedModel
from .changelog import ChangeAction, ChangeRecord
from .framework import (
    ActionLine,
    Goal,
    GoalDirection,
    NationalMeasure,
    Programme,
    ProgrammeLevel,
    Theme,
    ViolenceForm,
)
from .geography import (
    Organisation,
    OrganisationKind,
    Population,
    Region,
    cbs_municipality_code_validator,
    region_and_ancestor_ids,
    region_parents,
)
from .indicators import Aggregation, DisclosureSettings, Indicator, IndicatorUnit, Periodicity
from .people import Membership, Role
from .periods import (
    CBS_PERIOD_PREFIXES,
    PeriodKind,
    ReportingPeriod,
    check_period_number,
    period_bounds,
    valid_numbers,
)

__all__ = [
    "CBS_PERIOD_PREFIXES",
    "ActionLine",
    "Aggregation",
    "ChangeAction",
    "ChangeRecord",
    "Goal",
    "GoalDirection",
    "DisclosureSettings",
    "Indicator",
    "IndicatorUnit",
    "Membership",
    "NationalMeasure",
    "Organisation",
    "OrganisationKind",
    "PeriodKind",
    "Periodicity",
    "Population",
    "Programme",
    "ProgrammeLevel",
    "Region",
    "ReportingPeriod",
    "Role",
    "Theme",
    "TimestampedModel",
    "VersionedModel",
    "ViolenceForm",
    "cbs_municipality_code_validator",
    "check_period_number",
    "period_bounds",
    "region_and_ancestor_ids",
    "region_parents",
    "valid_numbers",
]
