"""The error hierarchy: every error the engine raises derives from BargainError.

Messages carry both languages; only the CLI picks one and prints it. Exit codes follow CLI.md.
"""

from __future__ import annotations

from typing import Any


class BargainError(Exception):
    """Root of every error bargain raises on purpose."""

    exit_code = 1

    def __init__(
        self,
        zh: str,
        en: str,
        *,
        hint_zh: str = "",
        hint_en: str = "",
        rule: str = "",
        source: str = "",
        required: Any = None,
        actual: Any = None,
        failures: tuple[BargainError, ...] = (),
    ) -> None:
        super().__init__(en)
        self.failures = failures
        self.zh = zh
        self.en = en
        self.hint_zh = hint_zh
        self.hint_en = hint_en
        self.rule = rule
        self.source = source
        self.required = required
        self.actual = actual

    def message(self, lang: str = "zh") -> str:
        """One line: what and why, the rule's source, and a hint where there is one. In Chinese every citation is
        Chinese all the way (《工资集体协商试行办法》第二十条, engine.citation); in English as the source writes it."""
        from engine.citation import cite, cite_in_text

        text = cite_in_text(self.zh) if lang == "zh" else self.en
        if self.source:
            text += f"（{cite(self.source, lang)}）" if lang == "zh" else f" ({cite(self.source, lang)})"
        hint = cite_in_text(self.hint_zh) if lang == "zh" else self.hint_en
        if hint:
            text += f"；{hint}" if lang == "zh" else f"; {hint}"
        return text

    def as_json(self, lang: str = "en") -> dict[str, Any]:
        """The stable JSON form of a refusal; when several rules failed at once, `failures` lists each."""
        from engine.citation import cite

        out: dict[str, Any] = {
            "type": type(self).__name__,
            "rule": self.rule or None,
            "source": self.source or None,  # as the workflow file writes it (CLI.md): stable, for scripts
            "citation": cite(self.source, lang) if self.source else None,  # the source in the reader's language
            "required": self.required,
            "actual": self.actual,
            "message": self.message(lang),
        }
        if self.failures:
            out["failures"] = [f.as_json(lang)["error"] for f in self.failures]
        return {"error": out}


class RefusedError(BargainError):
    """A request the engine refuses: bad input, a rule not met, not found (exit 1)."""


class RuleError(RefusedError):
    """A legal or procedural rule was not met."""


def all_failed(errors: list[RuleError]) -> RuleError:
    """One refusal naming every rule that failed, each with its source (`rule` is the first's, so a reader of one
    rule still finds it); a single failure is returned as it is."""
    if len(errors) == 1:
        return errors[0]
    first = errors[0]
    zh = f"{len(errors)} 条规则未满足：" + "；".join(f"{i}. {e.message('zh')}" for i, e in enumerate(errors, 1))
    en = f"{len(errors)} rules not met: " + "; ".join(f"{i}. {e.message('en')}" for i, e in enumerate(errors, 1))
    return RuleError(zh, en, rule=first.rule, required=first.required, actual=first.actual, failures=tuple(errors))


class DataError(RefusedError):
    """Trigger data or input is missing, unknown or of the wrong type."""


class NotAllowedError(RefusedError):
    """The trigger is not allowed in the case's current state."""


class NotFoundError(RefusedError):
    """A case, enterprise, organisation, counselor or workflow does not exist."""


class ConflictError(BargainError):
    """The case changed since it was read; nothing was written (exit 3)."""

    exit_code = 3


class SetupError(BargainError):
    """A broken workflow file, a schema newer than the code, or an unreachable database (exit 4)."""

    exit_code = 4


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """The closest choice to a mistyped word, or an empty string."""
    import difflib

    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return found[0] if found else ""
