#!/usr/bin/env bash
# make demo: the main job end to end on the emulator with three orgs.
# audit -> check-mode remediation with diff (the plan) -> remediation of that plan -> rerun that
# changes nothing -> rollback of prod-eu. Reports stay in reports/<run id>/.
set -euo pipefail

cd "$(dirname "$0")/../.."
REPO_ROOT=$PWD
PYTHON=${PYTHON:-python}
REPORTS="$REPO_ROOT/reports"
INVENTORY="$REPO_ROOT/tests/demo/inventory.yml"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)

if [[ -z "${ANSIBLE_COLLECTIONS_PATH:-}" ]]; then
    echo "run-demo.sh: ANSIBLE_COLLECTIONS_PATH is not set; run it with 'make demo'" >&2
    exit 2
fi

EMULATOR_OUT=$(mktemp)
"$PYTHON" -m tests.emulator --seed tests/emulator/seeds/demo.json --port 0 >"$EMULATOR_OUT" &
EMULATOR_PID=$!

stop_emulator() {
    kill "$EMULATOR_PID" 2>/dev/null || true
    wait "$EMULATOR_PID" 2>/dev/null || true
    rm -f "$EMULATOR_OUT"
}
trap stop_emulator EXIT

# The emulator prints one line, "listening on URL", once it accepts requests.
URL=""
for _ in $(seq 1 300); do
    URL=$(sed -n 's/^listening on //p' "$EMULATOR_OUT")
    [[ -n "$URL" ]] && break
    if ! kill -0 "$EMULATOR_PID" 2>/dev/null; then
        echo "run-demo.sh: the emulator exited before listening" >&2
        exit 1
    fi
    sleep 0.1
done
if [[ -z "$URL" ]]; then
    echo "run-demo.sh: the emulator did not start within 30 s" >&2
    exit 1
fi
export GENESYSCLOUD_DEMO_API_URL="$URL"

step() {
    echo
    echo "=================================================================="
    echo "== $*"
    echo "=================================================================="
}

playbook() {
    ansible-playbook -i "$INVENTORY" -e "data_action_timeouts_report_dir=$REPORTS" "$@"
}

changed_in() {
    "$PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[1]))["totals"]["changed"])' "$1"
}

AUDIT="demo-$STAMP-1-audit"
PLAN="demo-$STAMP-2-remediate-check"
REMEDIATE="demo-$STAMP-3-remediate"
RERUN="demo-$STAMP-4-remediate-rerun"
ROLLBACK="demo-$STAMP-5-rollback-prod-eu"

step "Emulator with orgs prod-us, test-us, prod-eu at $URL"

step "1/5 Audit every org (writes nothing)"
playbook genesyscloud.cx.audit -e "data_action_timeouts_run_id=$AUDIT"

step "2/5 Check-mode remediation with diff: what would change, per org (writes nothing; this is the plan)"
playbook genesyscloud.cx.remediate --check --diff -e "data_action_timeouts_run_id=$PLAN"

step "3/5 Remediation of the approved plan from step 2"
playbook genesyscloud.cx.remediate -e "data_action_timeouts_run_id=$REMEDIATE" \
    -e "data_action_timeouts_plan=$REPORTS/$PLAN/run.json"

step "4/5 Rerun: nothing is left to change"
playbook genesyscloud.cx.remediate -e "data_action_timeouts_run_id=$RERUN"
RERUN_CHANGED=$(changed_in "$REPORTS/$RERUN/run.json")
if [[ "$RERUN_CHANGED" != "0" ]]; then
    echo "run-demo.sh: the rerun changed $RERUN_CHANGED actions; it should change none" >&2
    exit 1
fi

step "5/5 Roll back prod-eu from the remediation's report"
playbook genesyscloud.cx.rollback --limit prod-eu -e "data_action_timeouts_run_id=$ROLLBACK" \
    -e "data_action_timeouts_rollback_report=$REPORTS/$REMEDIATE/run.json"

step "Done"
echo "Changed by the remediation:   $(changed_in "$REPORTS/$REMEDIATE/run.json") actions in 3 orgs"
echo "Changed by the rerun:         $RERUN_CHANGED"
echo "Restored by the rollback:     $(changed_in "$REPORTS/$ROLLBACK/run.json") actions in prod-eu"
echo
echo "Reports (JSON, Markdown, HTML per org and for each run) are in $REPORTS/:"
for run in "$AUDIT" "$PLAN" "$REMEDIATE" "$RERUN" "$ROLLBACK"; do
    echo "  $REPORTS/$run/"
done
echo
echo "Open the remediation's report in a browser: file://$REPORTS/$REMEDIATE/run.html"
