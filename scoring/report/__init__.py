"""Stage 6b: a self-contained HTML report for people who will not read a terminal tree.

``pages`` turns typed outcomes into view data (labels, bars, timelines) and renders
them with Jinja2 (auto-escaping on, so quotes and notes always show as text);
``build`` is the ``tipscore report`` command's public function. Nothing is
recomputed in the page: every figure comes from an ``Outcome``.
"""

from scoring.report.build import ReportKind, build_report

__all__ = ["ReportKind", "build_report"]
