"""`python -m data_layer bench …`: runs the benchmark suite (benchmarks/suite.py) in its own process.

The suite renders pages with Streamlit's AppTest; it runs as a child process so data_layer never imports streamlit.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def add_bench_command(subparsers) -> None:
    """Register `bench` on `python -m data_layer`'s subparsers; every option after it goes to the suite."""
    bench = subparsers.add_parser("bench", help="mät varje sida (renderingstid, SQL, minne, kartans storlek)",
                                  description="Mäter varje sida på en demodatabas av N × demovolymen (benchmarks/suite.py).")
    bench.add_argument("--scale", type=float, default=1.0, help="demovolym: 1 ≈ 60 000 händelser, 125 ≈ 7,5 miljoner")
    bench.add_argument("--repeat", type=int, default=5, help="körningar per sida (medianen redovisas)")
    bench.add_argument("--json", help="skriv också rapporten som JSON till den här filen")
    bench.add_argument("--pages", nargs="*", help="bara dessa sidor (overview, map, trends, …)")
    bench.set_defaults(handler=run_bench)


def run_bench(args) -> int:
    """Run the suite (on --db when given, else on a demo store it builds); return the suite's exit code."""
    options = ["--scale", f"{args.scale:g}", "--repeat", str(args.repeat)]
    options += ["--json", args.json] if args.json else []
    options += ["--pages", *args.pages] if args.pages else []
    options += ["--db", args.db] if args.db_given else []
    return subprocess.run([sys.executable, "-m", "benchmarks.suite", *options], cwd=ROOT).returncode
