"""The JSON text the store writes: compact, UTF-8 as is, a loaded case's lazily decoded facts as a mapping."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


def _mapping(obj: Any) -> dict[str, Any]:
    if isinstance(obj, Mapping):  # a loaded case's lazily decoded facts (engine.case.Facts)
        return dict(obj)
    raise TypeError(f"{type(obj).__name__} is not JSON serializable")


# json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=_mapping), with its C encoder made once rather
# than per call (a save serialises every event's data and every case's facts: the set-up was a quarter of it).
# The same text; without json's check for circular containers, which the engine's plain data never has (a
# cycle would end in RecursionError instead of ValueError).
def _c_encoder() -> Any:
    from json import encoder

    make: Any = getattr(encoder, "c_make_encoder", None)  # the C accelerator json.dumps itself uses
    if make is None:  # pragma: no cover - CPython always has it
        return None
    return make(None, _mapping, encoder.encode_basestring, None, ":", ",", False, False, True)


_ENCODER = _c_encoder()


def dumps(obj: Any) -> str:
    """The JSON text the store writes (SQLAlchemy's json_serializer, and engine/store/lite.py's JSON binds)."""
    if _ENCODER is None:
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=_mapping)
    return "".join(_ENCODER(obj, 0))
