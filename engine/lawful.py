"""No path around the law: the facts each check needs, whichever way a case reached its state. Pure.

A check (a rule of engine/rules.py) presumes earlier steps: a bargaining round is held by elected
representatives on topics set in preparation (集体合同规定 arts. 19, 33), the congress votes on a draft
formed in bargaining (arts. 34, 36), the chiefs sign what the congress approved (art. 37), and a
contract is in force only after all of them (劳动合同法 art. 51). `NEEDS` says so per rule, by rule
name, so that no workflow file can opt out by leaving a requirement unwritten.

From those, each state's preconditions are the needs of the checks of the transitions leaving it (plus,
for a state in which the contract is in force, `IN_FORCE_NEEDS`). A rule "has passed" on a case when a
trigger carrying it has fired. The analysis (`guaranteed`) works out, for every state, the rules that
have passed on EVERY path to it; where a state's preconditions are not all guaranteed, the transitions
that let a case in without them are a bypass, and the file is refused when it loads (`bypasses`). A
superseded version (one with a later version of the same workflow) still serves its running cases; its
bypass is closed at run time instead (`guards`): the machine refuses the trigger on a case that lacks
the facts. A trigger with several destinations (`dest = [...]`) goes to the first whose preconditions
the case meets.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from engine.errors import SetupError
from engine.spec import Transition, WorkflowSpec

TOPICS, REPS, ROUND, APPROVAL = "topics_present", "reps_min_each_side", "round_held_before_draft", "majority_of_all"

# rule -> (rules that must have passed on the case before it can be applied, the law that orders them)
NEEDS: Mapping[str, tuple[frozenset[str], str]] = {
    "round_is_next": (frozenset({TOPICS, REPS}), "集体合同规定 arts. 19, 33"),
    "chiefs_alternate": (frozenset({TOPICS, REPS}), "集体合同规定 arts. 19, 33"),
    ROUND: (frozenset({TOPICS, REPS}), "集体合同规定 arts. 19, 33"),
    APPROVAL: (frozenset({TOPICS, REPS, ROUND}), "集体合同规定 arts. 34, 36"),
    "quorum_met": (frozenset({TOPICS, REPS, ROUND}), "集体合同规定 arts. 34, 36"),
    "vote_did_not_pass": (frozenset({TOPICS, REPS, ROUND}), "集体合同规定 arts. 34, 36"),
    "term_within_limits": (frozenset({TOPICS, REPS, ROUND, APPROVAL}), "集体合同规定 arts. 36, 37"),
}
IN_FORCE_NEEDS = (frozenset({TOPICS, REPS, APPROVAL}), "劳动合同法 art. 51; 集体合同规定 arts. 19, 33, 36, 37")

# What a person reads for a missing rule: the step that supplies it, and the article that requires it.
STEP = {
    TOPICS: ("确定议题（set_topics）", "topics set (set_topics)"),
    REPS: ("产生协商代表（elect_reps）", "representatives elected (elect_reps)"),
    ROUND: ("召开协商会议并形成草案（hold_round, agree_draft）", "a round held and a draft agreed (hold_round, agree_draft)"),
    APPROVAL: ("职代会通过（approve）", "the congress's approval (approve)"),
}
STEP_SOURCE = {TOPICS: "集体合同规定 art. 33", REPS: "集体合同规定 art. 19", ROUND: "集体合同规定 art. 34",
               APPROVAL: "集体合同规定 arts. 36, 37"}


def provides(t: Transition) -> frozenset[str]:
    """The rules a transition's checks enforce: once it fired, they have passed on the case."""
    return frozenset(c.rule for c in t.checks)


def preconditions(spec: WorkflowSpec) -> dict[str, frozenset[str]]:
    """state -> the rules that must have passed on a case in that state (what its later checks need)."""
    out: dict[str, set[str]] = {s: set() for s in spec.states}
    for name, st in spec.states.items():
        if st.in_force:
            out[name] |= IN_FORCE_NEEDS[0]
    for t in spec.transitions.values():
        need: set[str] = set()
        for c in t.checks:
            need |= NEEDS.get(c.rule, (frozenset(), ""))[0]
        for source in t.sources:
            out[source] |= need
    return {s: frozenset(r) for s, r in out.items()}


def sources_of(rules: frozenset[str]) -> str:
    """The law ordering the given rules, for a refusal."""
    cited = [STEP_SOURCE[r] for r in (REPS, TOPICS, ROUND, APPROVAL) if r in rules]
    return "; ".join(dict.fromkeys(cited)) or IN_FORCE_NEEDS[1]


def guaranteed(spec: WorkflowSpec, *, guarded: bool = False) -> dict[str, frozenset[str]]:
    """state -> the rules passed on every path to it (a must-analysis to a fixpoint). A transition with several
    destinations enters each only when the case meets its preconditions, so it guarantees them; with
    `guarded`, every transition does (the machine checks at run time what the path does not guarantee)."""
    pre = preconditions(spec)
    every = frozenset(c.rule for t in spec.transitions.values() for c in t.checks) | frozenset().union(*pre.values())
    must: dict[str, frozenset[str]] = {s: every for s in spec.states}
    must[spec.initial] = frozenset()
    reached = {spec.initial}
    changed = True
    while changed:
        changed = False
        incoming: dict[str, frozenset[str]] = {}
        for t in spec.transitions.values():
            for source in t.sources:
                if source not in reached:
                    continue
                for dest in t.destinations:
                    got = must[source] | provides(t)
                    if guarded or len(t.destinations) > 1:
                        got |= pre[dest]
                    incoming[dest] = incoming[dest] & got if dest in incoming else got
        for dest, got in incoming.items():
            new = got if dest != spec.initial else frozenset()
            if dest not in reached or new != must[dest]:
                reached.add(dest)
                must[dest] = new
                changed = True
    return {s: must[s] for s in spec.states if s in reached}


@dataclass(frozen=True)
class Bypass:
    """A transition that lets a case into a state without facts that state's later checks need."""

    trigger: str
    source: str
    dest: str
    missing: frozenset[str]

    def describe(self, lang: str = "en") -> str:
        """One line naming the trigger, the states and the steps skipped."""
        steps = [STEP.get(r, (r, r))[0 if lang == "zh" else 1] for r in sorted(self.missing)]
        if lang == "zh":
            return f"{self.trigger}（{self.source} → {self.dest}）可绕过：{'、'.join(steps)}"
        return f"{self.trigger} ({self.source} -> {self.dest}) skips {', '.join(steps)}"


def bypasses(spec: WorkflowSpec) -> list[Bypass]:
    """The transitions by which a case may enter a state lacking some of its preconditions: exactly those the
    machine would have to check at run time (`guards`), the other paths being lawful by construction. For a
    trigger with several destinations only the last counts: it is the fallback, and must always be lawful."""
    return [Bypass(trigger, source, options[-1][0], frozenset(r for r, _ in options[-1][1]))
            for (source, trigger), options in guards(spec).items() if options[-1][1]]


def validate(spec: WorkflowSpec, *, superseded: bool) -> None:
    """Refuse a workflow version that opens a path around the law, unless a later version replaces it (it
    then only serves its running cases, and the machine's run-time guards close the path)."""
    found = bypasses(spec)
    if found and not superseded:
        raise SetupError(
            f"工作流 {spec.key} 有绕过法定程序的路径：" + "；".join(b.describe("zh") for b in found)
            + f"（{sources_of(frozenset().union(*(b.missing for b in found)))}）",
            f"workflow {spec.key} has a path around the law: " + "; ".join(b.describe("en") for b in found)
            + f" ({sources_of(frozenset().union(*(b.missing for b in found)))})",
            hint_zh="让该触发器返回可以依法开始协商的状态，或用 dest = [...] 按条件选择",
            hint_en="send the trigger where bargaining can lawfully start, or choose with dest = [...]",
        )


Guard = tuple[str, tuple[tuple[str, tuple[str, ...]], ...]]  # (dest, ((rule, triggers carrying it), ...))


def _carriers(spec: WorkflowSpec) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for t in spec.transitions.values():
        for c in t.checks:
            out.setdefault(c.rule, []).append(t.trigger)
    return {r: tuple(ts) for r, ts in out.items()}


def guards(spec: WorkflowSpec) -> dict[tuple[str, str], tuple[Guard, ...]]:
    """(source, trigger) -> per destination, in order, what the machine must find on the case at run time:
    each rule the path does not guarantee, with the triggers whose firing shows it passed. Empty for the
    transitions whose preconditions every path guarantees (all of them, in a version without bypasses)."""
    pre, must = preconditions(spec), guaranteed(spec, guarded=True)
    carriers = _carriers(spec)
    out: dict[tuple[str, str], tuple[Guard, ...]] = {}
    for t in spec.transitions.values():
        for source in t.sources:
            if source not in must:
                continue
            options = []
            for dest in t.destinations:
                missing = sorted(pre[dest] - must[source] - provides(t))
                options.append((dest, tuple((r, carriers.get(r, ())) for r in missing)))
            if len(options) > 1 or options[0][1]:
                out[(source, t.trigger)] = tuple(options)
    return out
