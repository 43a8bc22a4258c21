"""Writes to measures, one module per topic: measures, participations, assessments, progress updates."""
