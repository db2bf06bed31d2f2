#!/usr/bin/env bash
# make demo: the main job end to end on the emulator with three orgs, deciding from observed execution
# times: audit -> check-mode remediation with diff (the plan, with the call flows each change touches) -> remediation of that plan, proved by test
# invocations before and after -> rerun that changes nothing -> right-sizing dry run of prod-eu ->
# rollback of prod-eu. Reports stay in reports/<run id>/.
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
    echo "== $*"
}

# A screen a person can read: Ansible shows what changed or failed (and the diff), and after each run
# the script prints the role's own two lines per org (what was found, what changed) from the run report.
export ANSIBLE_DISPLAY_SKIPPED_HOSTS=false ANSIBLE_DISPLAY_OK_HOSTS=false

playbook() {
    local started=$SECONDS
    ansible-playbook -i "$INVENTORY" -e "data_action_timeouts_report_dir=$REPORTS" "$@" | grep -v '^$'
    local status=${PIPESTATUS[0]}
    echo "(took $((SECONDS - started)) s)"
    return "$status"
}

report() {
    "$PYTHON" - "$@" <<'PY'
import json, os, sys
sys.path.insert(0, os.environ["ANSIBLE_COLLECTIONS_PATH"])
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_view import (
    flow_rows, flows_touched_label, summary_lines)

run = json.load(open(sys.argv[1]))
what = sys.argv[2] if len(sys.argv) > 2 else "lines"
if what == "changed":
    print(run["totals"]["changed"])
elif what == "restored":
    print(run["totals"]["restored"])
elif what == "flows":  # the flows each change touches (the role's dependencies: planned)
    for org in run["orgs"]:
        print("  %s: %s" % (org["org"], flows_touched_label(org) or "no flows were read"))
        for row, callers in flow_rows(org):
            print("    %s: %s" % (row["name"], callers))
elif what == "lines":  # the role's summary of each org
    for org in run["orgs"]:
        for line in summary_lines(org):
            print("  " + line)
else:  # the test invocations that prove the fix
    def said(outcome):
        if not outcome:
            return "not run"
        if outcome["success"]:
            return "succeeded in %d ms" % outcome["duration_ms"]
        return "timed out after %d ms" % outcome["duration_ms"] if outcome["timed_out"] else "failed"
    for org in run["orgs"]:
        for row in org["rows"]:
            verify = row.get("verify") or {}
            if verify.get("before") or verify.get("after"):
                print("  %s / %s: timeout %s s -> %s s; before the change the test %s, after it %s" % (
                    org["org"], row["name"], row["timeout_seconds_before"], row["timeout_seconds_after"],
                    said(verify.get("before")), said(verify.get("after"))))
PY
}

AUDIT="demo-$STAMP-1-audit"
PLAN="demo-$STAMP-2-remediate-check"
REMEDIATE="demo-$STAMP-3-remediate"
RERUN="demo-$STAMP-4-remediate-rerun"
RIGHT_SIZE="demo-$STAMP-5-right-size-check-prod-eu"
ROLLBACK="demo-$STAMP-6-rollback-prod-eu"

step "Emulator with orgs prod-us, test-us, prod-eu at $URL"

step "1/6 Audit every org from its observed execution times (writes nothing)"
playbook genesyscloud.cx.audit -e "data_action_timeouts_run_id=$AUDIT"
report "$REPORTS/$AUDIT/run.json"

step "2/6 Dry run of the remediation with --diff: each action that would change, to its recommendation (the plan)"
playbook genesyscloud.cx.remediate --check --diff -e "data_action_timeouts_run_id=$PLAN"
report "$REPORTS/$PLAN/run.json"
echo "  The call flows each change touches (Architect dependency tracking):"
report "$REPORTS/$PLAN/run.json" flows

step "3/6 Remediation of the approved plan from step 2, proved by test invocations before and after"
playbook genesyscloud.cx.remediate -e "data_action_timeouts_run_id=$REMEDIATE" \
    -e "data_action_timeouts_plan=$REPORTS/$PLAN/run.json"
report "$REPORTS/$REMEDIATE/run.json"
report "$REPORTS/$REMEDIATE/run.json" verify

step "4/6 Rerun: nothing is left to change"
playbook genesyscloud.cx.remediate -e "data_action_timeouts_run_id=$RERUN"
report "$REPORTS/$RERUN/run.json"
RERUN_CHANGED=$(report "$REPORTS/$RERUN/run.json" changed)
if [[ "$RERUN_CHANGED" != "0" ]]; then
    echo "run-demo.sh: the rerun changed $RERUN_CHANGED actions; it should change none" >&2
    exit 1
fi

step "5/6 Right-sizing prod-eu, dry run: oversized timeouts come down to their recommendations too"
playbook genesyscloud.cx.right_size --check --limit prod-eu -e "data_action_timeouts_run_id=$RIGHT_SIZE" \
    -e data_action_timeouts_max_changes=200
report "$REPORTS/$RIGHT_SIZE/run.json"

step "6/6 Roll back prod-eu from the remediation's report"
playbook genesyscloud.cx.rollback --limit prod-eu -e "data_action_timeouts_run_id=$ROLLBACK" \
    -e "data_action_timeouts_rollback_report=$REPORTS/$REMEDIATE/run.json"
report "$REPORTS/$ROLLBACK/run.json"

step "Done"
echo "Changed by the remediation:   $(report "$REPORTS/$REMEDIATE/run.json" changed) actions in 3 orgs"
echo "Changed by the rerun:         $RERUN_CHANGED"
echo "Restored by the rollback:     $(report "$REPORTS/$ROLLBACK/run.json" restored) actions in prod-eu"
echo "Proof of the fix in prod-us:"
report "$REPORTS/$REMEDIATE/run.json" verify
echo
echo "Reports (JSON, Markdown, HTML per org and for each run) are in $REPORTS/:"
for run in "$AUDIT" "$PLAN" "$REMEDIATE" "$RERUN" "$RIGHT_SIZE" "$ROLLBACK"; do
    echo "  $REPORTS/$run/"
done
echo
echo "Open the audit in a browser (observed times against each timeout): file://$REPORTS/$AUDIT/run.html"
echo "and the remediation's report: file://$REPORTS/$REMEDIATE/run.html"
