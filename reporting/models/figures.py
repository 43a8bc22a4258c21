"""Figures per indicator, organisation and period, and their imports (issue: figures)."""
