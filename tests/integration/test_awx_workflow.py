# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An AWX / Automation Platform workflow, run the way AWX runs it: each job by ansible-runner in its own
private data directory (nothing on disk is shared, as between two execution-environment containers), the
plan carried from the check job to the apply job only as the check job's set_stats artifact, passed to
the apply job as extra variables."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import collections
import os

import ansible_runner  # the engine AWX runs jobs with; a dev dependency (requirements-dev.txt)
import pytest

from tests.emulator.harness import Emulator
from tests.integration._helpers import job_folder

ORGS = ("prod-us", "prod-eu")
PATCH = "PATCH /api/v2/integrations/actions/{actionId}"
SEED = {"orgs": [
    {"id": org, "generate": 40,
     "clients": [{"client_id": "%s-client" % org, "client_secret": "%s-secret" % org, "permissions": ["*"]}]}
    for org in ORGS]}


@pytest.fixture(scope="module")
def emu():
    with Emulator(args=["--random-seed", "23"], seed=SEED) as running:
        yield running


def timeout_of(action):
    return (action.get("config") or {}).get("timeoutSeconds")


def low(actions, threshold=3):
    return set(i for i, a in actions.items() if i.startswith("custom_-_") and timeout_of(a) is not None
               and timeout_of(a) <= threshold)


def job(tmp_path, name, emu, collections_path, extravars, check=False, playbook="remediate"):
    """One AWX job: its own private data directory, one of the collection's playbooks, the org inventory."""
    private = tmp_path / name
    hosts = dict((org, {"genesyscloud_client_id": "%s-client" % org, "genesyscloud_client_secret": "%s-secret" % org})
                 for org in ORGS)
    variables = {"data_action_timeouts_report_dir": str(private / "reports"), "data_action_timeouts_max_changes": 100}
    variables.update(extravars)
    return ansible_runner.run(
        private_data_dir=job_folder(private, playbook, emu.url, hosts), playbook="job.yml", extravars=variables,
        cmdline="--check" if check else None, quiet=True,
        envvars={"ANSIBLE_COLLECTIONS_PATH": collections_path, "ANSIBLE_NOCOLOR": "1",
                 "ANSIBLE_HOME": str(private / "ansible-home")})


def artifact_data(runner):
    """What AWX keeps of a job for the next node of a workflow: the set_stats data of its stats event."""
    stats = [e for e in runner.events if e.get("event") == "playbook_on_stats"]
    assert len(stats) == 1
    return stats[0]["event_data"]["artifact_data"]


def test_the_plan_travels_from_the_check_job_to_the_apply_job_as_an_artifact(emu, tmp_path, collections_path):
    emu.reset()
    before = dict((org, emu.actions(org)) for org in ORGS)
    planned = dict((org, low(before[org])) for org in ORGS)
    assert all(planned.values()), "the seed no longer fits this test"

    check = job(tmp_path, "check-job", emu, collections_path, {}, check=True)
    assert check.status == "successful", check.stdout.read()
    assert emu.requests()["writes"] == 0
    artifacts = artifact_data(check)
    plan = artifacts["data_action_timeouts_plan"]
    assert plan["report_type"] == "plan" and sorted(plan["orgs"]) == sorted(ORGS)
    for org in ORGS:
        assert set(a["id"] for a in plan["orgs"][org]["actions"]) == planned[org]
    assert sorted(artifacts["data_action_timeouts_summary"]) == sorted(ORGS)

    # Between approval and the apply job: one planned action is edited, and one more action becomes low.
    drifted = sorted(planned["prod-us"])[0]
    emu.admin_edit(org="prod-us", action_id=drifted, name="Edited after approval")
    late = sorted(i for i in before["prod-eu"] if i.startswith("custom_-_") and i not in planned["prod-eu"])[0]
    emu.admin_edit(org="prod-eu", action_id=late, config={"timeoutSeconds": 1})
    edited = dict((org, emu.actions(org)) for org in ORGS)
    emu.clear_requests()

    # The apply job sees nothing of the check job but the artifact, handed over as extra variables.
    apply_job = job(tmp_path, "apply-job", emu, collections_path, artifacts)
    assert apply_job.status == "successful", apply_job.stdout.read()
    assert not os.path.exists(str(tmp_path / "apply-job" / "reports" / "check"))

    patched = collections.Counter((e["org"], e["path"].rsplit("/", 1)[-1]) for e in emu.requests()["requests"]
                                  if e["route"] == PATCH)
    after = dict((org, emu.actions(org)) for org in ORGS)
    for org in ORGS:
        # Only the planned actions changed, each once; the drifted one and the late one are left alone.
        expected = planned[org] - {drifted}
        assert set(i for (o, i) in patched if o == org) == expected
        assert all(patched[(org, i)] == 1 for i in expected)
        for action_id, action in after[org].items():
            if action_id in expected:
                assert timeout_of(action) == 10
            else:
                assert action == edited[org][action_id]
    assert timeout_of(after["prod-eu"][late]) == 1
    assert after["prod-us"][drifted]["name"] == "Edited after approval"

    # The rollback job of the workflow: every earlier job's artifacts, the later ones winning, as AWX merges them.
    handed_over = dict(artifacts, **artifact_data(apply_job))
    assert sorted(handed_over["data_action_timeouts_rollback_report"]["orgs"]) == sorted(ORGS)
    emu.clear_requests()
    rollback = job(tmp_path, "rollback-job", emu, collections_path, handed_over, playbook="rollback")
    assert rollback.status == "successful", rollback.stdout.read()
    restored = dict((org, emu.actions(org)) for org in ORGS)
    for org in ORGS:
        for action_id, action in restored[org].items():
            assert timeout_of(action) == timeout_of(edited[org][action_id])
    assert sum(1 for e in emu.requests()["requests"] if e["route"] == PATCH) == sum(
        len(planned[org] - {drifted}) for org in ORGS)
