#!/usr/bin/env bash
# make bench: the emulator's own throughput, then the collection's speed against it.
# Numbers from a shared machine are noisy: compare runs from the same machine, and write them down
# in tests/bench/README.md with the machine they ran on.
set -euo pipefail
cd "$(dirname "$0")/../.."
python=.venv/bin/python
echo "== emulator throughput"
"$python" tests/bench/bench_emulator.py
echo
echo "== emulator analytics: one stats query over a 10,000-action org"
"$python" tests/bench/bench_analytics.py
echo
echo "== collection: data_action_timeout through ansible-playbook"
"$python" tests/bench/bench_collection.py
echo
echo "== many orgs: the remediate playbook over an inventory of emulated orgs"
"$python" tests/bench/bench_orgs.py
