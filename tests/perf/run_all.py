"""Run every benchmark: each tests/perf/bench_*.py module's main(), in name order.

    python -m tests.perf.run_all              # all of them (make bench)
    python -m tests.perf.run_all quiz_burst   # only names containing "quiz_burst"

Each main() runs with argv reset to its own name, so its defaults apply. The
exit status is 1 when any benchmark returns non-zero or raises. Benchmarks are
never part of the pass/fail test suite's timing.
"""

from __future__ import annotations

import importlib
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent


def benchmark_names(filters: list[str]) -> list[str]:
    names = sorted(path.stem for path in HERE.glob("bench_*.py"))
    return [n for n in names if not filters or any(f in n for f in filters)]


def run_one(name: str) -> int:
    module = importlib.import_module(f"tests.perf.{name}")
    saved_argv = sys.argv
    sys.argv = [f"tests/perf/{name}.py"]
    try:
        code = module.main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except Exception:
        traceback.print_exc()
        code = 1
    finally:
        sys.argv = saved_argv
    return int(code or 0)


def main(argv: list[str] | None = None) -> int:
    filters = sys.argv[1:] if argv is None else argv
    names = benchmark_names(filters)
    if not names:
        print("No benchmark matches", " ".join(filters))
        return 1
    outcomes = {}
    for name in names:
        print(f"\n=== {name} ===", flush=True)
        began = time.monotonic()
        outcomes[name] = run_one(name)
        print(f"--- {name}: exit {outcomes[name]} in {time.monotonic() - began:.1f} s")
    print("\nSummary")
    for name, code in outcomes.items():
        print(f"  {'PASS' if code == 0 else 'FAIL'}  {name}")
    return 1 if any(outcomes.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
