"""The store's JSON text (engine/store/jsontext.py): orjson's text is the standard library's for what the engine
stores, and what orjson refuses goes through json unchanged."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.case import Facts
from engine.store.jsontext import dumps, json_dumps

# Text as people type it: any character but a lone surrogate (which neither a form nor a file can carry as UTF-8),
# control characters, quotes, backslashes, CJK and full-width punctuation included.
TEXT = st.text(st.characters(blacklist_categories=["Cs"]), max_size=40)
SCALAR = st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | TEXT


def _containers(inner: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    return st.lists(inner, max_size=5) | st.dictionaries(TEXT, inner, max_size=5)


VALUE = st.recursive(SCALAR, _containers, max_leaves=30)


@settings(max_examples=400, deadline=None)
@given(VALUE)
def test_the_text_is_the_standard_librarys(value: object) -> None:
    assert dumps(value) == json_dumps(value)


@settings(max_examples=400, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_a_finite_float_reads_back_as_the_same_number(x: float) -> None:
    text = dumps({"share": x})
    assert json.loads(text) == {"share": x}
    assert text == json_dumps({"share": x}) or "e" in text  # only an exponent's sign may be written differently


@pytest.mark.parametrize("value", [
    {"n": 2**70},  # beyond 64 bits
    {1: "a", "b": 2},  # a key that is not a string
    ["\ud800"],  # a lone surrogate
])
def test_what_orjson_refuses_goes_through_json(value: object) -> None:
    assert dumps(value) == json_dumps(value)


def test_a_loaded_cases_facts_are_written_as_their_mapping() -> None:
    facts = Facts('{"last":{"accept":{"at":"2026-03-05T09:00:00+08:00","seq":3}},"count":{"accept":1}}')
    assert dumps({"facts": facts}) == json_dumps({"facts": facts})
    assert json.loads(dumps(facts)) == dict(facts)


@dataclass
class _Record:
    trigger: str


@pytest.mark.parametrize("value", [object(), date(2026, 3, 2), datetime(2026, 3, 2, 9, tzinfo=UTC), _Record("accept")])
def test_what_json_refuses_is_refused(value: object) -> None:
    with pytest.raises(TypeError, match="not JSON serializable"):
        dumps({"x": value})
