"""Progress reports with their workflow, bottlenecks and lessons (issue: progress reports)."""
