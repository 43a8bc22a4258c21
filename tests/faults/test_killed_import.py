"""An import whose process is killed (SIGKILL) in the middle of its confirm leaves no partial data."""

import signal
import subprocess
import sys
from pathlib import Path

from programme.models import ChangeRecord, Region
from reporting.imports import services
from reporting.models import Figure, FigureChange, FigureImport, FigureImportStatus
from tests.reporting.conftest import LONG, run_import

from .conftest import child_env, database_url

ROOT = Path(__file__).resolve().parent.parent.parent

# The child confirms the import, but stops for good right after the figures are written and before the
# transaction commits: it reports how many figures its own transaction sees, then waits to be killed.
CHILD = """
import sys, time, django
django.setup()
from django.contrib.auth import get_user_model
from reporting.imports import services
from reporting.models import Figure, FigureImport

def stop_here(**kwargs):
    print("written", Figure.objects.count(), flush=True)
    time.sleep(600)

services.record_change = stop_here
services.figure_import_confirm(figure_import=FigureImport.objects.get(pk=int(sys.argv[1])),
                               acting_user=get_user_model().objects.get(username="vt"))
print("committed", flush=True)
"""


def test_killed_confirm_writes_nothing_and_the_import_can_be_confirmed_again(users, postgresql, periods_all):
    region = Region.objects.get(code="zuidoost-brabant")
    text = "gemeente;periode;indicator;waarde\n" + "".join(
        f"{m};{y}KW0{q};adviesvragen-vt;{len(m) * y % 997 + q}\n"
        for m in ("Helmond", "Eindhoven", "Deurne", "Asten") for y in (2022, 2023, 2024) for q in (1, 2, 3, 4))
    figure_import = run_import(users["veilig_thuis"], region, text, mapping=LONG, confirm=False)
    assert (figure_import.created_count, figure_import.rejected_count) == (48, 0), list(
        figure_import.rows.values_list("action", "reason")[:3])
    assert Figure.objects.count() == 0
    history_before = ChangeRecord.objects.count()

    child = subprocess.Popen([sys.executable, "-c", CHILD, str(figure_import.pk)], cwd=ROOT,
                             env=child_env(DATABASE_URL=database_url(postgresql)),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = child.stdout.readline()
        assert line.split() == ["written", "48"], child.stderr.read() if not line else line
        # The figures exist inside the child's transaction; now the process dies without warning.
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL

    figure_import.refresh_from_db()
    assert figure_import.status == FigureImportStatus.PREVIEW
    assert Figure.objects.count() == 0 and FigureChange.objects.count() == 0
    assert ChangeRecord.objects.count() == history_before
    # Nothing is stuck: the same import confirms normally afterwards.
    services.figure_import_confirm(figure_import=figure_import, acting_user=users["veilig_thuis"])
    assert Figure.objects.count() == 48
    assert FigureImport.objects.get(pk=figure_import.pk).status == FigureImportStatus.CONFIRMED
