# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Plan.apply stops between two writes (controller gone, a signal, a missing permission, a journal that cannot be
written), records every write and outcome in the journal, and reports the timeout before *our* write."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from ansible_collections.genesyscloud.cx.plugins.module_utils import _timeout_plan as timeout_plan
from ansible_collections.genesyscloud.cx.plugins.module_utils import _timeout_requests as timeout_requests
from ansible_collections.genesyscloud.cx.plugins.module_utils import _timeout_results as timeout_results
from ansible_collections.genesyscloud.cx.plugins.module_utils import data_actions as da
from ansible_collections.genesyscloud.cx.plugins.module_utils import errors
from ansible_collections.genesyscloud.cx.plugins.module_utils._interruption import ControllerWatch, wait_settled
from ansible_collections.genesyscloud.cx.plugins.module_utils._journal import Journal, read
from tests.unit.plugins.fake_api import ACTIONS, Fault, FakeGenesysCloud, make_action


def _org(n=20, timeout=3):
    return FakeGenesysCloud([make_action("Action %03d" % i, timeout=timeout, version=i + 1, action_id="custom_-_%03d" % i)
                             for i in range(n)])


def _plan(client, ids, timeout=10, reselect=None, on_drift="fail", **request):
    wanted = [timeout_requests.TimeoutRequest(timeout, action_id=i, reselect=reselect, **request) for i in ids]
    return timeout_plan.Plan(timeout_requests.resolve(wanted, timeout_requests.read_for_requests(client, wanted)), mode="exact", on_drift=on_drift)


class StopAfter(ControllerWatch):
    """A watch whose controller goes away once ``count`` PATCHes reached the server."""

    def __init__(self, fake, count):
        super(StopAfter, self).__init__()
        self._fake, self._count = fake, count

    def reason(self):
        if len(self._fake.requests_for("PATCH")) >= self._count:
            self.stop("its Ansible controller (process 4242) is gone")
        return super(StopAfter, self).reason()


def _journal(tmp_path, plan):
    return Journal.create(str(tmp_path / "org.journal.jsonl"), {"info": {"org": "org"}, "actions": plan.journal_actions()})


def test_a_run_whose_controller_is_gone_sends_no_new_write_and_says_which_it_did_not_attempt(make_client, tmp_path):
    fake = _org(20)
    client = make_client(fake)
    plan = _plan(client, sorted(fake.actions))
    journal = _journal(tmp_path, plan)
    results = plan.apply(client, parallel=1, journal=journal, watch=StopAfter(fake, 5))
    journal.end(results, plan.stopped())
    assert len(fake.requests_for("PATCH")) == 5
    assert [r["status"] for r in results] == ["updated"] * 5 + ["not_attempted"] * 15
    for result in results[5:]:
        assert result["msg"].startswith("not attempted, because its Ansible controller (process 4242) is gone: timeout")
        assert fake.actions[result["id"]]["config"]["timeoutSeconds"] == 3
    summary = timeout_results.stop_summary(plan, results)
    assert "controller (process 4242) is gone" in summary and "15 update(s) not attempted" in summary
    state = read(journal.path)
    assert state.ended and state.stopped == "its Ansible controller (process 4242) is gone"
    assert [a["id"] for a in state.changed()] == sorted(fake.actions)[:5]
    assert all(a["outcome"]["status"] == "not_attempted" and a["sent"] is None for a in state.actions[5:])


def test_with_several_workers_only_the_writes_in_flight_settle_after_the_stop(make_client):
    fake = _org(40)
    fake.latency = 0.01  # the workers overlap
    client = make_client(fake)
    plan = _plan(client, sorted(fake.actions))
    results = plan.apply(client, parallel=4, watch=StopAfter(fake, 10))
    patches = len(fake.requests_for("PATCH"))
    assert 10 <= patches <= 10 + 3  # each of the three other workers may have been past its check
    assert sum(r["status"] == "updated" for r in results) == patches
    assert sum(r["status"] == "not_attempted" for r in results) == 40 - patches


def test_a_signal_during_the_run_stops_it_like_a_lost_controller(make_client):
    fake = _org(6)
    client = make_client(fake)
    plan = _plan(client, sorted(fake.actions))
    watch = ControllerWatch()
    original = fake._patch

    def patch_then_signal(request, action, update, is_draft=False):
        watch.stop("it received SIGTERM")  # what the handler does when the worker passes SIGTERM on
        return original(request, action, update, is_draft)

    fake._patch = patch_then_signal
    results = plan.apply(client, parallel=1, watch=watch)
    assert [r["status"] for r in results] == ["updated"] + ["not_attempted"] * 5
    assert "because it received SIGTERM" in results[1]["msg"]


def test_a_real_signal_sent_from_a_writing_thread_stops_the_run_at_once(make_client):
    """The kernel hands a signal sent to the process to a thread that does not block it: the writing threads block
    the stop signals, so the main thread takes it and its handler stops the run while the writes go on."""
    fake = _org(40)
    fake.latency = 0.02  # the workers overlap
    client = make_client(fake)
    plan = _plan(client, sorted(fake.actions))
    watch = ControllerWatch()
    original = fake._patch
    blocked = []

    def patch(request, action, update, is_draft=False):
        blocked.append(signal.SIGTERM in signal.pthread_sigmask(signal.SIG_BLOCK, []))
        if len(fake.requests_for("PATCH")) == 10:
            os.kill(os.getpid(), signal.SIGTERM)
        return original(request, action, update, is_draft)

    fake._patch = patch
    with watch.catching_signals():
        results = plan.apply(client, parallel=4, watch=watch)
    patches = len(fake.requests_for("PATCH"))
    assert watch.reason() == "it received SIGTERM"
    assert all(blocked)
    assert 11 <= patches <= 11 + 3 + 3  # the writes in flight, and the other workers past their check
    assert sum(r["status"] == "not_attempted" for r in results) == 40 - patches


def test_a_signal_taken_by_another_thread_runs_its_handler_while_the_main_thread_waits():
    """Where a helper thread takes the signal (it could not block it), the main thread waiting on it still wakes
    and runs the handler within WAKE_SECONDS, not when the helper is done."""
    handled = []
    previous = signal.signal(signal.SIGUSR1, lambda signum, frame: handled.append(time.monotonic()))
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            def helper():
                time.sleep(0.2)  # the main thread waits by now
                sent.append(time.monotonic())
                signal.pthread_kill(threading.get_ident(), signal.SIGUSR1)  # this thread takes it
                time.sleep(1.0)
                return "done"
            sent = []
            assert wait_settled(pool.submit(helper)) == "done"
            finished = time.monotonic()
    finally:
        signal.signal(signal.SIGUSR1, previous)
    # A plain future.result() runs the handler only when the helper is done, a second later.
    assert handled and handled[0] - sent[0] < 0.5 < finished - sent[0]


def test_a_read_only_client_gets_one_refused_patch_and_the_run_stops_naming_the_permission(make_client):
    fake = _org(30)
    fake.clients = {"cid": ("csecret", {"integrations:action:view"})}
    client = make_client(fake)
    plan = _plan(client, sorted(fake.actions))
    results = plan.apply(client, parallel=8)
    assert len(fake.requests_for("PATCH")) == 1  # the first update goes alone
    assert results[0]["status"] == "failed" and "integrations:action:edit" in results[0]["msg"]
    assert all(r["status"] == "not_attempted" and "not attempted, because a request was refused for want of a "
               "permission" in r["msg"] for r in results[1:])
    summary = timeout_results.stop_summary(plan, results)
    assert summary.startswith("Stopped at the first request refused for want of a permission")
    assert "integrations:action:edit" in summary and "29 update(s) not attempted" in summary


def test_a_permission_refused_later_stops_the_run_too(make_client):
    fake = _org(12)
    client = make_client(fake)
    plan = _plan(client, sorted(fake.actions))
    original = fake._patch

    def refuse_from_the_fourth(request, action, update, is_draft=False):
        if len(fake.requests_for("PATCH")) >= 4:  # the role was taken away from the client mid-run
            return fake._response(request, 403, {"message": "You must have at least one of the following permissions "
                                                            "assigned: [integrations:action:edit]",
                                                 "code": "missing.any.permissions", "status": 403})
        return original(request, action, update, is_draft)

    fake._patch = refuse_from_the_fourth
    results = plan.apply(client, parallel=1)
    assert [r["status"] for r in results] == ["updated"] * 3 + ["failed"] + ["not_attempted"] * 8
    assert len(fake.requests_for("PATCH")) == 4


def test_a_journal_that_cannot_be_written_stops_the_run(make_client, tmp_path):
    fake = _org(5)
    client = make_client(fake)
    plan = _plan(client, sorted(fake.actions))
    journal = _journal(tmp_path, plan)
    journal.broken = "the journal x could not be written (disk full)"
    results = plan.apply(client, parallel=2, journal=journal)
    assert fake.requests_for("PATCH") == []
    assert all("not attempted, because the journal x could not be written" in r["msg"] for r in results)


def test_every_patch_is_in_the_journal_before_it_is_sent_and_every_outcome_after(make_client, tmp_path):
    fake = _org(4)
    fake.add_fault("PATCH", ACTIONS, Fault(drop=True))  # one lost before processing: sent again after a read
    client = make_client(fake)
    plan = _plan(client, sorted(fake.actions))
    journal = _journal(tmp_path, plan)
    sent_at = []
    original = journal.sending

    def sending(action_id, version, timeout_seconds):
        original(action_id, version, timeout_seconds)
        sent_at.append(len(fake.requests_for("PATCH")))

    journal.sending = sending
    results = plan.apply(client, parallel=1, journal=journal)
    journal.end(results)
    assert sent_at == [0, 1, 2, 3, 4]  # recorded before the PATCH it announces reached the server
    records = [json.loads(line) for line in open(journal.path)]
    assert [(r.get("event"), r.get("id"), r.get("version")) for r in records[1:6]] == [
        ("sending", "custom_-_000", 1), ("sending", "custom_-_000", 1), ("outcome", "custom_-_000", None),
        ("sending", "custom_-_001", 2), ("outcome", "custom_-_001", None)]
    outcome = records[3]
    assert outcome["status"] == "updated" and outcome["timeout_seconds_before"] == 3 and outcome["version_after"] == 2
    assert records[-1]["event"] == "end" and records[-1]["counts"] == {"updated": 4}


# ---- defect 4: a lost answer plus a concurrent edit ---------------------------------------------------------------
def _lost_then_landed(fake, action_id, timeout):
    """Our first PATCH goes unanswered and is seen as not applied; it lands just before our second one (a slow
    server, or an edit to the same value), which then meets a version conflict."""
    fake.add_fault("PATCH", ACTIONS, Fault(drop=True))

    def land(request, action, update, is_draft=False, original=fake._patch):
        if len(fake.requests_for("PATCH")) == 2:
            fake.admin_edit(action_id, timeout=timeout)
        return original(request, action, update, is_draft)

    fake._patch = land


@pytest.mark.parametrize("by_rule", [False, True])
def test_an_unanswered_update_that_landed_late_is_updated_with_the_timeout_before_our_write(make_client, tmp_path,
                                                                                            by_rule):
    fake = _org(2)
    _lost_then_landed(fake, "custom_-_000", 10)
    client = make_client(fake)
    # A rule chooses actions at or below 3 s: once ours landed, the action is no longer "selected" by it.
    reselect = (lambda action: (da.timeout_of(action) <= 3, "timeout above 3 s")) if by_rule else None
    plan = _plan(client, ["custom_-_000"], reselect=reselect)
    journal = _journal(tmp_path, plan)
    results = plan.apply(client, parallel=1, journal=journal)
    result = results[0]
    assert result["status"] == "updated", result["msg"]
    assert result["timeout_seconds_before"] == 3 and result["version_before"] == 1
    assert result["timeout_seconds_after"] == 10 and result["version_after"] == fake.actions["custom_-_000"]["version"]
    assert "went unanswered" in result["msg"]
    assert timeout_results.diff_of(results) == {"prepared": "Action 000 (custom_-_000): timeout 3 s -> 10 s, version 1 -> 2\n"}
    outcome = read(journal.path).actions[0]["outcome"]
    assert outcome["timeout_seconds_before"] == 3 and outcome["status"] == "updated"


def test_once_a_read_shows_a_version_past_the_unanswered_update_before_is_what_our_next_write_replaces(make_client):
    fake = _org(2)
    _lost_then_landed(fake, "custom_-_000", 30)  # another admin set 30 meanwhile: our lost update can no longer land
    client = make_client(fake)
    results = _plan(client, ["custom_-_000"]).apply(client, parallel=1)
    assert results[0]["status"] == "updated" and results[0]["timeout_seconds_before"] == 30
    assert results[0]["version_before"] == 2
    assert fake.actions["custom_-_000"]["config"]["timeoutSeconds"] == 10


def test_a_conflict_whose_answer_was_lost_records_the_administrators_timeout_as_before(make_client):
    """Someone sets 4 just before our PATCH, which meets a conflict whose answer is lost; our next PATCH applies and
    its answer is lost too. The read after the first shows their version: our first update cannot land any more,
    so "before" is their 4, which a rollback puts back."""
    fake = _org(2)
    fake.before_patch["custom_-_000"] = lambda action: fake.admin_edit("custom_-_000", timeout=4)
    fake.add_fault("PATCH", ACTIONS, Fault(drop=True, after=True))
    fake.add_fault("PATCH", ACTIONS, Fault(drop=True, after=True))
    client = make_client(fake)
    results = _plan(client, ["custom_-_000"]).apply(client, parallel=1)
    assert results[0]["status"] == "updated" and results[0]["timeout_seconds_before"] == 4, results[0]["msg"]
    assert fake.actions["custom_-_000"]["config"]["timeoutSeconds"] == 10


def test_a_stop_between_a_conflict_and_its_retry_sends_nothing_more(make_client):
    fake = _org(2)
    watch = ControllerWatch()

    def edit_and_stop(action):
        fake.admin_edit("custom_-_000", name="Edited")
        watch.stop("it received SIGTERM")

    fake.before_patch["custom_-_000"] = edit_and_stop
    client = make_client(fake)
    results = _plan(client, ["custom_-_000"]).apply(client, parallel=1, watch=watch)
    assert len(fake.requests_for("PATCH")) == 1
    assert results[0]["status"] == "failed" and "not sent again, because it received SIGTERM" in results[0]["msg"]


# ---- undoing a write whose outcome is unknown ---------------------------------------------------------------------
@pytest.mark.parametrize("timeout,version,expected", [
    (10, 5, "update"),    # our write shows: undo it
    (3, 4, "unchanged"),  # never applied: already as wanted
    (30, 6, "drifted"),   # changed since by someone else: left alone
    (10, 4, "drifted"),   # our timeout, but not at a newer version: not our write's doing
])
def test_an_unconfirmed_write_is_undone_only_where_it_shows(timeout, version, expected):
    action = make_action("A", timeout=timeout, version=version)
    status, msg = timeout_plan.decide(action, 3, unconfirmed=timeout_requests.UnconfirmedWrite(10, 4), on_drift="skip")
    assert status == expected, msg
    if expected == "drifted":
        assert "sent 10 s at version 4" in msg and "skipped" in msg


def test_an_unconfirmed_removal_is_recognised():
    unset = make_action("A", timeout=None, version=9)
    assert timeout_plan.decide(unset, 5, unconfirmed=timeout_requests.UnconfirmedWrite(None, 8))[0] == "update"
    assert timeout_plan.decide(make_action("A", timeout=7, version=9), 5, unconfirmed=timeout_requests.UnconfirmedWrite(None, 8))[0] == "drifted"


def test_actions_entries_take_an_unconfirmed_write():
    wanted = timeout_requests.timeout_requests({"actions": [{"id": "custom_-_a", "timeout_seconds": 3,
                                                             "unconfirmed_write": {"timeout_seconds": 10, "version": 4}}],
                                                "mode": "exact"})
    assert wanted[0].unconfirmed == timeout_requests.UnconfirmedWrite(10, 4) and wanted[0].version is None
    for bad, problem in (({"timeout_seconds": 10}, "version must be an integer"),
                         ({"timeout_seconds": 99, "version": 1}, "1 to 60"), ("x", "dictionary")):
        with pytest.raises(errors.InvalidInputError, match=problem):
            timeout_requests.timeout_requests({"actions": [{"id": "custom_-_a", "timeout_seconds": 3, "unconfirmed_write": bad}],
                                               "mode": "exact"})


def test_a_write_whose_answer_and_settling_read_are_lost_is_unknown_and_undone_only_where_it_shows(make_client,
                                                                                                   tmp_path):
    from ansible_collections.genesyscloud.cx.plugins.filter.timeout_report import timeout_report
    from ansible_collections.genesyscloud.cx.plugins.plugin_utils._plans import timeout_plan, timeout_plan_actions
    fake = _org(3)
    client = make_client(fake)
    plan = _plan(client, sorted(fake.actions))
    # The first action's PATCH is applied and its answer lost; every read that would settle it is lost too.
    fake.add_fault("PATCH", ACTIONS + "/custom_-_000", Fault(drop=True, after=True))
    for dummy in range(30):
        fake.add_fault("GET", ACTIONS + "/custom_-_000", Fault(drop=True))
    journal = _journal(tmp_path, plan)
    results = plan.apply(client, parallel=1, journal=journal)
    journal.end(results, plan.stopped())
    first = results[0]
    assert [r["status"] for r in results] == ["unknown", "updated", "updated"]
    assert first["msg"].startswith("sent (timeout 10 s with version 1), and its outcome is unknown")
    assert first["unconfirmed_write"] == {"timeout_seconds": 10, "version": 1}
    assert first["timeout_seconds_after"] == 3  # as read: nothing confirmed
    assert len(fake.requests_for("PATCH")) == 3  # never sent blindly again
    assert fake.actions["custom_-_000"]["config"]["timeoutSeconds"] == 10  # it did land
    # Neither changed nor failed; the run fails, saying so.
    assert "1 sent with an unknown outcome (custom_-_000: sent" in timeout_results.failure_summary(results, "fail")
    # The journal leaves it unsettled: a rollback from it undoes the write only where it shows.
    state = read(journal.path)
    assert [a["id"] for a in state.unknown()] == ["custom_-_000"]
    # The report counts it apart, and every rollback made from the report or its compact plan treats it alike.
    report = timeout_report(results, org="org", mode="remediate", run_id="r")
    assert report["summary"]["by_status"]["unknown"] == 1 and report["summary"]["changed"] == 2
    assert report["rows"][0]["unconfirmed_write"] == {"timeout_seconds": 10, "version": 1}
    for source in (report, timeout_plan(report)):
        actions = dict((a["id"], a) for a in timeout_plan_actions(source, "rollback"))
        assert actions["custom_-_000"] == {"id": "custom_-_000", "timeout_seconds": 3, "version": None,
                                           "unconfirmed_write": {"timeout_seconds": 10, "version": 1}}
        assert actions["custom_-_001"]["version"] == 3 and actions["custom_-_001"]["timeout_seconds"] == 3
    from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_html import timeout_report_html
    from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_markdown import timeout_report_markdown
    attention = timeout_report_html(report).split("Needs attention", 1)[1]
    assert "custom_-_000" in attention and "outcome unknown" in attention
    assert "| outcome unknown |" in timeout_report_markdown(report)
