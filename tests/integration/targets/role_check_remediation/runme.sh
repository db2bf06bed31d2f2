#!/usr/bin/env bash
# The remediate playbook with --check --diff over two emulated orgs: it sends no write, its diff and reports show
# every change it would make, and it publishes the plan to approve.
set -eux
set -o pipefail

source ../setup_emulator/emulator.sh
source ../setup_emulator/dry_run.sh
start_emulator

dry_run remediate check-1 --check --diff "$@"
# The diff names each action that would change, from its timeout to the target.
grep -E 'timeout [0-9]+ s -> 10 s' "${OUTPUT_DIR}/remediate.out"
verify_dry_run remediate check-1 "$@"
