"""CSV on request (`?format=csv` or `Accept: text/csv`): one row per result of the page, nested fields flattened.

Comma-separated UTF-8 without a byte-order mark, for Power BI, R and Python; text cells pass the formula guard.
"""

import csv
import io

from rest_framework.renderers import BaseRenderer

from programme.portal.spreadsheets import neutralise_formula


def _flatten(row: dict, prefix: str = "") -> dict:
    flat = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        elif isinstance(value, list):
            joined = "|".join(str(v.get("id", v)) if isinstance(v, dict) else str(v) for v in value)
            flat[name] = neutralise_formula(joined)
        else:
            flat[name] = "" if value is None else neutralise_formula(value)
    return flat


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, dict) and "results" in data:
            rows = data["results"]
        elif isinstance(data, list):
            rows = data
        else:
            rows = [data] if isinstance(data, dict) else []
        flat = [_flatten(row) for row in rows if isinstance(row, dict)]
        header = list(dict.fromkeys(key for row in flat for key in row))
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=header, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(flat)
        return out.getvalue().encode("utf-8")
