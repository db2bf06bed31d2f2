#!/usr/bin/env bash
# make bench: the four benchmarks of issue 8 and the measurements behind the parallel / page_size defaults,
# against the installed collection (GENESYSCLOUD_CX_COLLECTIONS_PATH). About 25 minutes on the 2-core
# development machine, most of it the tutorial scripts of benchmark 1. BENCH_ROUNDS=N changes the rounds
# (default 3); BENCH_ALL=1 also runs the emulator's own benchmarks. The whole output is kept in
# build/bench/bench-<UTC time>.txt; docs/benchmarks.md holds the tables of one real run.
set -euo pipefail
cd "$(dirname "$0")/../.."
python=.venv/bin/python
mkdir -p build/bench
log="build/bench/bench-$(date -u +%Y%m%dT%H%M%SZ).txt"
started=$(date +%s)
{
    "$python" tests/bench/bench_remediate.py
    echo
    "$python" tests/bench/bench_rate_limit.py
    echo
    "$python" tests/bench/bench_orgs.py
    echo
    "$python" tests/bench/bench_ansible_floor.py
    echo
    "$python" tests/bench/bench_audit.py
    echo
    "$python" tests/bench/bench_defaults.py
    if [ -n "${BENCH_ALL:-}" ]; then
        echo
        echo "## The emulator's throughput"
        "$python" tests/bench/bench_emulator.py
        echo
        echo "## The emulator's analytics query over a 10,000-action org"
        "$python" tests/bench/bench_analytics.py
    fi
    echo
    echo "make bench: $(( $(date +%s) - started )) s in all"
} 2>&1 | tee "$log"
echo "output kept in $log"
grep '^VERDICT' "$log"
