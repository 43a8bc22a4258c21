"""The read API under /api/v1/: DRF viewsets over the same selectors and disclosure step as the pages."""
