#!/usr/bin/env bash
# The remediate playbook with --check --diff over two emulated orgs: it sends no write, its diff and reports show
# every change it would make, and it publishes the plan to approve.
set -eux
set -o pipefail

source ../setup_emulator/emulator.sh
start_emulator

folder="${OUTPUT_DIR}/reports/check-1"
ANSIBLE_SHOW_CUSTOM_STATS=true ansible-playbook -i ../setup_emulator/files/inventory.yml genesyscloud.cx.remediate \
    --check --diff -e data_action_timeouts_report_dir="${OUTPUT_DIR}/reports" -e data_action_timeouts_run_id=check-1 \
    "$@" | tee "${OUTPUT_DIR}/remediate.out"

# The diff names each action that would change, from its timeout to the target.
grep -E 'timeout [0-9]+ s -> 10 s' "${OUTPUT_DIR}/remediate.out"

ansible-playbook ../setup_emulator/files/verify_dry_run.yml -e report_folder="${folder}" \
    -e run_output="${OUTPUT_DIR}/remediate.out" -e expected_mode=remediate "$@"
