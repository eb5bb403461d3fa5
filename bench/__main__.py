"""Run every benchmark module (bench/bench_*.py, each with run(results, args)) or the ones named.

    python -m bench                 # all
    python -m bench engine import   # bench_engine.py and bench_import.py
    BENCH_SCALE=0.1 python -m bench # smaller sizes for a quick look (figures then say so)
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from bench.common import Results


def main(argv: list[str]) -> int:
    names = argv or sorted(p.stem[len("bench_"):] for p in Path(__file__).parent.glob("bench_*.py"))
    results = Results()
    for name in names:
        print(f"== {name} ==", flush=True)
        module = importlib.import_module(f"bench.bench_{name}")
        module.run(results, argv)
    missed = [f for f in results.figures if f.ok is False]
    print(f"\n{len(results.figures)} figures, {len(missed)} missed their target", flush=True)
    for f in missed:
        print(f"  missed: {f.line()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
