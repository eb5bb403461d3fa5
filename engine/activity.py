"""The kinds of counselor involvement (DOMAIN §6, from the Dalian notice and the 2008 ACFTU opinion)."""

from __future__ import annotations

ACTIVITIES: dict[str, tuple[str, str]] = {
    "contact_management": ("与企业行政方沟通", "communicating with management"),
    "guide_topics": ("指导征集确定协商议题", "guiding topic collection"),
    "guide_election": ("指导推选协商代表", "guiding the election of representatives"),
    "attend_round": ("参加或主持协商会议", "attending or chairing a round"),
    "guide_congress": ("指导召开职代会", "guiding the worker congress"),
    "position": ("代表职工提出的主要观点", "a position argued for the workers"),
    "strategy": ("运用的策略技巧", "a strategy used"),
    "difficulty": ("遇到的困难", "a difficulty met"),
    "solution": ("解决的办法", "how it was solved"),
    "train_reps": ("培训职工协商代表", "training worker representatives"),
    "outcome": ("取得的效果", "the outcome"),
    "experience": ("经验和体会", "experience and reflections"),  # the Dalian notice asks for 经验和体会 too
}
