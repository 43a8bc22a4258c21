"""Load the reference data of region Zuidoost-Brabant and the national programmes; safe to run again."""

import csv
import datetime
import json
from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.text import slugify

from programme.models import (
    ActionLine,
    Goal,
    Indicator,
    NationalMeasure,
    Organisation,
    OrganisationKind,
    Population,
    Programme,
    ProgrammeLevel,
    Region,
    Theme,
    ViolenceForm,
)

DATA_DIR = Path(__file__).resolve().parent.parent.parent / "data"


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


class Command(BaseCommand):
    help = "Load (or refresh) the reference data; running it twice changes nothing the second time."

    @transaction.atomic
    def handle(self, *args, **options):
        data = json.loads((DATA_DIR / "reference.json").read_text(encoding="utf-8"))
        regions = self._regions(data["regions"])
        self._municipalities(regions[data["municipalities_region"]])
        for partner in data["partners"]:
            Organisation.objects.update_or_create(
                name=partner["name"],
                region=regions.get(partner["region"]),
                defaults={"kind": partner["kind"]},
            )
        # Keys of the forms in the breakdown column of the CBS Veilig Thuis tables (the total has a key "T00...").
        cbs_keys = data.get("violence_form_cbs_keys", {})
        for index, name in enumerate(data["violence_forms"], start=1):
            ViolenceForm.objects.update_or_create(
                slug=slugify(name)[:60], defaults={"name": name, "order": index, "cbs_key": cbs_keys.get(name, "")}
            )
        indicators = {}
        for spec in data["indicators"]:
            code = spec.pop("code")
            indicators[code], _created = Indicator.objects.update_or_create(code=code, defaults=spec)
        national = self._national_programmes(data["national_programmes"])
        self._regional_programme(data["regional_programme"], regions, national, indicators)
        self.stdout.write(
            self.style.SUCCESS(
                f"Reference data loaded: {Region.objects.count()} regions, {Organisation.objects.count()} "
                f"organisations, {Programme.objects.count()} programmes, {Goal.objects.count()} goals, "
                f"{ViolenceForm.objects.count()} forms of violence, {Indicator.objects.count()} indicators."
            )
        )

    def _regions(self, specs):
        regions = {}
        for spec in specs:  # parents come first in the file
            regions[spec["code"]], _created = Region.objects.update_or_create(
                code=spec["code"], defaults={"name": spec["name"], "parent": regions.get(spec["parent"])}
            )
        return regions

    def _municipalities(self, region):
        with (DATA_DIR / "zuidoost-brabant-municipalities.csv").open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                municipality, _created = Organisation.objects.update_or_create(
                    cbs_code=row["cbs_code"],
                    defaults={
                        "name": row["name"],
                        "kind": OrganisationKind.MUNICIPALITY,
                        "region": region,
                        "is_centre_municipality": row["centre_municipality"] == "yes",
                    },
                )
                is_estimate = row["inhabitants_note"] == "estimate"
                Population.objects.update_or_create(
                    organisation=municipality,
                    year=int(row["inhabitants_year"]),
                    defaults={
                        "inhabitants": int(row["inhabitants"]),
                        "is_estimate": is_estimate,
                        "note": "" if is_estimate else row["inhabitants_note"],
                    },
                )

    def _national_programmes(self, specs):
        programmes = {}
        for spec in specs:
            programmes[spec["short_name"]], _created = Programme.objects.update_or_create(
                short_name=spec["short_name"],
                level=ProgrammeLevel.NATIONAL,
                defaults={
                    "name": spec["name"],
                    "start_date": _date(spec["start_date"]),
                    "end_date": _date(spec["end_date"]),
                    "description": spec["description"],
                },
            )
        for spec in specs:
            programme = programmes[spec["short_name"]]
            programme.successor = programmes.get(spec["successor"])
            programme.save(update_fields=["successor"])
            lines = {}
            themes = {}
            for line_spec in spec["action_lines"]:
                line, _created = ActionLine.objects.update_or_create(
                    programme=programme, number=line_spec["number"], defaults={"name": line_spec["name"]}
                )
                lines[line.number] = line
                for theme_name in line_spec["themes"]:
                    themes[theme_name], _created = Theme.objects.get_or_create(action_line=line, name=theme_name)
            for measure in spec["national_measures"]:
                NationalMeasure.objects.update_or_create(
                    programme=programme,
                    number=measure["number"],
                    defaults={
                        "title": measure["title"],
                        "action_line": lines.get(measure["action_line"]),
                        "theme": themes.get(measure["theme"]),
                    },
                )
        return programmes

    def _regional_programme(self, spec, regions, national, indicators):
        programme, _created = Programme.objects.update_or_create(
            level=ProgrammeLevel.REGIONAL,
            region=regions[spec["region"]],
            short_name=spec["short_name"],
            defaults={
                "name": spec["name"],
                "national_programme": national[spec["national_programme"]],
                "start_date": _date(spec["start_date"]),
                "end_date": _date(spec["end_date"]),
                "description": spec["description"],
            },
        )
        # Once loaded, the regional framework is the project leader's to edit: get_or_create, so a
        # re-run never undoes their changes.
        for line_spec in spec["action_lines"]:
            line, _created = ActionLine.objects.get_or_create(
                programme=programme,
                number=line_spec["number"],
                defaults={"name": line_spec["name"], "description": line_spec["description"]},
            )
            for goal in line_spec["goals"]:
                Goal.objects.get_or_create(
                    action_line=line,
                    code=goal["code"],
                    defaults={
                        "title": goal["title"],
                        "baseline": Decimal(goal["baseline"]),
                        "baseline_year": goal["baseline_year"],
                        "target": Decimal(goal["target"]),
                        "direction": goal.get("direction", "higher"),
                        "unit": goal["unit"],
                        "deadline": _date(goal["deadline"]),
                        "indicator": indicators.get(goal.get("indicator")),
                    },
                )
            for theme_name in line_spec["themes"]:
                Theme.objects.get_or_create(action_line=line, name=theme_name)
