"""Fetch a CBS StatLine table for a region: `manage.py sync_cbs 84851NED --region zuidoost-brabant --user name`."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from programme.models import Region
from reporting.imports.statline import StatLineError, cbs_sync


class Command(BaseCommand):
    help = "Fetch the region's municipalities of a CBS StatLine table (OData v3) as an import."

    def add_arguments(self, parser):
        parser.add_argument("table", help="The CBS table, such as 84851NED (per municipality).")
        parser.add_argument("--region", required=True, help="The region's code.")
        parser.add_argument("--user", required=True, help="Who brings the figures in (needs entry rights).")
        parser.add_argument("--confirm", action="store_true",
                            help="Confirm the import at once (a scheduled run), unless a row is rejected.")
        parser.add_argument("--force", action="store_true", help="Fetch even when CBS reports no change.")

    def handle(self, *args, table, region, user, confirm, force, **options):
        try:
            region_obj = Region.objects.get(code=region)
            acting_user = get_user_model().objects.get(username=user)
        except (Region.DoesNotExist, get_user_model().DoesNotExist) as error:
            raise CommandError(str(error)) from error
        try:
            figure_import = cbs_sync(table=table, region=region_obj, acting_user=acting_user, confirm=confirm,
                                     force=force)
        except (StatLineError, ValidationError) as error:
            raise CommandError("; ".join(getattr(error, "messages", [str(error)]))) from error
        if figure_import is None:
            self.stdout.write(f"{table}: not modified since the last fetch; nothing downloaded.")
            return
        self.stdout.write(
            f"{table}: import {figure_import.pk} ({figure_import.get_status_display()}): "
            f"{figure_import.created_count} new, {figure_import.updated_count} changed, "
            f"{figure_import.unchanged_count} unchanged, {figure_import.outside_count} outside the region, "
            f"{figure_import.rejected_count} rejected, of which {figure_import.locked_count} in a locked period.")
