# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The `python -m tests.emulator` process: start-up line, options, generation, TLS, demo seed, harness."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import subprocess
import sys

import pytest
import requests

from tests.emulator.harness import REPO_ROOT, Emulator, EmulatorError

from .conftest import ACTIONS, Api

DEMO_SEED = os.path.join(REPO_ROOT, "tests", "emulator", "seeds", "demo.json")


def _run(*args):
    return subprocess.run([sys.executable, "-m", "tests.emulator"] + list(args), cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=60, check=False)


def test_prints_exactly_one_line_and_listens_on_loopback():
    with Emulator(args=["--generate", "3"]) as emu:
        assert emu.url.startswith("http://127.0.0.1:")
        assert int(emu.url.rsplit(":", 1)[1]) > 0
        assert requests.get(emu.url + "/__emulator/state", timeout=5).status_code == 200
        emu.process.terminate()
        emu.process.wait(10)
        assert emu.process.stdout.read() == b"", "nothing after the listening line"


@pytest.mark.parametrize("args,message", [
    (["--faults", "teapot=0.5"], "unknown fault kind"),
    (["--faults", "429=0.7,503=0.7"], "more than 1"),
    (["--rate-limit", "ten"], "N/SECONDS"),
    (["--patch-semantics", "upsert"], "invalid choice"),
    (["--conflict-status", "412"], "invalid choice"),
    (["--patch-answer", "sometimes"], "invalid choice"),
    (["--templates-by-uri", "1.5"], "between 0 and 1"),
    (["--templates-by-uri", "half"], "invalid float value"),
    (["--pending-drafts", "-0.1"], "between 0 and 1"),
    (["--conflict-wording", "c"], "invalid choice"),
    (["--token-throttle-field", "message"], "invalid choice"),
    (["--tls-cert-out", "/tmp/x.pem"], "needs --tls"),
    (["--seed", "/nonexistent/seed.json"], "cannot read seed"),
])
def test_bad_options_fail_fast_with_a_message(args, message):
    result = _run(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_bad_seed_is_explained(tmp_path):
    seed = tmp_path / "seed.json"
    seed.write_text('{"orgs": [{"id": "x", "actions": [{"id": "custom_-_1", "name": "n", '
                    '"integrationId": "missing"}]}]}')
    result = _run("--seed", str(seed))
    assert result.returncode == 2 and "integrationId 'missing'" in result.stderr


def test_harness_surfaces_stderr_when_the_emulator_dies(tmp_path):
    with pytest.raises(EmulatorError) as failure:
        Emulator(args=["--seed", str(tmp_path / "nope.json")]).start()
    assert "cannot read seed" in str(failure.value)


def test_generation_is_deterministic_and_realistic():
    with Emulator(args=["--generate", "80", "--random-seed", "11"]) as first:
        actions = first.actions()
        counts = first.state()["orgs"]["demo"]["execution_counts"]
    with Emulator(args=["--generate", "80", "--random-seed", "11"]) as second:
        assert second.actions() == actions
        assert second.state()["orgs"]["demo"]["execution_counts"] == counts
    with Emulator(args=["--generate", "80", "--random-seed", "12"]) as third:
        assert third.actions() != actions
    kinds = [a["id"].split("_-_")[0] for a in actions.values()]
    assert kinds.count("custom") + kinds.count("static") == 80
    assert kinds.count("static") >= 1 and kinds.count("customAuth") >= 1
    timeouts = [a["config"].get("timeoutSeconds") for a in actions.values() if not a["id"].startswith("customAuth")]
    assert None in timeouts and any(t and t <= 3 for t in timeouts) and any(t and t >= 15 for t in timeouts)
    assert any(a["secure"] for a in actions.values())
    assert len(set(a["category"] for a in actions.values())) >= 4
    assert any("retryPolicy" in a["config"] for a in actions.values()), "some configs carry unknown fields"
    for action in actions.values():
        assert action["config"].get("request", {}).get("requestUrlTemplate")
        assert set(action["config"]["response"]) >= {"translationMap", "translationMapDefaults", "successTemplate"}


def test_demo_seed_three_orgs_with_their_clients():
    with Emulator(seed=DEMO_SEED) as emu:
        orgs = emu.state()["orgs"]
        assert {k: v["name"] for k, v in orgs.items()} == {
            "prod-us": "Production (us-east-1)", "test-us": "Test (us-east-1)",
            "prod-eu": "Production (eu-west-1)"}
        for org_id, org in orgs.items():
            assert 120 <= len(org["actions"]) <= 260
            api = Api(emu, "%s-client" % org_id, "%s-secret" % org_id)
            listing = api.get(ACTIONS, params={"pageSize": 500}).json()
            assert listing["total"] == len([a for a in org["actions"] if not a.startswith("customAuth_")])
            slow_low = [a for a in org["actions"].values()
                        if a["config"].get("timeoutSeconds") and a["config"]["timeoutSeconds"] <= 5
                        and org["backends"][a["id"]]["latency_ms"] >= a["config"]["timeoutSeconds"] * 600]
            assert slow_low, "the demo needs backends near or above their low timeouts"
            assert sum(org["execution_counts"].values()) > 1000
            assert any(a.startswith("static_") for a in org["actions"])


LOOKUP = "custom_-_0f9d3c52-7a61-4b8e-9f2d-6c1e5a7b3d40"        # 3 s, backend about 4.2 s
LOYALTY = "custom_-_3c2e8f4a-9b1d-4e6f-8a2c-7d5b1e9f0a62"       # unset, backend about 220 ms
ORDER_STATUS = "custom_-_8e4a1c7d-2f3b-4a9e-b6d1-5c0f7e2a9b34"  # 2 s, backend sometimes above it


def test_demo_seed_tells_the_story():
    with Emulator(args=["--time-scale", "0.01"], seed=DEMO_SEED) as emu:
        api = Api(emu, "prod-us-client", "prod-us-secret")
        views = [{"target": "tTotalExecution", "name": "reached_%ds" % t, "function": "rangeBound",
                  "range": {"gte": t * 1000}} for t in (2, 3, 60)]
        answer = api.post("/api/v2/analytics/actions/aggregates/query", json={
            "interval": "2020-01-01T00:00:00Z/2100-01-01T00:00:00Z", "metrics": ["tTotalExecution"],
            "groupBy": ["actionId"], "views": views}).json()
        by_id = {}
        for result in answer["results"]:
            data = result["data"][0]
            by_id[result["group"]["actionId"]] = (data["metrics"][0]["stats"],
                                                  {v["name"]: v["stats"]["count"] for v in data["views"]})
        stats, reached = by_id[LOOKUP]
        assert reached["reached_3s"] >= 0.9 * stats["count"] and stats["max"] == 3000, "timing out"
        stats, reached = by_id[LOYALTY]
        assert 200 <= stats["p99"] <= 400 and reached["reached_60s"] == 0, "oversized at the 60 s default"
        assert "timeoutSeconds" not in emu.actions("prod-us")[LOYALTY]["config"]
        stats, reached = by_id[ORDER_STATUS]
        assert 0.02 * stats["count"] <= reached["reached_2s"] <= 0.3 * stats["count"], "sometimes too slow"
        tested = api.post("%s/%s/test" % (ACTIONS, LOOKUP), json={"phoneNumber": "+15550100"}).json()
        assert tested["success"] is False and tested["error"]["code"] == "action.timeout"


def test_tls_with_generated_ca(tmp_path):
    ca = tmp_path / "ca.pem"
    with Emulator(args=["--tls", "--tls-cert-out", str(ca)]) as emu:
        assert emu.url.startswith("https://127.0.0.1:")
        assert ca.read_text().startswith("-----BEGIN CERTIFICATE-----")
        with pytest.raises(requests.exceptions.SSLError):
            requests.get(emu.url + "/__emulator/state", timeout=5)
        assert requests.get(emu.url + "/__emulator/state", timeout=5, verify=str(ca)).status_code == 200
        token = requests.post(emu.url + "/oauth/token", data={"grant_type": "client_credentials"},
                              auth=("demo-client", "demo-secret"), verify=str(ca), timeout=5)
        assert token.status_code == 200
        assert emu.state()["orgs"]["demo"], "the harness verifies with the CA it asked for"


def test_generate_adds_to_a_single_org_seed():
    seed = {"orgs": [{"id": "solo", "clients": [{"client_id": "c", "client_secret": "s"}]}]}
    with Emulator(args=["--generate", "10"], seed=seed) as emu:
        assert len([a for a in emu.actions() if not a.startswith("customAuth_")]) == 10


def test_command_line_switches_reach_the_server():
    args = ["--latency-ms", "5", "--rate-limit", "100/10", "--token-rate-limit", "5/60", "--faults",
            "503=0.1,slow=0.2:100,methods=GET", "--patch-semantics", "merge", "--conflict-status", "400",
            "--token-ttl", "120", "--time-scale", "0.5", "--unset-timeout-seconds", "30",
            "--templates-by-uri", "0.5", "--pending-drafts", "0.25", "--patch-answer", "without-config",
            "--conflict-wording", "b", "--token-throttle-field", "description", "--omit-retry-after",
            "--analytics-percentiles", "absent", "--success-error-type", "NONE", "--fast-failures", "0.1",
            "--timeout-failures", "0.2", "--dependency-build-status", "BUILDINPROGRESS",
            "--consumers-while-rebuilding", "error"]
    with Emulator(args=args) as emu:
        assert emu.call("GET", "/__emulator/config").body == {
            "latency_ms": 5, "rate_limit": "100/10", "token_rate_limit": "5/60",
            "faults": "503=0.1,slow=0.2:100,methods=GET", "patch_semantics": "merge", "conflict_status": 400,
            "token_ttl": 120, "time_scale": 0.5, "unset_timeout_seconds": 30, "templates_by_uri": 0.5, "pending_drafts": 0.25,
            "patch_answer": "without-config",
            "conflict_wording": "b", "token_throttle_field": "description", "omit_retry_after": True,
            "analytics_percentiles": "absent", "success_error_type": "NONE", "fast_failures": 0.1,
            "timeout_failures": 0.2,
            "org_rate_limit": "", "rate_window": "sliding", "count_refused": False, "omit_retry_seconds": False,
            "dependency_build_status": "BUILDINPROGRESS", "consumers_while_rebuilding": "error"}
        token = emu.call("POST", "/oauth/token", form={"grant_type": "client_credentials"},
                         headers={"Authorization": "Basic ZGVtby1jbGllbnQ6ZGVtby1zZWNyZXQ="})
        assert token.body["expires_in"] == 120
        response = requests.patch(emu.url + ACTIONS + "/custom_-_x", json={"version": 1},
                                  headers={"Authorization": "Bearer " + token.body["access_token"]})
        assert response.status_code == 404 and "Retry-After" not in response.headers


def test_the_readme_seed_example_loads():
    import json

    from tests.emulator.world import load_seed

    with open(os.path.join(REPO_ROOT, "tests", "emulator", "README.md")) as handle:
        text = handle.read()
    block = text[text.index("## Seed format"):]
    block = block[block.index("```json") + len("```json"):]
    world = load_seed(json.loads(block[:block.index("```")]), now_ms=10 ** 12)
    org = world.orgs["org-prod"]
    assert list(org.drafts) == ["custom_-_0f9d3c52-7a61-4b8e-9f2d-6c1e5a7b3d40"]
    assert org.drafts["custom_-_0f9d3c52-7a61-4b8e-9f2d-6c1e5a7b3d40"]["config"]["timeoutSeconds"] == 2
