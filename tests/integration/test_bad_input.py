# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bad input, table-driven: the ways a new user gets it wrong, across the modules and the role (types and
ranges, selectors, ids and names, regions and URLs, credentials and permissions, plans and reports of every
wrong kind, role variables from the command line). Each case names words the message must hold for the
problem and for the fix; every run must leave the org unchanged with no write request (the one exception,
a read-only client's update, is refused by the server: permissions cannot be known before).

The module cases run as one play of many tasks (ignore_errors, each result recorded); the role cases as a
run over many hosts, each host an org with its own wrong setting, and runs with -e. Every run is at -vvvv
and goes through a recording proxy, and no client secret, no token issued and no credential sent may
appear in anything it left (output, results, reports) - the secrets suite on these failure paths.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import json
import os
import subprocess
import time

import pytest

from tests.integration._helpers import custom_actions, record_figures, timeout_of
from tests.integration._proxy import RecordingProxy
from tests.integration._secrets import assert_nowhere, secrets_seen, texts_of, tokens_issued

ADMIN, VIEWER, NOBODY = "bad-admin", "bad-viewer", "bad-nobody"
SECRETS = {ADMIN: "bad-admin-s3cret-Hq71", VIEWER: "bad-viewer-s3cret-Hq72", NOBODY: "bad-nobody-s3cret-Hq73"}
# Secrets a case hands in on purpose (a wrong secret, a token of nobody): they must not show either. (A password
# typed into api_base_url is refused, and masked in our message, but Ansible itself echoes the module's
# arguments at -vvv: README, running safely.)
GIVEN = ("wrong-s3cret-Hq79", "tok-bogus-Hq80")
SEED = {"orgs": [{"id": "bad-org", "name": "Bad input org", "generate": 40, "clients": [
    {"client_id": ADMIN, "client_secret": SECRETS[ADMIN], "permissions": ["*"]},
    {"client_id": VIEWER, "client_secret": SECRETS[VIEWER], "permissions": ["integrations:action:view"]},
    {"client_id": NOBODY, "client_secret": SECRETS[NOBODY], "permissions": []},
]}]}
TAMPERED = "custom_-_11111111-2222-4333-8444-555555555555"


class Case(object):
    """One wrong input and the words its message must hold: ``problem`` (what is wrong) and ``fix``."""

    def __init__(self, name, problem, fix, task=None, client=ADMIN, host_vars=None):
        self.name, self.problem, self.fix, self.task, self.client = name, problem, fix, task, client
        self.host_vars = host_vars or {}

    def check(self, message):
        """A list of what the message lacks (empty when it names the problem and the fix)."""
        text = message if isinstance(message, str) else json.dumps(message)
        lacks = ["problem %r" % w for w in self.problem if w not in text]
        lacks += ["fix %r" % w for w in self.fix if w not in text]
        if not self.fix:
            lacks.append("a fix to check for")
        if "Traceback" in text or "MODULE FAILURE" in text:
            lacks.append("no traceback")
        return ["%s: %s lacks %s" % (self.name, text, ", ".join(lacks))] if lacks else []


def _t(module, **args):
    return {"genesyscloud.cx.%s" % module: args}


def module_cases(ids):
    low, static, auth, twin = ids["low"], ids["static"], ids["auth"], ids["twin"]
    timeout = "data_action_timeout"
    missing_id = "custom_-_00000000-0000-4000-8000-000000000000"
    return [
        # types and ranges
        Case("timeout 0", ["timeout_seconds", "got 0"], ["from 1 to 60"], _t(timeout, id=low, timeout_seconds=0)),
        Case("timeout 61", ["timeout_seconds", "got 61"], ["from 1 to 60"], _t(timeout, id=low, timeout_seconds=61)),
        Case("timeout as words", ["timeout_seconds", "'ten'"], ["integer from 1 to 60"],
             _t(timeout, id=low, timeout_seconds="ten")),
        Case("timeout missing", ["timeout_seconds is required"], ["integer from 1 to 60"], _t(timeout, id=low)),
        Case("mode unknown", ["mode", "raise"], ["one of: exact, at_least"],
             _t(timeout, id=low, timeout_seconds=9, mode="raise")),
        Case("on_drift unknown", ["on_drift", "ignore"], ["one of: fail, skip, apply"],
             _t(timeout, id=low, timeout_seconds=9, on_drift="ignore")),
        Case("parallel 0", ["parallel", "got 0"], ["from 1 to"], _t(timeout, id=low, timeout_seconds=9, parallel=0)),
        Case("max_changes -1", ["max_changes", "got -1"], ["0 or more"],
             _t(timeout, id=low, timeout_seconds=9, max_changes=-1)),
        Case("page_size 0", ["page_size", "got 0"], ["at least 1"],
             _t(timeout, id=low, timeout_seconds=9, page_size=0)),
        Case("stats_days 0", ["stats_days", "got 0"], ["from 1 to 31"],
             _t(timeout, id=low, timeout_seconds=9, stats=True, stats_days=0)),
        Case("headroom 0.5", ["headroom", "0.5"], ["at least 1.0"],
             _t(timeout, id=low, timeout_seconds="recommended", headroom=0.5)),
        Case("function timeout 20", ["function_timeout_seconds", "got 20"], ["from 1 to 15"],
             _t(timeout, id=low, timeout_seconds=9, function_timeout_seconds=20)),
        Case("info page_size 0", ["page_size", "got 0"], ["at least 1"], _t("data_action_info", page_size=0)),
        Case("test input a list", ["input", "list"], ["dict"], _t("data_action_test", id=low, input=["name", "x"])),
        # selectors
        Case("no selector", ["one of the following is required"], ["id, name, ids, actions, select"],
             _t(timeout, timeout_seconds=9)),
        Case("two selectors", ["mutually exclusive"], ["id|name|ids|actions|select"],
             _t(timeout, id=low, ids=[low], timeout_seconds=9)),
        Case("empty ids", ["ids"], ["must not be empty"], _t(timeout, ids=[], timeout_seconds=9)),
        Case("repeated id", [low, "repeated"], ["may appear once"], _t(timeout, ids=[low, low], timeout_seconds=9)),
        Case("entry with id and name", ["mutually exclusive", "actions"], ["id|name"],
             _t(timeout, actions=[{"id": low, "name": "x", "timeout_seconds": 9}])),
        Case("entry without timeout", ["timeout_seconds", "actions"], ["missing required arguments"],
             _t(timeout, actions=[{"id": low}])),
        Case("entry version a word", ["version", "actions"], ["int"],
             _t(timeout, actions=[{"id": low, "timeout_seconds": 9, "version": "latest"}])),
        Case("select unknown key", ["select.timeout_below"], ["Supported parameters include", "timeout_at_most"],
             _t(timeout, select={"timeout_below": 3}, timeout_seconds=9)),
        Case("select bad regex", ["select.name_include", "'(['"], ["not a valid regular expression", "position 1"],
             _t(timeout, select={"name_include": ["(["]}, timeout_seconds=9)),
        Case("select unknown verdict", ["verdicts", "slow"], ["one or more of: timing_out"],
             _t(timeout, select={"verdicts": ["slow"]}, timeout_seconds=9)),
        Case("timeout beside actions", ["timeout_seconds"], ["inside each entry of actions"],
             _t(timeout, actions=[{"id": low, "timeout_seconds": 9}], timeout_seconds=9)),
        # ids and names
        Case("unknown id", [missing_id], ["data_action_info lists what exists"],
             _t(timeout, id=missing_id, timeout_seconds=9)),
        Case("static id", [static, "built-in static action"], ["Leave it out", "only custom actions"],
             _t(timeout, id=static, timeout_seconds=9)),
        Case("custom-auth id", [auth, "custom authentication action"], ["Leave it out", "other actions"],
             _t(timeout, id=auth, timeout_seconds=9)),
        Case("ambiguous name", [twin[0], twin[1], twin[2]], ["select them by id"],
             _t(timeout, name=twin[2], timeout_seconds=9)),
        Case("unknown name", ["No Such Action"], ["data_action_info lists what exists"],
             _t(timeout, name="No Such Action", timeout_seconds=9)),
        Case("empty name", ["name"], ["must not be empty"], _t(timeout, name="", timeout_seconds=9)),
        Case("test custom-auth", [auth], ["Test one of those actions instead"], _t("data_action_test", id=auth)),
        Case("more changes than allowed", ["more than max_changes (1)"], ["narrow the run", "raise max_changes (the role's data_action_timeouts_max_changes)"],
             _t(timeout, select={"timeout_at_most": 5}, timeout_seconds=9, max_changes=1)),
        # regions and URLs
        Case("unknown region", ["eu-north-7"], ["Use a region name", "eu-west-1", "api_base_url"],
             _t("oauth_token", region="eu-north-7", api_base_url=None)),
        Case("URL without scheme", ["api_base_url", "127.0.0.1:9"], ["must start with http:// or https://"],
             _t("data_action_info", api_base_url="127.0.0.1:9")),
        Case("URL unparsable", ["api_base_url", "http://[::1", "not a valid URL"], ["give the scheme and the host"],
             _t("data_action_info", api_base_url="http://[::1")),
        Case("URL bad port", ["127.0.0.1:port", "not a valid URL"], ["give the scheme and the host"],
             _t("data_action_info", api_base_url="http://127.0.0.1:port")),
        Case("URL with /api/v2", ["api_base_url", "/api/v2'"], ["without /api/v2"],
             _t("data_action_info", api_base_url="http://127.0.0.1:9/api/v2")),
        Case("URL with password", ["api_base_url", "user name or password"], ["give client_id and client_secret"],
             _t("data_action_info", api_base_url="http://admin:url-pa55word@127.0.0.1:9")),
        Case("login URL bad port", ["login_base_url", "99999"], ["give the scheme and the host"],
             _t("oauth_token", login_base_url="https://login.example:99999")),
        Case("missing ca_path", ["/nonexistent/corp-ca.pem", "does not exist"], ["PEM file", "leave ca_path out"],
             _t("data_action_info", ca_path="/nonexistent/corp-ca.pem")),
        Case("http_timeout 0", ["http_timeout", "got 0"], ["at least 1 second"], _t("data_action_info", http_timeout=0)),
        # credentials and permissions
        Case("secret missing", ["client_secret is missing"], ["go together"],
             _t("data_action_info", client_id=ADMIN), client=None),
        Case("no credentials", ["No credentials"], ["set client_id and client_secret"], _t("oauth_token"), client=None),
        Case("wrong secret", ["401", "POST /oauth/token"], ["Check client_id and client_secret"],
             _t("data_action_info", client_secret=GIVEN[0])),
        Case("bogus access token", ["401", "GET /api/v2/integrations/actions"], ["access_token"],
             _t("data_action_info", access_token=GIVEN[1]), client=None),
        Case("viewer may not update", ["403", "integrations:action:edit"], ["Give the OAuth client a role"],
             _t(timeout, id=low, timeout_seconds=9), client=VIEWER),
        Case("nobody may list", ["403", "integrations:action:view"], ["Give the OAuth client a role"],
             _t("data_action_info"), client=NOBODY),
    ]


def _secret_env():
    return dict(("SECRET_%s" % client.replace("-", "_").upper(), secret) for client, secret in SECRETS.items())


def _secret_lookup(client):
    # From the environment: a secret written into a playbook is shown by Ansible itself as the failed task's origin.
    return "{{ lookup('env', 'SECRET_%s') }}" % client.replace("-", "_").upper()


@pytest.fixture
def world(emulator_factory):
    """The org, the ids the cases need (one action renamed to share a name), and a recording proxy."""
    emu = emulator_factory(["--random-seed", "41"], seed=SEED)
    actions = emu.actions()
    custom = sorted(custom_actions(actions))
    emu.admin_edit(action_id=custom[1], name=actions[custom[0]]["name"], when="now")
    emu.ids = {
        "low": sorted(i for i in custom if timeout_of(actions[i]) is not None and timeout_of(actions[i]) <= 5)[0],
        "static": sorted(i for i in actions if i.startswith("static_"))[0],
        "auth": sorted(i for i in actions if i.startswith("customAuth_"))[0],
        "twin": (custom[0], custom[1], actions[custom[0]]["name"]),
    }
    emu.before = emu.actions()
    emu.clear_requests()
    with RecordingProxy() as proxy:
        emu.proxy = proxy
        emu.env = dict(_secret_env(), HTTP_PROXY=proxy.url)
        yield emu


def _module_play(emu, cases):
    tasks = []
    for case in cases:
        task = copy.deepcopy(case.task)
        args = task[next(key for key in task if key.startswith("genesyscloud.cx."))]
        defaults = {"api_base_url": emu.url}
        if case.client:
            defaults.update(client_id=case.client, client_secret=_secret_lookup(case.client))
        for key, value in defaults.items():
            args.setdefault(key, value)
        for key in [k for k, v in args.items() if v is None]:
            del args[key]
        task.update(name=case.name, ignore_errors=True)
        tasks.append(task)
    return [{"name": "bad input", "hosts": "localhost", "gather_facts": False, "tasks": tasks}]


def _judge(cases, said):
    """What the messages lack, for every case (empty when each names its problem and its fix)."""
    lacking = []
    for case in cases:
        if os.environ.get("SHOW_MESSAGES"):
            print("%-28s %s" % (case.name, said.get(case.name)))
        lacking.extend(case.check(said.get(case.name)))
    return lacking


def _no_secrets(emu, runs, *folders):
    secrets = secrets_seen(emu.proxy, list(SECRETS.values()) + list(GIVEN))
    texts = []
    for run in runs:
        texts.extend(texts_of(run, *folders))
    assert_nowhere(secrets, texts)
    return len(secrets)


def test_every_module_refuses_bad_input_naming_the_problem_and_the_fix(world, run_playbook, record_property):
    cases = module_cases(world.ids)
    assert len(cases) >= 40
    started = time.monotonic()
    run = run_playbook(_module_play(world, cases), args=["-vvvv"], env=world.env)
    said = {}
    for case in cases:
        result = run.result(case.name)
        assert result["_status"] == "ignored", (case.name, result)
        said[case.name] = result.get("msg")
    lacking = _judge(cases, said)
    assert not lacking, "\n".join(lacking)
    log = world.requests()["requests"]
    writes = [e for e in log if e["write"]]
    # The one refused PATCH is the read-only client's: its permissions are not known before the server refuses.
    assert [(e["client_id"], e["route"], e["status"]) for e in writes] == [
        (VIEWER, "PATCH /api/v2/integrations/actions/{actionId}", 403)]
    assert world.actions() == world.before
    assert tokens_issued(world.proxy)  # the grep below looks for real tokens
    secrets = _no_secrets(world, [run])
    record_figures(record_property, "bad input: modules", {
        "cases": len(cases), "requests": len(log), "writes_refused": len(writes), "secrets_searched": secrets,
        "seconds": round(time.monotonic() - started, 1)})


# ---- the role: hosts with their own wrong settings ---------------------------------------------------------
def _report(org, mode="remediate", check_mode=False):
    """An org report as the role writes it (the collection's own filter), for ``org``."""
    from ansible_collections.genesyscloud.cx.plugins.plugin_utils._org_reports import timeout_report
    status = "would_update" if check_mode or mode == "audit" else "updated"
    results = [{"id": TAMPERED, "name": "Lookup", "status": status, "timeout_seconds_before": 3,
                "timeout_seconds_after": 10, "version_before": 4, "version_after": None if status != "updated" else 5}]
    return timeout_report(results, org=org, mode=mode, check_mode=check_mode, run_id="earlier")


def _write(directory, name, content):
    path = os.path.join(str(directory), name)
    with open(path, "w") as handle:
        handle.write(content if isinstance(content, str) else json.dumps(content))
    return path


def report_cases(directory):
    """Reports to roll back of every wrong kind, one host each: the message names the file (and the action)."""
    tampered = _report("r-tampered-timeout")
    tampered["rows"][0]["timeout_seconds_before"] = 99
    status = _report("r-tampered-status")
    status["rows"][0]["status"] = "fixed"
    no_id = _report("r-no-id")
    del no_id["rows"][0]["id"]
    schema = _report("r-schema")
    schema["schema_version"] = 9
    files = [
        ("r-tampered-timeout", tampered, [TAMPERED, "99"], ["from 1 to 60"]),
        ("r-tampered-status", status, [TAMPERED, "'fixed'"], ["unknown status"]),
        ("r-no-id", no_id, ["rows[0]"], ["missing key(s): id"]),
        ("r-missing", None, [], ["No such file or directory"]),
        ("r-not-json", '{"report_type": "org", ', [], ["JSON"]),
        ("r-empty", "", [], ["JSON"]),
        ("r-not-a-report", {"hello": "world"}, ["schema_version None"], ["reads schema_version"]),
        ("r-other-org", _report("somewhere-else"), ["'somewhere-else'", "not of 'r-other-org'"], ["report of org"]),
        ("r-dry-run", _report("r-dry-run", check_mode=True), ["check mode"],
         ["only a run that wrote changes can be rolled back"]),
        ("r-schema", schema, ["schema_version 9"], ["reads schema_version 1 or 2"]),
    ]
    cases = []
    for host, content, problem, fix in files:
        path = os.path.join(str(directory), "%s.json" % host) if content is None else _write(directory, host + ".json", content)
        case = Case(host, [path] + problem, fix)
        case.host_vars = {"data_action_timeouts_rollback_report": path}
        cases.append(case)
    return cases


def connection_cases(directory):
    """Connection settings and plans gone wrong, one host (org) each, for a remediation."""
    real_run = _write(directory, "p-real-run.json", _report("p-real-run"))
    other = _write(directory, "p-other-org.json", _report("somewhere-else", mode="audit"))
    spec = [
        ("h-region", {"genesyscloud_region": "eu-north-7", "genesyscloud_api_base_url": ""},
         ["eu-north-7"], ["Use a region name"]),
        ("h-url", {"genesyscloud_api_base_url": "http://[::1"}, ["http://[::1", "not a valid URL"],
         ["give the scheme and the host"]),
        ("h-ca", {"genesyscloud_ca_path": "/nonexistent/corp-ca.pem"}, ["/nonexistent/corp-ca.pem", "does not exist"],
         ["leave ca_path out"]),
        ("h-no-credentials", {"genesyscloud_client_id": "", "genesyscloud_client_secret": ""}, ["No credentials"],
         ["set client_id and client_secret"]),
        ("h-wrong-secret", {"genesyscloud_client_secret": GIVEN[0]}, ["401", "/oauth/token"],
         ["Check client_id and client_secret"]),
        ("h-threshold", {"data_action_timeouts_threshold": 0}, ["data_action_timeouts_threshold", "got 0"],
         ["must be 1 to 60"]),
        ("p-real-run", {"data_action_timeouts_plan": real_run}, [real_run, "not a dry run"], ["check-mode run"]),
        ("p-other-org", {"data_action_timeouts_plan": other}, [other, "'somewhere-else'"], ["p-other-org"]),
        ("p-missing", {"data_action_timeouts_plan": os.path.join(str(directory), "gone.json")}, ["gone.json"],
         ["No such file or directory"]),
    ]
    cases = []
    for host, host_vars, problem, fix in spec:
        case = Case(host, problem, fix)
        case.host_vars = host_vars
        cases.append(case)
    return cases


def _inventory(emu, cases):
    base = {"ansible_connection": "local", "ansible_python_interpreter": "{{ ansible_playbook_python }}",
            "genesyscloud_client_id": ADMIN, "genesyscloud_client_secret": _secret_lookup(ADMIN),
            "genesyscloud_api_base_url": emu.url}
    return {"all": {"hosts": dict((case.name, dict(base, **case.host_vars)) for case in cases)}}


def role_said(run, hosts):
    """What the run said went wrong, per host: the messages of its failed tasks and of its summary."""
    said = dict((host, []) for host in hosts)
    for record in run.records:
        host = record["_host"]
        if host in said and (record["_status"] == "failed" or record["_task"].endswith("report on the org's timeouts")):
            said[host].append(record.get("msg"))
    return said


def assert_said_once(case, messages):
    """The failure's own words come from one task only: Ansible's at a task that failed, or the summary."""
    word = case.problem[0]
    telling = [m for m in messages if word in json.dumps(m)]
    assert len(telling) == 1, "%s: %r is said by %d tasks: %s" % (case.name, word, len(telling), messages)


@pytest.mark.parametrize("playbook,cases_of", [("rollback", report_cases), ("remediate", connection_cases)])
def test_the_role_refuses_bad_settings_plans_and_reports_per_org(world, run_playbook, tmp_path, record_property,
                                                                 playbook, cases_of):
    cases = cases_of(tmp_path)
    report_dir = tmp_path / "reports"
    started = time.monotonic()
    run = run_playbook("genesyscloud.cx.%s" % playbook, inventory=_inventory(world, cases), env=world.env,
                       extra_vars={"data_action_timeouts_report_dir": str(report_dir)}, expect_rc=2,
                       args=["-vvvv", "--forks", "10"])
    said = role_said(run, set(case.name for case in cases))
    lacking = _judge(cases, said)
    assert not lacking, "\n".join(lacking)
    for case in cases:
        assert_said_once(case, said[case.name])
    # Nothing was written, so nothing is offered to be rolled back.
    assert "genesyscloud.cx.rollback -i" not in run.stdout
    assert world.requests()["writes"] == 0 and world.actions() == world.before
    secrets = _no_secrets(world, [run], report_dir)
    record_figures(record_property, "bad input: role %s, one org per case" % playbook, {
        "cases": len(cases), "writes": 0, "secrets_searched": secrets,
        "seconds": round(time.monotonic() - started, 1)})


# ---- the role: variables from the command line --------------------------------------------------------------
COMMAND_LINE = [
    ("remediate", ["-e", "data_action_timeouts_threshold=0", "-e", "data_action_timeouts_target=61",
                   "-e", "data_action_timeouts_max_changes=-1"],
     ["threshold must be 1 to 60 seconds, got 0", "target must be 1 to 60 seconds or recommended, got 61",
      "max_changes must be 0 or more, got -1"], ["must be"]),
    ("remediate", ["-e", "data_action_timeouts_target=2"], ["target (2)", "threshold (3)"],
     ["must be at least", "never lowers"]),
    ("remediate", ["-e", "data_action_timeouts_target=soon"], ["got soon"], ["1 to 60 seconds or recommended"]),
    ("remediate", ["-e", "data_action_timeouts_mode=audit"], ["runs in remediate mode, not audit"],
     ["run genesyscloud.cx.audit instead"]),
    ("rollback", [], ["rollback mode needs data_action_timeouts_rollback_report"], ["the JSON report of the run to undo"]),
    ("audit", ["-e", "data_action_timeouts_plan=plan.json"], ["an audit reads no plan"], ["genesyscloud.cx.remediate"]),
    ("audit", ["-e", "data_action_timeouts_run_id=../elsewhere"], ["../elsewhere"],
     ["only letters, digits"]),
    ("remediate", ["-e", "data_action_timeouts_function_timeout_seconds=20"], ["got 20"], ["1 to 15 seconds"]),
    ("remediate", ["-e", "data_action_timeouts_on_drift=sometimes"], ["data_action_timeouts_on_drift", "sometimes"],
     ["one of: skip, fail, apply"]),
    ("audit", ["-e", '{"data_action_timeouts_report_formats": ["pdf"]}'], ["data_action_timeouts_report_formats", "pdf"],
     ["json, md, html"]),
]


@pytest.mark.parametrize("playbook,args,problem,fix", COMMAND_LINE, ids=[" ".join(c[1][1::2]) or c[0] for c in COMMAND_LINE])
def test_the_role_refuses_bad_variables_from_the_command_line(world, run_playbook, tmp_path, playbook, args, problem,
                                                              fix):
    case = Case(" ".join(args), problem, fix)
    case.host_vars = {}
    report_dir = tmp_path / "reports"
    run = run_playbook("genesyscloud.cx.%s" % playbook, inventory=_inventory(world, [Case("bad-org", [], [])]),
                       env=world.env, extra_vars={"data_action_timeouts_report_dir": str(report_dir)},
                       expect_rc=2, args=["-vvvv"] + args)
    said = role_said(run, {"bad-org"})["bad-org"] or [run.stdout[-3000:]]
    lacks = case.check(said)
    assert not lacks, lacks
    assert_said_once(case, said)
    assert "genesyscloud.cx.rollback -i" not in run.stdout
    assert world.requests()["requests"] == []  # refused before the first request, not even a token
    _no_secrets(world, [run], report_dir)


def test_an_unwritable_report_folder_stops_the_run_before_any_request(world, run_playbook, tmp_path):
    """Defect 2: the folder is created and proved writable first (as root, chmod does not stop a write: the
    immutable attribute does)."""
    report_dir = tmp_path / "reports"
    run_folder = report_dir / "ro-run"
    run_folder.mkdir(parents=True)
    if os.geteuid() == 0:
        if subprocess.run(["chattr", "+i", str(run_folder)], stderr=subprocess.DEVNULL, check=False).returncode:
            pytest.skip("running as root where chattr +i is refused: no way to make a folder read-only for root here")

        def undo():
            subprocess.run(["chattr", "-i", str(run_folder)], check=True)
    else:
        run_folder.chmod(0o555)

        def undo():
            run_folder.chmod(0o755)
    try:
        run = run_playbook("genesyscloud.cx.remediate", inventory=_inventory(world, [Case("bad-org", [], [])]),
                           env=world.env, expect_rc=2, args=["-vvvv"], extra_vars={
                               "data_action_timeouts_report_dir": str(report_dir),
                               "data_action_timeouts_run_id": "ro-run"})
    finally:
        undo()
    case = Case("unwritable", [str(run_folder), "cannot be written"],
                ["make the folder writable", "data_action_timeouts_report_dir"])
    said = role_said(run, {"bad-org"})["bad-org"]
    assert not case.check(said), case.check(said)
    assert_said_once(case, said)
    assert "Nothing was sent to Genesys Cloud" in json.dumps(said)
    assert world.requests()["requests"] == []
    assert os.listdir(str(run_folder)) == []
    _no_secrets(world, [run], report_dir)
