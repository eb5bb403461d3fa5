"""Counselor registration rules (DOMAIN §6; the Dalian notice of 2015-03-27 and its form's note 1)."""

from __future__ import annotations

from typing import Any, Mapping

from engine.errors import RuleError

KINDS = ("full_time", "part_time")
STATUSES = ("retired", "off_post", "in_service")
FULL_TIME_SOURCE = "大连市总工会《关于组织开展工资集体协商专职指导员总结工作经验、畅谈工作体会活动的通知》(2015) 附件注1"


def check_registration(fields: Mapping[str, Any]) -> None:
    """Full-time counselors are retired or off-post; staff in service (unions, HR bureaus) are part-time only."""
    if fields.get("kind") == "full_time" and fields.get("status") == "in_service":
        raise RuleError(
            "在职人员（各级工会、人社部门负责集体协商工作的在职人员）只能登记为兼职指导员，不能登记为专职",
            "staff in service (at a union or an HR bureau) may only be part-time counselors, never full-time",
            rule="full_time_is_retired_or_off_post", source=FULL_TIME_SOURCE,
            required="status retired|off_post", actual="in_service",
        )
