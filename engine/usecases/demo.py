"""A realistic sample city, played through the engine: organisations, enterprises, counselors and a
bargaining year (most cases reach `effective`, some are refused, some stall). Deterministic."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from engine.credit import make_credit_code
from engine.errors import RefusedError
from engine.store import directory
from engine.store.database import Store
from engine.store.repository import Change, save
from engine.store.tables import case_t, enterprise_t
from engine.times import at_date
from engine.usecases import acts

CITY = ("320500", "苏州市总工会", "city")
DISTRICTS = [
    ("320505", "虎丘区（高新区）总工会", ["320505001|狮山街道总工会", "320505002|浒墅关镇总工会"]),
    ("320506", "吴中区总工会", ["320506001|甪直镇总工会", "320506002|木渎镇总工会"]),
    ("320507", "相城区总工会", ["320507001|黄桥街道总工会", "320507002|望亭镇总工会"]),
    ("320508", "姑苏区总工会", ["320508001|平江街道总工会", "320508002|金阊街道总工会"]),
    ("320571", "苏州工业园区总工会", ["320571001|娄葑街道总工会", "320571002|斜塘街道总工会"]),
]
PLACES = ["苏州", "吴中", "姑苏", "相城", "园区", "高新", "金鸡湖", "太湖", "阳澄", "狮山", "木渎", "甪直"]
TRADES = [
    ("精密机械", "制造业"), ("电子科技", "制造业"), ("纺织", "制造业"), ("光电", "制造业"), ("医疗器械", "制造业"),
    ("食品", "制造业"), ("建材", "建筑业"), ("建设工程", "建筑业"), ("物流", "交通运输业"), ("商贸", "批发和零售业"),
    ("餐饮管理", "住宿和餐饮业"), ("酒店", "住宿和餐饮业"), ("软件", "信息技术服务业"), ("服装", "制造业"),
]
SUFFIXES = ["有限公司", "股份有限公司", "有限责任公司"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗"
GIVEN = ["建国", "秀英", "伟", "芳", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "霞", "平", "刚"]
TOPICS = ["职工年度平均工资水平及其调整幅度", "工资分配制度、工资标准和工资分配形式", "奖金、津贴、补贴等分配办法",
          "工资支付办法", "加班工资计算基数", "高温津贴标准", "工资协议的期限"]
COUNSELORS = [
    ("王建国", "男", date(1958, 5, 12),
     "大专", "2014年省总集体协商指导员培训", "苏州市总工会", "full_time", "原区总工会副主席", "retired", "320500"),
    ("李秀英", "女", date(1961, 9, 3),
     "本科", "2015年全总工资集体协商培训班", "吴中区总工会", "full_time", "原企业人力资源部经理", "retired", "320506"),
    ("陈明", "男", date(1963, 1, 20),
     "本科", "2016年市总指导员轮训", "虎丘区（高新区）总工会", "full_time", "原人社局劳动关系科", "off_post", "320505"),
    ("周静", "女", date(1965, 11, 8),
     "研究生", "2017年省总集体协商指导员培训", "苏州工业园区总工会", "full_time", "原高校劳动法教师", "retired", "320571"),
    ("徐涛", "男", date(1960, 7, 15),
     "大专", "2015年市总指导员轮训", "相城区总工会", "full_time", "原企业财务部主管", "retired", "320507"),
    ("孙敏", "女", date(1985, 4, 2),
     "本科", "2024年市总集体协商业务培训", "姑苏区总工会", "part_time", "区总工会民管部干部", "in_service", "320508"),
]


@dataclass
class Played:
    """What the demo built, for the summary it prints."""

    db: str
    orgs: int = 0
    enterprises: int = 0
    counselors: int = 0
    cases: int = 0
    by_state: dict[str, int] = field(default_factory=dict)
    showcase: int = 0
    regional: int = 0


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _reps(rng: random.Random, n: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    names = rng.sample([s + g for s in SURNAMES for g in GIVEN], 2 * n + 1)
    workers = [{"name": names[i], "chief": i == 0, "external": False} for i in range(n)]
    employer = [{"name": names[n + i], "chief": i == 0, "external": False} for i in range(n)]
    return workers, employer


def build_city(conn: Any, rng: random.Random, n_enterprises: int) -> tuple[int, int, int]:
    """Organisations, enterprises and counselors of the sample city."""
    directory.upsert_org(conn, CITY[0], CITY[1], CITY[2])
    orgs = 1
    towns: list[str] = []
    for code, name, subs in DISTRICTS:
        directory.upsert_org(conn, code, name, "district", CITY[0])
        orgs += 1
        for sub in subs:
            tcode, tname = sub.split("|")
            directory.upsert_org(conn, tcode, tname, "town", code)
            towns.append(tcode)
            orgs += 1
    directory.upsert_org(conn, "320500JX", "苏州市机械冶金工会", "industry", CITY[0])
    orgs += 1
    rows: list[dict[str, Any]] = []
    for i in range(n_enterprises):
        org = towns[i % len(towns)]
        trade, industry = rng.choice(TRADES)
        employees = int(min(3000, max(8, rng.lognormvariate(4.0, 1.0))))
        rows.append({
            "credit_code": make_credit_code(org[:6], 100000 + i * 7919 % 900000 + i),
            "name": f"{rng.choice(PLACES)}{trade}{SUFFIXES[i % 3]}" if i % 5 else f"苏州{rng.choice(PLACES)}{trade}{SUFFIXES[0]}",
            "org_code": org, "industry": industry, "employees": employees,
            "has_union": employees >= 25 or rng.random() < 0.5,
        })
    seen: set[str] = set()
    for r in rows:  # names must read as distinct firms
        base, k = r["name"], 2
        while r["name"] in seen:
            r["name"] = base.replace("有限", f"{k}号有限", 1) if "有限" in base else f"{base}{k}"
            k += 1
        seen.add(r["name"])
    directory.upsert_enterprises(conn, rows)
    for c in COUNSELORS:
        directory.add_counselor(conn, {
            "name": c[0], "gender": c[1], "birth_date": c[2], "education": c[3], "training": c[4], "employer": c[5],
            "kind": c[6], "background": c[7], "status": c[8], "term_start": date(2025, 1, 1),
            "term_end": date(2027, 12, 31), "phone": f"0512-6{rng.randint(1000000, 9999999)}", "org_code": c[9],
        })
    return orgs, len(rows), len(COUNSELORS)


def _counselor_name(counselor_id: int | None) -> str:
    """Who a demo step is recorded as: the counselor by name (a name on every act, DOMAIN §10), as `--by` records
    it; the counselors are numbered in the order of COUNSELORS."""
    if counselor_id is None or not 1 <= counselor_id <= len(COUNSELORS):
        return "市总民管部"
    return COUNSELORS[counselor_id - 1][0]


class Script:
    """Plays one case step by step, keeping the pending change; stops quietly when a step is refused."""

    def __init__(self, change: Change, recorded_at: datetime, actor: str, counselor_id: int | None) -> None:
        self.change = change
        self.recorded_at = recorded_at
        self.actor = actor
        self.counselor_id = counselor_id

    def step(self, trigger: str, day: date, data: dict[str, Any] | None = None, note: str = "") -> None:
        """Fire a trigger at 09:00 on a day."""
        fired = acts.fire(self.change.case, trigger, data or {}, at=at_date(day), recorded_at=self.recorded_at,
                             actor=self.actor, counselor_id=self.counselor_id, note=note)
        self.change = acts.then(self.change, fired)

    def log(self, activity: str, day: date, hours: float, note: str) -> None:
        """A counselor's involvement entry."""
        if self.counselor_id is None:
            return
        entry = acts.involvement(self.change.case, self.counselor_id, activity, at=at_date(day, 15),
                                    recorded_at=self.recorded_at, actor=self.actor, note=note, hours=hours)
        self.change = acts.then(self.change, entry)


def play_case(s: Script, rng: random.Random, fate: str, offer_day: date, has_union: bool, employees: int = 0) -> None:
    """One enterprise's bargaining year, up to where its fate stops it."""
    level = "enterprise" if has_union and rng.random() < 0.45 else "upper"
    s.step("send_offer", offer_day, {"level": level, "received_on": offer_day + timedelta(days=rng.randint(0, 2))},
           note="向企业行政方送达《工资集体协商要约书》")
    s.log("contact_management", offer_day + timedelta(days=1), 2.0, "上门与企业负责人沟通要约事项，说明工资集体协商的法律依据")
    if fate == "pending":
        return
    reply = offer_day + timedelta(days=rng.randint(3, 18))
    if fate == "refused":
        s.step("refuse", reply, {"reason": "企业称经营困难，暂不协商"})
        s.log("difficulty", reply + timedelta(days=2), 1.5, "企业以订单下滑为由拒绝协商，职工方情绪较大")
        return
    s.step("accept", reply, note="企业书面答复同意协商")
    d = reply + timedelta(days=rng.randint(5, 15))
    topics = rng.sample(TOPICS, rng.randint(2, 4))
    s.log("guide_topics", d - timedelta(days=2), 3.0, "指导企业工会通过问卷和座谈征集职工意见，梳理议题")
    s.step("set_topics", d, {"topics": topics, "opinions": rng.randint(20, 400)})
    if fate == "topics":
        return
    d += timedelta(days=rng.randint(5, 12))
    n = rng.choice([3, 3, 5, 5, 7])
    workers, employer = _reps(rng, n)
    s.log("guide_election", d - timedelta(days=1), 2.0, "指导职工方依法推选协商代表，首席代表由工会主席担任")
    elected: dict[str, Any] = {"worker_reps": workers, "employer_reps": employer, "recorder": _name(rng) + "（记录员）"}
    if not has_union:  # no union: the staff's consent, more than half (工资集体协商试行办法 art. 9)
        staff = max(employees, 2 * n)
        elected.update(staff_total=staff, staff_consenting=staff // 2 + 1)
    s.step("elect_reps", d, elected)
    rounds = rng.randint(1, 3)
    chair = "worker"
    for r in range(1, rounds + 1):
        d += timedelta(days=rng.randint(6, 14))
        s.step("hold_round", d, {"round": r, "chair": chair, "outcome": "双方就工资增幅交换意见" if r < rounds else "就工资增幅达成一致"})
        s.log("attend_round", d, 3.5, f"列席第{r}轮协商会议，协助职工方首席代表陈述诉求")
        if r == 1:
            s.log("position", d, 0.5, "职工方提出年度平均工资增长不低于当地工资指导线基准线")
        chair = "employer" if chair == "worker" else "worker"
    if fate == "stalled":
        s.log("difficulty", d + timedelta(days=3), 1.0, "企业方坚持增幅3%，与职工方6%诉求差距较大")
        return
    if fate == "suspended":
        s.step("suspend", d + timedelta(days=2), {"resume_on": d + timedelta(days=30)}, note="双方同意暂停，补充企业经营数据")
        s.log("strategy", d + timedelta(days=5), 1.0, "建议企业工会收集同行业工资数据，为下一轮协商做准备")
        return
    s.log("solution", d + timedelta(days=1), 1.0, "引用政府工资指导线和同行业工资水平，推动双方各让一步")
    d += timedelta(days=rng.randint(1, 4))
    s.step("agree_draft", d)
    d += timedelta(days=rng.randint(7, 20))
    total = rng.randint(30, 120)
    present = min(total, -(-2 * total // 3) + rng.randint(0, total // 4))
    s.log("guide_congress", d - timedelta(days=1), 2.0, "指导企业工会筹备职代会，审核代表资格和表决程序")
    s.step("approve", d, {"body": "congress", "total": total, "present": present,
                          "votes_for": min(present, total // 2 + 1 + rng.randint(0, total // 5))})
    if fate == "approved":
        return
    d += timedelta(days=rng.randint(1, 5))
    start = date(d.year, d.month, 1) + timedelta(days=31)
    start = date(start.year, start.month, 1)
    s.step("sign", d, {"term_start": start, "term_end": date(start.year + 1, start.month, start.day) - timedelta(days=1)})
    if fate == "signed":
        return
    d += timedelta(days=rng.randint(2, 6))
    s.step("file", d, {"authority": "苏州市人力资源和社会保障局", "received_on": d})
    if fate == "filed":
        return
    d += timedelta(days=rng.randint(5, 14))
    s.step("pass_review", d, note="收到《工资协议审查意见书》，无异议")
    d += timedelta(days=rng.randint(1, 4))
    s.step("publish", d, {"method": "厂务公开栏张贴并在职工微信群公布"})
    s.log("outcome", d + timedelta(days=1), 1.0, "工资专项集体合同生效，职工年度平均工资增长5%")


REGIONAL_TOWN = "320506001"  # 甪直镇: its catering and garment workshops
SMALL = 50


def play_regional(conn: Any, rng: random.Random, small: Sequence[Any], year: int, recorded_at: datetime) -> int:
    """The town union's regional wage contract with the small enterprises' representatives, covering them."""
    from engine.usecases.regional import apply_cover_in

    target = {"party_org": REGIONAL_TOWN, "jurisdiction": directory.jurisdiction_of(conn, REGIONAL_TOWN), "counselor_id": 2}
    (change,) = acts.open_cases_in(conn, [target], spec_key="regional_wage", at=at_date(date(year, 3, 2), 8),
                                   recorded_at=recorded_at, actor="吴中区总工会")
    s = Script(change, recorded_at, _counselor_name(2), 2)
    d = date(year, 3, 3)
    s.step("send_offer", d, {"level": "regional", "employer_side": "甪直镇小微企业推选的企业方代表"},
           note="镇总工会向辖区小微企业发出区域性工资集体协商要约")
    s.log("contact_management", d + timedelta(days=2), 4.0, "走访镇商会，协调小微企业推选企业方协商代表")
    s.step("accept", d + timedelta(days=12))
    s.step("set_topics", d + timedelta(days=20), {"topics": ["区域最低工资标准", "工资增幅", "加班工资计算基数"],
                                                  "opinions": 8 * max(1, len(small))})
    workers, employer = _reps(rng, 5)
    s.step("elect_reps", d + timedelta(days=28), {"worker_reps": workers, "employer_reps": employer, "recorder": "镇总工会干事"})
    s.step("hold_round", d + timedelta(days=36), {"chair": "worker", "outcome": "职工方提出区域最低工资高于当地标准10%"})
    s.log("attend_round", d + timedelta(days=36), 4.0, "主持区域性协商首轮会议，介绍同行业工资水平调查结果")
    s.step("hold_round", d + timedelta(days=45), {"chair": "employer", "outcome": "达成一致：高于当地最低工资8%"})
    s.step("agree_draft", d + timedelta(days=46))
    s.step("approve", d + timedelta(days=55), {"body": "congress", "total": 60, "present": 52, "votes_for": 49, "managers": 11})
    start = date(year, 6, 1)
    s.step("sign", d + timedelta(days=58), {"term_start": start, "term_end": date(year + 1, 5, 31)})
    s.step("file", d + timedelta(days=60), {"authority": "吴中区人力资源和社会保障局"})
    s.step("pass_review", d + timedelta(days=72))
    s.step("publish", d + timedelta(days=74), {"method": "各企业厂务公开栏张贴"})
    save(conn, [s.change])
    case_id = s.change.case.case_id
    apply_cover_in(conn, case_id, add=[e.credit_code for e in small], on=start, at=at_date(start), recorded_at=recorded_at,
                actor="吴中区总工会", note="甪直镇区域性工资专项集体合同覆盖辖区小微企业")
    return case_id


FATES = [("effective", 0.66), ("refused", 0.07), ("pending", 0.03), ("topics", 0.03), ("stalled", 0.06),
         ("suspended", 0.03), ("approved", 0.03), ("signed", 0.04), ("filed", 0.05)]


def run(store: Store, *, n_enterprises: int = 300, seed: int = 2026, year: int = 2026,
        progress: Callable[[int, int], None] | None = None) -> Played:
    """Build the sample city in an empty database and play one bargaining year."""
    rng = random.Random(seed)
    played = Played(db=store.url)
    recorded_at = datetime(year, 11, 23, 1, 0, tzinfo=UTC)
    with store.unit_of_work() as uow:
        conn = uow.conn
        if conn.execute(sa.select(sa.func.count()).select_from(enterprise_t)).scalar():
            raise RefusedError("演示数据库必须为空", "the demo needs an empty database",
                               hint_zh="请换一个新的 --out 文件夹", hint_en="use a new --out folder")
        played.orgs, played.enterprises, played.counselors = build_city(conn, rng, n_enterprises)
        everyone = conn.execute(sa.select(enterprise_t).order_by(enterprise_t.c.id)).all()
        # The small firms of one town bargain together: one regional contract covers them all.
        small = [e for e in everyone if e.org_code == REGIONAL_TOWN and e.employees < SMALL]
        ents = [e for e in everyone if not (e.org_code == REGIONAL_TOWN and e.employees < SMALL)]
        targets = [{"id": e.id, "credit_code": e.credit_code, "has_union": e.has_union,
                    "jurisdiction": directory.jurisdiction_of(conn, e.org_code),
                    "counselor_id": 1 + i % len(COUNSELORS)} for i, e in enumerate(ents)]
        opened = acts.open_cases_in(conn, targets, spec_key="enterprise_wage", at=at_date(date(year, 3, 2), 8),
                                    recorded_at=recorded_at, actor="市总民管部")
        changes = []
        for i, (change, ent) in enumerate(zip(opened, ents)):
            fate = rng.choices([f for f, _ in FATES], [w for _, w in FATES])[0]
            script = Script(change, recorded_at, _counselor_name(change.case.counselor_id), change.case.counselor_id)
            play_case(script, rng, fate, date(year, 3, 2) + timedelta(days=rng.randint(0, 9)), bool(ent.has_union),
                      int(ent.employees))
            changes.append(script.change)
            if progress:
                progress(i + 1, len(ents))
        save(conn, changes)
        played.regional = play_regional(conn, rng, small, year, recorded_at)
        played.cases = len(changes) + 1
        played.by_state = dict(conn.execute(sa.select(case_t.c.state, sa.func.count()).group_by(case_t.c.state)).all())
        played.showcase = next(
            (ch.case.case_id for ch in changes if ch.case.state == "effective" and len(ch.events) > 20),
            changes[0].case.case_id,
        )
        uow.commit()
    return played


# The demo's people (WEB.md: "the demo creates users and prints their logins"): an admin at the city, a
# district's manager, and two counselors (one at the city, one in that district). Passwords are printed.
DEMO_USERS = [
    ("admin", "市总系统管理员", "admin", CITY[0], None, "suzhou-admin-2026"),
    ("huqiu", "虎丘区总民管部", "manager", "320505", None, "huqiu-manager-2026"),
    ("wang", "王建国", "counselor", CITY[0], 1, "wang-counselor-2026"),
    ("chen", "陈明", "counselor", "320505", 3, "chen-counselor-2026"),
]


def add_users(store: Store) -> list[dict[str, Any]]:
    """The demo's users (the admin first: a database's first user must be one), with their passwords."""
    from engine.usecases import users

    out = []
    for login, name, role, org, counselor_id, password in DEMO_USERS:
        users.add_user(store, login, name=name, role=role, org=org, counselor_id=counselor_id, password=password)
        out.append({"login": login, "name": name, "role": role, "org": org, "counselor_id": counselor_id, "password": password})
    return out
