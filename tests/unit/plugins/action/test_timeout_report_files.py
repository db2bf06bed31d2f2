# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The report folder is created and proved writable before a run sends anything."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import subprocess

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.genesyscloud.cx.plugins.module_utils import _files as files_module
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_files import (
    FORMATS,
    org_report,
    prepare_folder,
    report_json_pieces,
    write_report,
)
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_html import timeout_report_html


def _json_text(report):
    """A report's JSON file text, without its last newline, as the JSON format writes it."""
    return "".join(report_json_pieces(report))


def test_the_folder_is_created_and_left_empty(tmp_path):
    dest = tmp_path / "reports" / "run-1"
    assert prepare_folder(str(dest)) is None
    assert dest.is_dir() and os.listdir(str(dest)) == []


def test_a_folder_that_is_a_file_is_named(tmp_path):
    blocker = tmp_path / "reports"
    blocker.write_text("not a folder")
    problem = prepare_folder(str(blocker / "run-1"))
    assert problem and "Not a directory" in problem


def _read_only(path):
    """Make ``path`` unwritable even for root (the immutable attribute), or for anyone else (mode 0555)."""
    if os.geteuid() != 0:
        path.chmod(0o555)
        return lambda: path.chmod(0o755)
    if subprocess.run(["chattr", "+i", str(path)], stderr=subprocess.DEVNULL, check=False).returncode:
        pytest.skip("running as root where chattr +i is refused: no way to make a folder read-only for root here")
    return lambda: subprocess.run(["chattr", "-i", str(path)], check=True)


def test_an_existing_read_only_folder_is_found_before_anything_is_written(tmp_path):
    dest = tmp_path / "run-1"
    dest.mkdir()
    undo = _read_only(dest)
    try:
        problem = prepare_folder(str(dest))
    finally:
        undo()
    assert problem and ("Permission denied" in problem or "Operation not permitted" in problem)
    assert os.listdir(str(dest)) == []  # no probe left behind


def _result(action_id, name, status="updated", before=3, after=10):
    return {"id": action_id, "name": name, "category": "CRM", "kind": "custom", "status": status,
            "timeout_seconds_before": before, "timeout_seconds_after": after, "version_before": 1,
            "version_after": 2, "msg": "timeout %s s -> %s s" % (before, after)}


def test_a_report_is_indented_with_one_line_per_action(tmp_path):
    results = [_result("custom_-_a", "Lookup account"), _result("custom_-_b", "Create ticket", "ok", None, None)]
    report, dummy = org_report({"results_file": None, "results": results, "error": None,
                                "report_options": {"org": "prod", "mode": "remediate", "run_id": "r1"}})
    text = _json_text(report)
    assert json.loads(text) == json.loads(json.dumps(report))
    lines = text.splitlines()
    assert lines[0] == "{" and lines[1] == '  "schema_version": 2,' and lines[-1] == "}"
    rows = [json.loads(line.strip().rstrip(",")) for line in lines if line.startswith('    {"id": ')]
    assert sorted(row["id"] for row in rows) == ["custom_-_a", "custom_-_b"]
    assert _json_text({"rows": [], "warnings": []}) == '{\n  "rows": [],\n  "warnings": []\n}'


def test_the_files_written_in_pieces_are_the_reports_text(tmp_path):
    """JSON and HTML are written a piece at a time (a large org's page is not held twice): the same text."""
    results = [_result("custom_-_%03d" % n, "Lookup \u00e9t\u00e9 %d" % n) for n in range(50)]
    report, dummy = org_report({"results_file": None, "results": results, "error": None,
                                "report_options": {"org": "prod", "mode": "remediate", "run_id": "r1",
                                                   "generated_at": "2026-12-01T00:00:00Z"}})
    paths = write_report(str(tmp_path), "prod", FORMATS, report, built=True)
    with open(paths[0], encoding="utf-8") as stream:
        assert stream.read() == _json_text(report) + "\n"
    with open(paths[2], encoding="utf-8") as stream:
        assert stream.read() == timeout_report_html(report)
    assert [os.path.basename(p) for p in paths] == ["prod.json", "prod.md", "prod.html"]


def test_text_is_written_a_slice_at_a_time_whatever_its_characters(tmp_path, monkeypatch):
    monkeypatch.setattr(files_module, "_SLICE", 7)
    text = "\u00e9t\u00e9 \u2026 " * 11 + "\U0001F600 end"
    for data in (text, [text[:5], text[5:]], text.encode("utf-8")):
        files_module.write_whole(str(tmp_path / "out.txt"), data)
        with open(str(tmp_path / "out.txt"), encoding="utf-8") as stream:
            assert stream.read() == text


def test_the_org_report_is_built_from_the_module_results_file(tmp_path):
    path = tmp_path / ".prod.results.json"
    path.write_text(json.dumps([_result("custom_-_a", "Lookup account")]))
    report, dummy = org_report({"results_file": str(path), "results": None, "error": "stopped",
                                "report_options": {"org": "prod", "mode": "remediate", "threshold": 3}})
    assert (report["org"], report["threshold"], report["error"]) == ("prod", 3, "stopped")
    assert [row["status"] for row in report["rows"]] == ["updated"]


@pytest.mark.parametrize("content, expected", [
    (None, "cannot read the results file"),
    ("{not json", "cannot read the results file"),
    ('{"rows": []}', "holds no results list"),
])
def test_a_results_file_that_is_missing_or_no_results_list_is_named(tmp_path, content, expected):
    path = tmp_path / "results.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(AnsibleActionFail) as caught:
        org_report({"results_file": str(path), "results": None, "error": None, "report_options": {}})
    assert expected in str(caught.value) and str(path) in str(caught.value)


def test_report_options_are_the_filter_s_own(tmp_path):
    with pytest.raises(AnsibleActionFail) as caught:
        org_report({"results_file": None, "results": [], "error": None,
                    "report_options": {"org": "prod", "treshold": 3}})
    assert "unknown option(s) treshold" in str(caught.value)
    with pytest.raises(AnsibleActionFail) as caught:
        org_report({"results_file": None, "results": [], "error": None,
                    "report_options": {"mode": "deploy"}})
    assert "cannot build the org report: mode must be one of" in str(caught.value)


def _org_from_run(run, options=None, error=None, interrupted_in=None):
    return org_report({"results_file": None, "results": [_result("custom_-_a", "Lookup account")],
                       "error": error, "run_result": run, "interrupted_runs_in": interrupted_in,
                       "report_options": dict({"org": "prod", "mode": "remediate", "run_id": "r2"},
                                              **(options or {}))})


def test_the_report_takes_what_the_update_call_said_from_its_result():
    tested = [{"id": "custom_-_a", "success": True, "timed_out": False, "duration_ms": 120}]
    run = {"changed": True, "api_base_url": "https://api.mypurecloud.de", "warnings": ["from the module"],
           "verify_before": tested, "verify_after": tested, "results": []}
    report, interrupted = _org_from_run(run, {"api_base_url": "https://other", "verify_before": [],
                                              "verify_after": None, "warnings": ["given"]})
    assert report["api_base_url"] == "https://api.mypurecloud.de"
    assert report["warnings"] == ["from the module", "given"] and interrupted == []
    # Asked for (a list, even empty): the call's outcomes; not asked for (null): none, whatever the call said.
    assert report["rows"][0]["verify"] == {
        "before": {"success": True, "timed_out": False, "duration_ms": 120, "error": None}, "after": None}
    assert not report.get("error")


@pytest.mark.parametrize("run, options, expected", [
    ({}, {}, None),
    ({"skipped": True, "skip_reason": "Conditional result was False"}, {}, None),
    ({"failed": False, "msg": "Nothing was written: 3 changes over max_changes 2."}, {},
     "Nothing was written: 3 changes over max_changes 2."),
    # A task Ansible failed on its arguments: the filter's wrapping goes, a message said twice is said once.
    ({"failed": True, "msg": "Task failed: The filter plugin 'genesyscloud.cx.timeout_plan_actions' failed: "
                             "the plan is for another org. the plan is for another org"}, {},
     "the plan is for another org"),
    ({"failed": True, "msg": "Error while resolving value, original message: no such file"}, {}, "no such file"),
    ({"failed": True}, {}, "failed"),
    ({"results": [{"id": "a", "status": "drifted"}, {"id": "b", "status": "updated"}]}, {"mode": "rollback"},
     "1 action(s) changed again since the run being rolled back were not restored (drifted): a. Check them in the "
     "report; to restore them anyway, roll back again with -e data_action_timeouts_on_drift=apply"),
    # Drift is a rollback's failure only when it wrote: a dry run's drifted actions are findings.
    ({"results": [{"id": "a", "status": "drifted"}]}, {"mode": "rollback", "check_mode": True}, None),
    ({"results": [{"id": "a", "status": "drifted"}]}, {}, None),
])
def test_the_org_s_failure_comes_from_the_update_call_s_result(run, options, expected):
    report, dummy = _org_from_run(run, options)
    assert report.get("error") == expected


def test_many_drifted_actions_are_named_up_to_ten():
    run = {"results": [{"id": "a%02d" % n, "status": "drifted"} for n in range(12)]}
    report, dummy = _org_from_run(run, {"mode": "rollback"})
    assert report["error"].startswith("12 action(s) changed again") and "a09, ..." in report["error"]
    assert "a10" not in report["error"]


def test_settings_that_do_not_fit_come_before_the_call_s_result():
    report, dummy = _org_from_run({"failed": True, "msg": "other"}, error="threshold must be 1 to 60 seconds")
    assert report["error"] == "threshold must be 1 to 60 seconds"


def test_interrupted_runs_are_warnings_of_the_report(monkeypatch, tmp_path):
    from ansible_collections.genesyscloud.cx.plugins.plugin_utils import _report_files as plugin
    seen = []

    def interrupted_runs(report_dir, org, run_id=None):
        seen.append((report_dir, org, run_id))
        return ["run r1 was interrupted"]
    monkeypatch.setattr(plugin, "interrupted_runs", interrupted_runs)
    report, interrupted = _org_from_run({"warnings": ["w"]}, interrupted_in=str(tmp_path))
    assert seen == [(str(tmp_path), "prod", "r2")]
    assert interrupted == ["run r1 was interrupted"] and report["warnings"] == ["w", "run r1 was interrupted"]


def test_module_warnings_become_report_warnings_in_every_form_ansible_core_hands_them_over():
    from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_files import warning_texts

    class Event(object):
        msg = "analytics refused"

    class Summary(object):
        event = Event()
    assert warning_texts(["a", {"event": {"msg": "b"}}, {"msg": "c"}, Summary(), None, ""]) == [
        "a", "b", "c", "analytics refused"]


def test_the_reports_say_how_many_429s_the_run_met_and_how_long_it_waited():
    from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_markdown import timeout_report_markdown
    from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_reading import build_run_report

    met = {"requests_per_minute": 300, "learned_requests_per_minute": 200, "rate_limited": 3, "waited_seconds": 61.25,
           "paced_seconds": 4.0, "held_seconds": 57.25, "unknown": "dropped"}
    report, dummy = _org_from_run({"changed": True, "results": [], "rate_limit": met})
    assert report["rate_limit"] == dict((k, v) for k, v in met.items() if k != "unknown")
    quiet, dummy = _org_from_run({"changed": True, "results": [], "rate_limit": {
        "requests_per_minute": 300, "learned_requests_per_minute": None, "rate_limited": 0, "waited_seconds": 0.5,
        "paced_seconds": 0.5, "held_seconds": 0.0}}, {"org": "test"})
    words = ("3 answers HTTP 429, 61.2 s waited for the rate limit (57.2 s of it held after 429s); pace 300 requests "
             "a minute, lowered to 200 after a 429 within it")
    assert "- Rate limit: %s\n" % words in timeout_report_markdown(report)
    assert "Rate limit: %s" % words in timeout_report_html(report)
    assert _org_from_run({"changed": True, "results": []})[0]["rate_limit"] is None, "a run that said nothing"
    run = build_run_report([report, quiet], run_id="r2")
    assert run["totals"]["rate_limit"] == {"rate_limited": 3, "waited_seconds": 61.75, "held_seconds": 57.25,
                                           "orgs_paced_lower": 1}
    assert ("- Rate limit: 3 answers HTTP 429, 61.8 s waited for the rate limit (57.2 s of it held after 429s) in all "
            "orgs; 1 org(s) lowered their pace after a 429\n") in timeout_report_markdown(run)
    assert "Rate limit: 3 answers HTTP 429, 61.8 s waited" in timeout_report_html(run)
    assert json.loads(_json_text(run))["orgs"][0]["rate_limit"]["rate_limited"] == 3
