# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Transport: TLS verified by default (a clear certificate message without the CA, a run with ca_path, a
warning with validate_certs false), and the standard proxy variables honoured (HTTPS_PROXY and HTTP_PROXY
through a local recording proxy, NO_PROXY going around it), for the modules and the role alike.

test_errors_and_auth.py already checks the certificate message, ca_path winning over REQUESTS_CA_BUNDLE and
region resolution through a refusing proxy; this file adds what the proxy saw and the warning.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os

import pytest

from tests.integration._helpers import (
    PATCH_ROUTE, TOKEN_ROUTE, another_python, custom_actions, play, timeout_of, writes)
from tests.integration._proxy import RecordingProxy

SECRET = "transport-s3cret-Lq27Dd"
SEED = {"orgs": [{"id": "tls-org", "name": "TLS org", "generate": 30,
                  "clients": [{"client_id": "tls-client", "client_secret": SECRET, "permissions": ["*"]}]}]}


@pytest.fixture(scope="module")
def tls_emulator():
    from tests.emulator.harness import Emulator
    with Emulator(args=["--tls", "--random-seed", "31"], seed=SEED) as emu:
        yield emu


@pytest.fixture
def tls(tls_emulator):
    tls_emulator.reset()
    return tls_emulator


@pytest.fixture
def proxy():
    with RecordingProxy() as recorder:
        yield recorder


def _host_port(url):
    return url.split("://", 1)[1].rstrip("/")


def _low_id(emu):
    return sorted(i for i, a in custom_actions(emu.actions()).items() if timeout_of(a) is not None
                  and timeout_of(a) <= 5)[0]


def test_tls_is_verified_by_default_with_a_message_naming_the_fix(tls, run_playbook):
    target = _low_id(tls)
    tasks = [{"name": "update", "genesyscloud.cx.data_action_timeout": {"id": target, "timeout_seconds": 14},
              "ignore_errors": True}]
    # The secret comes from the environment: written into the playbook, Ansible would show it itself, as the
    # origin of the failed task (README: running safely).
    run = run_playbook(play(tls, tasks, client_id=None, client_secret=None), args=["-vvvv"],
                       env={"GENESYSCLOUD_OAUTHCLIENT_ID": "tls-client", "GENESYSCLOUD_OAUTHCLIENT_SECRET": SECRET})
    result = run.result("update")
    assert result["_status"] == "ignored"
    msg = result["msg"]
    assert "SSLError" in msg and "certificate could not be verified" in msg
    assert "ca_path" in msg and "validate_certs" in msg
    assert tls.requests()["requests"] == []  # not even the token request got past the handshake
    assert SECRET not in run.output


@pytest.mark.parametrize("where", ["worker", "module process"])
def test_ca_path_verifies_and_validate_certs_false_warns(tls, run_playbook, tmp_path, where):
    """The warning reaches the result and the screen once, whether the task's worker runs the module's code (the
    playbook's Python) or a module process does (another interpreter: the same Python, run by a script)."""
    target = _low_id(tls)
    interpreter = "{{ ansible_playbook_python }}" if where == "worker" else another_python(str(tmp_path))
    tasks = [
        {"name": "with our CA", "genesyscloud.cx.data_action_timeout": {
            "id": target, "timeout_seconds": 14, "ca_path": tls.ca_path}},
        {"name": "unverified", "genesyscloud.cx.data_action_info": {"id": target, "validate_certs": False}},
    ]
    host = {"ansible_connection": "local", "ansible_python_interpreter": interpreter}
    inventory = {"all": {"hosts": {"localhost": host}}}
    run = run_playbook(play(tls, tasks, client_id="tls-client", client_secret=SECRET), inventory=inventory)
    assert timeout_of(tls.actions()[target]) == 14
    verified = run.result("with our CA")
    assert not [w for w in verified.get("warnings") or [] if "validate_certs" in w]
    unverified = run.result("unverified")
    assert unverified["data_actions"][0]["timeout_seconds"] == 14
    warnings = [w for w in unverified.get("warnings") or [] if "validate_certs is false" in w]
    assert len(warnings) == 1 and tls.url in warnings[0] and "ca_path" in warnings[0]
    assert run.output.count("validate_certs is false") == 1  # shown as a warning, at default verbosity

    # The role's org task, whose worker runs data_action_timeout or starts it as a module process: the same warning,
    # on screen once and in the org's report.
    role_host = dict(host, genesyscloud_client_id="tls-client", genesyscloud_client_secret=SECRET,
                     genesyscloud_api_base_url=tls.url, genesyscloud_validate_certs=False)
    variables = {"data_action_timeouts_report_dir": str(tmp_path / "reports"), "data_action_timeouts_run_id": "v1"}
    run = run_playbook("genesyscloud.cx.audit", inventory={"all": {"hosts": {"tls-org": role_host}}},
                       extra_vars=variables)
    org_task = [r for r in run.records if r["_task"].endswith("Plan, change and report on the org's timeouts")][0]
    assert len([w for w in org_task.get("warnings") or [] if "validate_certs is false" in w]) == 1
    assert run.output.count("validate_certs is false") == 1
    with open(str(tmp_path / "reports" / "v1" / "tls-org.json")) as stream:
        assert "validate_certs is false" in stream.read()
    assert SECRET not in run.output


def test_https_proxy_carries_every_request_and_no_proxy_goes_around_it(tls, run_playbook, proxy):
    target = _low_id(tls)
    tasks = [{"name": "update", "genesyscloud.cx.data_action_timeout": {
        "id": target, "timeout_seconds": 16, "ca_path": tls.ca_path}}]
    run_playbook(play(tls, tasks, client_id="tls-client", client_secret=SECRET), env={"HTTPS_PROXY": proxy.url})
    assert timeout_of(tls.actions()[target]) == 16
    # One keep-alive tunnel per connection, to the emulator only; TLS was verified end to end through it.
    assert proxy.tunnels and set(proxy.tunnels) == {_host_port(tls.url)}
    assert proxy.exchanges == []  # HTTPS: the proxy saw a tunnel, never a request
    served = tls.requests()["counts"]
    assert served[TOKEN_ROUTE] == 1 and served[PATCH_ROUTE] == 1

    proxy.clear()
    tls.clear_requests()
    tasks[0]["genesyscloud.cx.data_action_timeout"]["timeout_seconds"] = 18
    run_playbook(play(tls, tasks, client_id="tls-client", client_secret=SECRET),
                 env={"HTTPS_PROXY": proxy.url, "NO_PROXY": "127.0.0.1,localhost"})
    assert timeout_of(tls.actions()[target]) == 18
    assert proxy.tunnels == [] and proxy.exchanges == []
    assert tls.requests()["counts"][PATCH_ROUTE] == 1


def test_http_proxy_is_used_for_plain_http_and_sees_every_request(emulator_factory, run_playbook, proxy):
    emu = emulator_factory(["--random-seed", "32"], seed=SEED)
    target = _low_id(emu)
    tasks = [{"name": "update", "genesyscloud.cx.data_action_timeout": {"id": target, "timeout_seconds": 15}}]
    run_playbook(play(emu, tasks, client_id="tls-client", client_secret=SECRET), env={"HTTP_PROXY": proxy.url})
    assert timeout_of(emu.actions()[target]) == 15
    served = emu.requests()["requests"]
    # Every request the emulator served came through the proxy, in the same order.
    through = [(x["method"], x["url"].split(emu.url, 1)[1].split("?", 1)[0]) for x in proxy.exchanges]
    assert through == [(e["method"], e["path"]) for e in served]
    assert ("PATCH", "/api/v2/integrations/actions/" + target) in through

    proxy.clear()
    run_playbook(play(emu, tasks, client_id="tls-client", client_secret=SECRET),
                 env={"HTTP_PROXY": proxy.url, "NO_PROXY": "127.0.0.1"})
    assert proxy.exchanges == [] and proxy.tunnels == []


def test_the_role_goes_through_the_proxy_and_a_refusing_proxy_is_named(tls, run_playbook, proxy, tmp_path):
    inventory = {"all": {"hosts": {"tls-org": {
        "ansible_connection": "local", "ansible_python_interpreter": "{{ ansible_playbook_python }}",
        "genesyscloud_client_id": "tls-client", "genesyscloud_client_secret": SECRET,
        "genesyscloud_api_base_url": tls.url, "genesyscloud_ca_path": tls.ca_path}}}}
    variables = {"data_action_timeouts_report_dir": str(tmp_path / "reports"), "data_action_timeouts_run_id": "p1"}
    run_playbook("genesyscloud.cx.audit", inventory=inventory, extra_vars=variables, env={"HTTPS_PROXY": proxy.url})
    assert set(proxy.tunnels) == {_host_port(tls.url)}
    assert os.path.exists(str(tmp_path / "reports" / "p1" / "tls-org.json"))

    # A proxy that refuses the tunnel: the org fails with a message that names the proxy settings.
    refusing = "http://127.0.0.1:%d" % _closed_port()
    tls.clear_requests()
    variables["data_action_timeouts_run_id"] = "p2"
    run = run_playbook("genesyscloud.cx.audit", inventory=inventory, extra_vars=variables,
                       env={"HTTPS_PROXY": refusing}, expect_rc=2)
    text = run.output
    assert "ProxyError" in text and "HTTPS_PROXY" in text and "NO_PROXY" in text
    assert tls.requests()["requests"] == []
    assert writes(tls) == 0
    assert SECRET not in text


def _closed_port():
    """A local port nothing listens on."""
    import socket
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port
