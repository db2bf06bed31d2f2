#!/usr/bin/env bash
# The audit playbook over two emulated orgs: it sends no write, and its reports plan what is low.
set -eux
set -o pipefail

source ../setup_emulator/emulator.sh
start_emulator

folder="${OUTPUT_DIR}/reports/audit-1"
# Custom stats on screen: the run publishes its plan for the next job of a workflow.
ANSIBLE_SHOW_CUSTOM_STATS=true ansible-playbook -i ../setup_emulator/files/inventory.yml genesyscloud.cx.audit \
    -e data_action_timeouts_report_dir="${OUTPUT_DIR}/reports" -e data_action_timeouts_run_id=audit-1 "$@" \
    | tee "${OUTPUT_DIR}/audit.out"

ansible-playbook ../setup_emulator/files/verify_dry_run.yml -e report_folder="${folder}" \
    -e run_output="${OUTPUT_DIR}/audit.out" -e expected_mode=audit "$@"
