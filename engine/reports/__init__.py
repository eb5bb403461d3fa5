"""Reports for managers (DOMAIN §7): campaign, coverage (建制率), funnel, overdue; one SQL aggregate each, over the store."""
