# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Secrets: at -vvvv, with --diff, on every way a role run can fail - a wrong secret, a read-only client, a
refusal by max_changes, updates that fail under server errors and lost answers, tokens that expire mid-run,
a rollback - no client secret and no token appears in stdout, stderr, Ansible's log file, the recorded task
results, the reports or the journals.

The values searched for are the real ones: the tests' own distinctive secrets, and every token the emulator
issued and the collection sent, read off the wire by a recording proxy (HTTP_PROXY). test_bad_input.py does
the same for each bad-input case; README.md ("Running safely") says what lies outside the collection's reach,
and the last test keeps that page honest about ANSIBLE_DEBUG.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import re

import pytest

from tests.integration._helpers import PATCH_ROUTE, TOKEN_ROUTE, record_figures
from tests.integration._proxy import RecordingProxy
from tests.integration._secrets import assert_nowhere, secrets_seen, texts_of, tokens_issued

ORGS = ("sec-ok", "sec-readonly", "sec-capped", "sec-faulty", "sec-wrong")
SECRETS = dict((org, "%s-s3cret-Wz%02d" % (org, n)) for n, org in enumerate(ORGS))
WRONG = "not-the-s3cret-Wz99"


def _seed(orgs, readonly=()):
    return {"orgs": [{"id": org, "name": org, "generate": 40, "clients": [{
        "client_id": "%s-client" % org, "client_secret": SECRETS[org],
        "permissions": ["integrations:action:view"] if org in readonly else ["*"]}]} for org in orgs]}


@pytest.fixture
def orgs(emulator_factory):
    """Four orgs on a sound server (one read-only, one capped by max_changes, one whose login is wrong) and one
    on a server that fails half its PATCH answers and whose tokens live two seconds."""
    sound = emulator_factory(["--random-seed", "51"], seed=_seed(
        ["sec-ok", "sec-readonly", "sec-capped", "sec-wrong"], readonly=["sec-readonly"]))
    faulty = emulator_factory(["--random-seed", "52", "--token-ttl", "2", "--latency-ms", "150",
                               "--faults", "503=0.85,drop_after=0.1,methods=PATCH"], seed=_seed(["sec-faulty"]))
    where = {"sec-faulty": faulty}
    hosts = {}
    for org in ORGS:
        emu = where.get(org, sound)
        hosts[org] = {"genesyscloud_client_id": "%s-client" % org,
                      "genesyscloud_client_secret": WRONG if org == "sec-wrong" else SECRETS[org],
                      "genesyscloud_api_base_url": emu.url}
    hosts["sec-capped"]["data_action_timeouts_max_changes"] = 1
    inventory = {"all": {"vars": {"ansible_connection": "local",
                                  "ansible_python_interpreter": "{{ ansible_playbook_python }}"},
                         "hosts": hosts}}
    return sound, faulty, inventory


def test_no_secret_and_no_token_on_any_failure_path_at_vvvv(orgs, run_playbook, tmp_path, record_property):
    sound, faulty, inventory = orgs
    report_dir = tmp_path / "reports"
    log_dir = tmp_path / "logs"
    log_dir.mkdir()
    runs = []
    with RecordingProxy() as proxy:
        env = {"HTTP_PROXY": proxy.url, "ANSIBLE_LOG_PATH": str(log_dir / "ansible.log")}
        common = {"data_action_timeouts_report_dir": str(report_dir), "data_action_timeouts_threshold": 5,
                  "data_action_timeouts_target": 12}
        runs.append(run_playbook("genesyscloud.cx.remediate", inventory=inventory, check=True, diff=True, env=env,
                                 extra_vars=dict(common, data_action_timeouts_run_id="check"), expect_rc=2,
                                 args=["-vvvv"]))
        fix = run_playbook("genesyscloud.cx.remediate", inventory=inventory, diff=True, env=env,
                           extra_vars=dict(common, data_action_timeouts_run_id="fix"), expect_rc=2, args=["-vvvv"])
        runs.append(fix)
        runs.append(run_playbook("genesyscloud.cx.rollback", inventory=inventory, diff=True, env=env, expect_rc=2,
                                 args=["-vvvv"], extra_vars=dict(
                                     common, data_action_timeouts_run_id="undo",
                                     data_action_timeouts_rollback_report=str(report_dir / "fix" / "run.json"))))
        secrets = secrets_seen(proxy, list(SECRETS.values()) + [WRONG])
        tokens = tokens_issued(proxy)
    # Every failure path was taken: refused login, refused PATCH, refused plan, updates that failed.
    said = dict((r["_host"], r.get("msg")) for r in fix.records if r["_task"].endswith("report on the org's timeouts"))
    assert "401" in str(said["sec-wrong"]) and "integrations:action:edit" in str(said["sec-readonly"])
    assert "max_changes (1)" in str(said["sec-capped"]) and "failed" in str(said["sec-faulty"])
    assert "sec-ok" not in [r["_host"] for r in fix.records if r["_status"] == "failed"]
    patched = [e for e in faulty.requests()["requests"] if e["route"] == PATCH_ROUTE]
    assert faulty.requests()["counts"][TOKEN_ROUTE] >= 1 and patched
    # The search is for real values: the tokens issued (renewed ones included) and the credentials sent.
    assert len(tokens) >= len(ORGS) and len(secrets) > len(tokens)
    assert any(name.endswith(".journal.jsonl") for name in os.listdir(str(report_dir / "fix")))
    texts = []
    for run in runs:
        texts.extend(texts_of(run))
    texts.extend(texts_of(runs[0], report_dir, log_dir)[3:])
    # --diff showed what changed (and would), one line per action
    assert re.search(r"\(custom_-_[^)]+\): timeout \S+ s -> 12 s", " ".join(t for where, t in texts if where == "stdout"))
    assert_nowhere(secrets, texts)
    record_figures(record_property, "secrets", {"runs": len(runs), "tokens_issued": len(tokens),
                                                "values_searched": len(secrets), "texts_searched": len(texts)})


def test_ansible_debug_exposes_what_the_readme_says(emulator_factory, run_playbook):
    """ANSIBLE_DEBUG is Ansible's own developer log: no_log does not apply to it. README.md says so; this
    keeps it true (and would tell us if a future ansible-core stopped printing module output there)."""
    emu = emulator_factory(["--random-seed", "53"], seed=_seed(["sec-ok"]))
    tasks = [{"name": "token", "genesyscloud.cx.oauth_token": {"api_base_url": emu.url}, "register": "tok",
              "no_log": True}]
    play = [{"name": "debug", "hosts": "localhost", "gather_facts": False, "tasks": tasks}]
    with RecordingProxy() as proxy:
        run = run_playbook(play, env={"ANSIBLE_DEBUG": "1", "HTTP_PROXY": proxy.url,
                                      "GENESYSCLOUD_OAUTHCLIENT_ID": "sec-ok-client",
                                      "GENESYSCLOUD_OAUTHCLIENT_SECRET": SECRETS["sec-ok"]})
        (token,) = tokens_issued(proxy)
    assert token in run.output  # the module's raw output, printed by Ansible's debug log despite no_log
    readme = open(os.path.join(os.path.dirname(__file__), "..", "..", "README.md")).read()
    assert "`ANSIBLE_DEBUG=1` prints everything" in readme
