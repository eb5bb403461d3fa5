"""The JSON text the store writes: compact, UTF-8 as is, a loaded case's lazily decoded facts as a mapping."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import orjson


def _mapping(obj: Any) -> dict[str, Any]:
    if isinstance(obj, Mapping):  # a loaded case's lazily decoded facts (engine.case.Facts)
        return dict(obj)
    raise TypeError(f"{type(obj).__name__} is not JSON serializable")


# json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=_mapping), with its C encoder made once rather
# than per call, without json's check for circular containers (the engine's plain data has none: a cycle ends in
# RecursionError, not ValueError). The fallback of dumps() below, and the reference its fast path is tested against.
def _c_encoder() -> Any:
    from json import encoder

    make: Any = getattr(encoder, "c_make_encoder", None)  # the C accelerator json.dumps itself uses
    if make is None:  # pragma: no cover - CPython always has it
        return None
    return make(None, _mapping, encoder.encode_basestring, None, ":", ",", False, False, True)


_ENCODER = _c_encoder()


def json_dumps(obj: Any) -> str:
    """The standard library's text (the fallback, and what dumps() is checked against)."""
    if _ENCODER is None:  # pragma: no cover - CPython always has it
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=_mapping)
    return "".join(_ENCODER(obj, 0))


# What json refuses, orjson is told to refuse too (handing it to `default`): a date or a dataclass in data to be stored
# is a bug upstream (engine.payload.to_json writes dates as text), not something to write in orjson's own format.
_STRICT = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def dumps(obj: Any) -> str:
    """The JSON text the store writes (SQLAlchemy's json_serializer, and engine/store/lite.py's JSON binds).

    orjson writes the same text as json_dumps for the engine's data (strings kept as typed, UTF-8, the same escapes;
    tests/store/test_jsontext.py), 2-6x faster: a save serialises every event's data and every case's facts (~1.7 KB
    each), a quarter of the bench engine's save. What orjson refuses and json takes (an integer beyond 64 bits, a
    key that is not a string, a lone surrogate) goes through json as before. Floats are finite (engine.values
    refuses NaN and infinities) and written in their shortest exact form, as json's repr: only an exponent differs
    (1e16 where json writes 1e+16), the same number when read."""
    if type(obj) is dict and not obj:  # a quarter of a campaign's events carry no data
        return "{}"
    try:
        return orjson.dumps(obj, default=_mapping, option=_STRICT).decode()
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return json_dumps(obj)
