"""The credit-code check: engine.credit's fast path against python-stdnum on a million generated codes.

engine.credit.check_credit_code accepts a clean, valid code itself and leaves everything else to
python-stdnum (engine/credit.py). Here both answer every code of a generated set, valid and invalid (wrong
check character, letters stdnum's alphabet lacks, lower case, separators, full-width and Unicode dashes,
wrong lengths, empty): the answers (the code, or the message of the refusal) must be the same for every
one; the bench fails otherwise. Figures: codes/s of the engine's check, beside stdnum's own (the floor).
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Iterator

from bench.common import Figure, Results

SCALE = float(os.environ.get("BENCH_SCALE", "1"))
N = max(10_000, int(1_000_000 * SCALE))
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
NOT_IN_ALPHABET = "IOSVZ*#.\u00e9\u4e2d"
SEPARATORS = (" ", "-", "\u2013", "\u2014", "\u3000", "\u00a0", "\t")


def _valid(rng: random.Random) -> str:
    from stdnum.cn import uscc

    body = "".join(rng.choice("0123456789") for _ in range(8)) + "".join(rng.choice(ALPHABET) for _ in range(9))
    return body + uscc.calc_check_digit(body)


def mutated(code: str, rng: random.Random) -> str:
    """A code as people mistype or format it: sometimes still valid, mostly not."""
    i = rng.randrange(len(code))
    how = rng.randrange(10)
    if how == 0:  # another check character (1 in 31 is still right)
        return code[:-1] + rng.choice(ALPHABET)
    if how == 1:  # one character replaced by any of the alphabet
        return code[:i] + rng.choice(ALPHABET) + code[i + 1:]
    if how == 2:  # a character stdnum's alphabet lacks
        return code[:i] + rng.choice(NOT_IN_ALPHABET) + code[i + 1:]
    if how == 3:  # lower case
        return code.lower() if rng.random() < 0.5 else code[:i] + code[i:].lower()
    if how == 4:  # separators inside or around
        return code[:i] + rng.choice(SEPARATORS) + code[i:] + rng.choice(("", " ", "\u3000"))
    if how == 5:  # full-width digits and letters (NFKC turns them back)
        return "".join(chr(ord(c) + 0xFEE0) if rng.random() < 0.3 else c for c in code)
    if how == 6:  # a character dropped or doubled
        return code[:i] + code[i + 1:] if rng.random() < 0.5 else code[:i] + code[i] + code[i:]
    if how == 7:  # two neighbours swapped
        j = min(i + 1, len(code) - 1)
        return code[:i] + code[j] + code[i] + code[j + 1:]
    if how == 8:  # a short or long run of digits, or nothing at all
        return "".join(rng.choice("0123456789") for _ in range(rng.choice((0, 1, 15, 17, 19, 20))))
    return code  # unchanged


def generated(n: int, seed: int = 18) -> Iterator[str]:
    """n codes: a third valid as written, the rest mutated."""
    rng = random.Random(seed)
    for k in range(n):
        code = _valid(rng)
        yield code if k % 3 == 0 else mutated(code, rng)


def stdnum_answer(value: str) -> str:
    """What the check said before the fast path (python-stdnum only): the code, or the refusal's text."""
    from stdnum import exceptions as stdnum_errors
    from stdnum.cn import uscc

    from engine.values import clean

    text = clean(value).upper().replace(" ", "").replace("-", "")
    try:
        return "ok " + str(uscc.validate(text))
    except stdnum_errors.InvalidChecksum:
        return "checksum " + text
    except stdnum_errors.InvalidLength:
        return f"length {len(text)} " + text
    except stdnum_errors.ValidationError:
        return "characters " + text


def engine_answer(value: str) -> str:
    """The engine's check, answered in the same form."""
    from engine.credit import check_credit_code
    from engine.errors import DataError

    try:
        return "ok " + check_credit_code(value)
    except DataError as exc:
        text = str(exc.actual)
        if "校验码错误" in exc.zh:
            return "checksum " + text
        if "应为 18 位" in exc.zh:
            return f"length {len(text)} " + text
        return "characters " + text


def differences(codes: list[str]) -> list[tuple[str, str, str]]:
    """Every code on which the two disagree: (code, stdnum's answer, the engine's)."""
    return [(c, a, b) for c, a, b in ((c, stdnum_answer(c), engine_answer(c)) for c in codes) if a != b]


def _rate(check: Callable[[str], object], codes: list[str]) -> float:
    start = time.perf_counter()
    for c in codes:
        check(c)
    return len(codes) / (time.perf_counter() - start)


def run(results: Results, argv: list[str]) -> None:
    """Equality on N codes (the bench fails on any difference), then the rate of each check on the valid ones."""
    codes = list(generated(N))
    start = time.perf_counter()
    diff = differences(codes)
    seconds = time.perf_counter() - start
    if diff:
        raise AssertionError(f"engine.credit and python-stdnum disagree on {len(diff)} of {N:,} codes, e.g. {diff[:5]}")
    valid = sum(stdnum_answer(c).startswith("ok ") for c in codes[:100_000])
    from stdnum.cn import uscc

    from engine.credit import fast_valid

    clean_codes = [c for c in codes[::3]]
    name = f"credit codes: {N:,} generated, engine == python-stdnum on every one"
    results.add(Figure(name if SCALE == 1 else f"{name} [BENCH_SCALE={SCALE:g}]", N / seconds, "codes/s",
                       note=f"compared in {seconds:.1f} s; {valid:,} of the first 100,000 valid"))
    results.add(Figure("credit codes: a valid code checked", _rate(fast_valid, clean_codes), "codes/s",
                       floor=_rate(uscc.validate, clean_codes), note="floor = stdnum.cn.uscc.validate"))
