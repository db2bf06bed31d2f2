# shellcheck shell=bash
# Sourced by a target's runme.sh after setup_emulator/emulator.sh's start_emulator: a dry run of one of the
# collection's playbooks over the emulated orgs of files/inventory.yml, and files/verify_dry_run.yml on what it did.

# dry_run PLAYBOOK RUN_ID [ansible-playbook options...]: genesyscloud.cx.PLAYBOOK (audit, or remediate with --check)
# with its reports in ${OUTPUT_DIR}/reports/RUN_ID and its output in ${OUTPUT_DIR}/PLAYBOOK.out. Custom stats on
# screen: the run publishes its plan for the next job of a workflow.
dry_run() {
    local playbook="$1" run_id="$2"
    shift 2
    ANSIBLE_SHOW_CUSTOM_STATS=true ansible-playbook -i "${EMULATOR_SETUP_DIR}/files/inventory.yml" \
        "genesyscloud.cx.${playbook}" -e data_action_timeouts_report_dir="${OUTPUT_DIR}/reports" \
        -e data_action_timeouts_run_id="${run_id}" "$@" | tee "${OUTPUT_DIR}/${playbook}.out"
}

# verify_dry_run PLAYBOOK RUN_ID [ansible-playbook options...]: what dry_run PLAYBOOK RUN_ID sent, wrote and published.
verify_dry_run() {
    local playbook="$1" run_id="$2"
    shift 2
    ansible-playbook "${EMULATOR_SETUP_DIR}/files/verify_dry_run.yml" -e report_folder="${OUTPUT_DIR}/reports/${run_id}" \
        -e run_output="${OUTPUT_DIR}/${playbook}.out" -e expected_mode="${playbook}" "$@"
}
