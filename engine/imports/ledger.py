"""Ledger import (要约台账): past campaign records become cases, fired through the workflow machine.

Each row (credit_code, year, level, offer_date, response, response_date) is one enterprise's offer of
one campaign year: a case of the default workflow opened at the offer date, `send_offer` fired there
(received the same day), and `accept` or `refuse` fired at the response date (response `none`: the
case stays `offer_sent`). Reports then count past years exactly like live ones. A rule the machine
refuses (an enterprise without a union offered at enterprise level; a reply before the offer) makes
the row bad, with the rule and its source. The opened event records the file and row.

Identity: one case per enterprise and offer year. Re-importing a row whose case already says the same
is unchanged; a row that adds the reply to a case still waiting fires it (updated); a row that
contradicts what a case records is refused, because events are never edited.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import replace
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine import registry
from engine.case import Case
from engine.errors import RefusedError
from engine.imports.columns import Column, choice, credit_code, day, year
from engine.imports.core import Issue, Kind, Outcome, Row
from engine.store import access, directory
from engine.store.repository import Change, load_case, save
from engine.store.tables import case_t, enterprise_t
from engine.times import at_date, local_date
from engine.usecases import acts

LEVEL_WORDS = {
    "enterprise": ("企业", "企业工会", "本级", "本企业工会", "企业工会要约", "单独要约", "自主要约"),
    "upper": ("上级", "上级工会", "上一级工会", "上级工会要约", "上一级工会要约", "两级要约", "代为要约", "代位要约"),
}
RESPONSE_WORDS = {
    "accepted": ("accept", "yes", "y", "是", "应约", "已应约", "同意", "接受", "同意协商"),
    "refused": ("refuse", "rejected", "no", "n", "否", "拒绝", "拒绝应约", "未应约", "不同意", "拒绝协商"),
    "none": ("无", "未答复", "待答复", "未回复", "待回复", "暂无", "尚未答复", "-", "—", "pending"),
}
TRIGGER = {"accepted": "accept", "refused": "refuse"}
SAME_RESPONSE = {"accepted": ("accepted",), "refused": ("refused", "lapsed")}

COLUMNS = (
    Column("credit_code", "统一社会信用代码", credit_code,
           ("社会信用代码", "信用代码", "统一信用代码", "统一代码", "uscc", "credit code"), required=True),
    Column("year", "年度", year, ("年份", "要约年度", "campaign_year")),
    Column("level", "要约方式", choice(LEVEL_WORDS, "要约方式", "offer level"),
           ("要约层级", "要约主体", "要约单位", "发出方", "要约级别", "offer_level"), required=True),
    Column("offer_date", "要约日期", day, ("要约时间", "发出要约日期", "发出日期", "要约书发出日期", "offered_on"), required=True),
    Column("response", "应约情况", choice(RESPONSE_WORDS, "应约情况", "response"),
           ("应约", "是否应约", "答复情况", "回复情况", "应约结果")),
    Column("response_date", "应约日期", day, ("答复日期", "回复日期", "应约时间", "答复时间", "responded_on")),
)
# Which column a refusal of the machine points at, by rule.
RULE_COLUMN = {"offer_level_allowed": "level", "events_in_order": "response_date", "received_not_before_sent": "offer_date"}


class LedgerImport(Kind):
    """Offer ledger rows, keyed by (credit code, year), written as cases through the machine."""

    name = "ledger"
    zh = "要约台账"
    columns = COLUMNS
    batch = 500

    def __init__(self, *, recorded_at: datetime, actor: str, workflow: str | None = None) -> None:
        super().__init__()
        self.recorded_at = recorded_at
        self.actor = actor
        self.spec = registry.spec(workflow or registry.DEFAULT_WORKFLOW)
        self.jurisdictions: dict[str, str] = {}

    def check(self, row: Row) -> list[Issue]:
        v = row.values
        offered: date = v["offer_date"]
        today = local_date(self.recorded_at)
        ahead = [self.issue(row, key, f"日期 {v[key].isoformat()} 晚于今天（{today.isoformat()}）：台账只记录已经发生的要约和答复",
                            f"the date {v[key].isoformat()} is after today ({today.isoformat()}): a ledger records offers "
                            "and replies that have happened", rule="event_time")
                 for key in ("offer_date", "response_date") if key in v and v[key] > today]
        if ahead:
            return ahead
        if "year" in v and v["year"] != offered.year:
            return [self.issue(row, "year", f"要约日期 {offered.isoformat()} 不在 {v['year']} 年度",
                               f"the offer date {offered.isoformat()} is not in {v['year']}", rule="ledger_year")]
        v["year"] = offered.year
        v.setdefault("response", "none")
        if v["response"] == "none" and "response_date" in v:
            return [self.issue(row, "response_date", "应约情况为无（none）时不应填写应约日期",
                               "a response date is given but the response is none", rule="ledger_response")]
        if v["response"] != "none" and "response_date" not in v:
            return [self.issue(row, "response_date", f"应约情况为 {v['response']} 时必须填写应约日期",
                               f"the response is {v['response']}: give its date", rule="ledger_response")]
        return []

    def key(self, row: Row) -> Hashable:
        return (row.values["credit_code"], row.values["year"])

    def key_columns(self) -> tuple[str, ...]:
        return ("credit_code", "year")

    def places(self, conn: Connection, orgs: Any, row: Row) -> list[str | None]:
        """The path of the row's enterprise (an unknown one is left to the row checks)."""
        found = access.enterprise_path(conn, str(row.values["credit_code"]))
        return [found] if found else []

    def _jurisdiction(self, conn: Connection, org_code: str) -> str:
        if org_code not in self.jurisdictions:
            self.jurisdictions[org_code] = directory.jurisdiction_of(conn, org_code)
        return self.jurisdictions[org_code]

    def _fire(self, change: Change, trigger: str, data: dict[str, Any], on: date) -> Change:
        fired = acts.fire(change.case, trigger, data, at=at_date(on), recorded_at=self.recorded_at, actor=self.actor)
        return acts.then(change, fired)

    def _play(self, change: Change, v: dict[str, Any], *, offer: bool) -> Change:
        """The row's offer (unless the case has it already) and reply, fired on a pending change."""
        if offer:
            change = self._fire(change, "send_offer", {"level": v["level"], "received_on": v["offer_date"]}, v["offer_date"])
        if v["response"] != "none":
            change = self._fire(change, TRIGGER[v["response"]], {}, v["response_date"])
        return change

    def _refusal(self, row: Row, exc: RefusedError) -> list[Issue]:
        column = RULE_COLUMN.get(exc.rule, "")
        if exc.rule == "event_time":  # today, but later in the day than now: the date whose instant it is
            replied = row.values.get("response_date")
            column = "response_date" if replied and str(exc.actual).startswith(replied.isoformat()) else "offer_date"
        return [self.issue(row, column, exc.zh, exc.en, rule=exc.rule, source=exc.source)]

    def apply(self, conn: Connection, rows: list[Row]) -> list[tuple[Row, Outcome]]:
        codes = sorted({r.values["credit_code"] for r in rows})
        ents = {e.credit_code: e for e in conn.execute(
            sa.select(enterprise_t.c.id, enterprise_t.c.credit_code, enterprise_t.c.has_union, enterprise_t.c.org_code)
            .where(enterprise_t.c.credit_code.in_(codes)))}
        cases: dict[tuple[int, int], Any] = {}
        for c in conn.execute(
            sa.select(case_t.c.id, case_t.c.enterprise_id, case_t.c.offer_year, case_t.c.offered_on, case_t.c.offer_level,
                      case_t.c.response, case_t.c.responded_on, case_t.c.state)
            .where(case_t.c.enterprise_id.in_([e.id for e in ents.values()]), case_t.c.workflow == self.spec.name,
                   case_t.c.offer_year.in_(sorted({r.values["year"] for r in rows})))
            .order_by(case_t.c.id)
        ):
            cases.setdefault((c.enterprise_id, c.offer_year), c)
        out: list[tuple[Row, Outcome]] = []
        fresh: dict[date, list[tuple[Row, dict[str, Any]]]] = {}
        updates: list[Change] = []
        for row in rows:
            v = row.values
            ent = ents.get(v["credit_code"])
            if ent is None:
                out.append((row, [self.issue(row, "credit_code", f"没有统一社会信用代码为 {v['credit_code']} 的企业，请先导入企业",
                                             f"no enterprise with credit code {v['credit_code']}: import it first",
                                             rule="enterprise_exists")]))
                continue
            target = {"id": ent.id, "credit_code": ent.credit_code, "has_union": ent.has_union,
                      "jurisdiction": self._jurisdiction(conn, ent.org_code)}
            known = cases.get((ent.id, v["year"]))
            if known is not None:
                out.append((row, self._compare(conn, row, known, updates)))
                continue
            trial = Case(0, ent.credit_code, self.spec.name, self.spec.version, self.spec.initial, target["jurisdiction"],
                         bool(ent.has_union))
            try:  # the machine's rules, on a case not written yet
                self._play(Change(0, trial, []), v, offer=True)
            except RefusedError as exc:
                out.append((row, self._refusal(row, exc)))
                continue
            fresh.setdefault(v["offer_date"], []).append((row, target))
            out.append((row, "inserted"))
        changes = list(updates)
        for on, group in sorted(fresh.items()):
            opened = acts.open_cases_in(conn, [t for _, t in group], spec_key=self.spec.key, at=at_date(on),
                                        recorded_at=self.recorded_at, actor=self.actor)
            for (row, _), change in zip(group, opened):
                first = change.events[0]
                source = {"source": "ledger", "file": self.file, "row": row.number}
                change = Change(0, change.case, [replace(first, data={**first.data, **source}, note="要约台账导入")])
                changes.append(self._play(change, row.values, offer=True))
        save(conn, changes)
        return out

    def _compare(self, conn: Connection, row: Row, known: Any, updates: list[Change]) -> Outcome:
        """A row for a case that exists: the same, a reply to add, or a contradiction."""
        v = row.values
        if known.offered_on != v["offer_date"] or known.offer_level != v["level"]:
            return [self.issue(
                row, "offer_date",
                f"案件 {known.id} 已记录 {v['year']} 年度的要约：{known.offered_on}（{known.offer_level}），与台账"
                f" {v['offer_date']}（{v['level']}）不符；事件不可修改，请用 bargain case 命令更正案件",
                f"case {known.id} already records the {v['year']} offer on {known.offered_on} ({known.offer_level}), not"
                f" {v['offer_date']} ({v['level']}); events are never edited: correct the case with bargain case commands",
                rule="ledger_conflict")]
        if v["response"] == "none" or (known.response in SAME_RESPONSE[v["response"]]
                                       and known.responded_on == v["response_date"]):
            return "unchanged"  # a ledger without the reply says nothing against a case that has it
        if known.response is None and known.state == "offer_sent":
            case = load_case(conn, known.id)
            try:
                updates.append(self._play(Change(case.version, case, []), v, offer=False))
            except RefusedError as exc:
                return self._refusal(row, exc)
            return "updated"
        return [self.issue(
            row, "response",
            f"案件 {known.id} 已记录答复 {known.response}（{known.responded_on}），与台账 {v['response']}"
            f"（{v['response_date']}）不符；事件不可修改",
            f"case {known.id} already records the reply {known.response} ({known.responded_on}), not {v['response']}"
            f" ({v['response_date']}); events are never edited", rule="ledger_conflict")]
