"""Reports for managers (DOMAIN §7): campaign, coverage, funnel, overdue. One SQL aggregate each, over the store."""

from engine.reports.campaign import campaign
from engine.reports.coverage import coverage
from engine.reports.funnel import funnel
from engine.reports.model import Chart, Column, Report, Section
from engine.reports.overdue import overdue

__all__ = ["Chart", "Column", "Report", "Section", "campaign", "coverage", "funnel", "overdue"]
