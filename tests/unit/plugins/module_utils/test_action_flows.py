# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How a result carries the flows that call its action, and how a line and a report's summary say them."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.genesyscloud.cx.plugins.module_utils._action_flows import (
    NO_PUBLISHED_CALLER,
    flows_phrase,
    flows_touched,
    with_flows,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils._dependencies import ConsumingFlows
from ansible_collections.genesyscloud.cx.plugins.plugin_utils import _reports


def _flow(flow_id, name, version="3.0", state="published", flow_type="INBOUNDCALLFLOW"):
    return {"id": flow_id, "name": name, "type": flow_type, "version": version, "state": state, "state_unknown": False}


CONSUMING = ConsumingFlows(
    flows={"a": [_flow("f1", "Main IVR", "12.0"), _flow("f2", "Web Chat", flow_type="INBOUNDCHATFLOW")],
           "b": [_flow("f1", "Main IVR", "12.0"), _flow("f3", "Callback", "2.0", state="checked_in")],
           "c": [], "d": None},
    reasons={"d": "dependency tracking is rebuilding"})


def test_each_asked_result_gets_its_flows_or_why_they_are_unknown():
    a = with_flows({"id": "a"}, CONSUMING, {"a", "d"})
    assert [f["name"] for f in a["flows"]] == ["Main IVR", "Web Chat"] and a["flows_unknown"] is None
    assert set(a["flows"][0]) == {"id", "name", "type", "version", "state"}
    d = with_flows({"id": "d"}, CONSUMING, {"a", "d"})
    assert d["flows"] is None and d["flows_unknown"] == "dependency tracking is rebuilding"
    not_asked = with_flows({"id": "b"}, CONSUMING, {"a", "d"})
    assert not_asked["flows"] is None and not_asked["flows_unknown"] is None


def test_a_line_names_the_published_callers_and_marks_an_action_none_calls():
    asked = {"a", "b", "c", "d"}
    assert flows_phrase(with_flows({"id": "a"}, CONSUMING, asked)) == (
        "called by 2 flows: Main IVR (INBOUNDCALLFLOW v12.0), Web Chat (INBOUNDCHATFLOW v3.0)")
    assert flows_phrase(with_flows({"id": "b"}, CONSUMING, asked)) == (
        "called by 1 flow: Main IVR (INBOUNDCALLFLOW v12.0) (1 checked-in version not published)")
    assert flows_phrase(with_flows({"id": "c"}, CONSUMING, asked)) == NO_PUBLISHED_CALLER
    assert flows_phrase(with_flows({"id": "d"}, CONSUMING, asked)) == "flows unknown (dependency tracking is rebuilding)"
    assert flows_phrase({"id": "e"}) is None


def test_the_flows_a_change_touches_are_counted_once_each_and_unknown_actions_apart():
    touched = flows_touched(CONSUMING, ["a", "b", "c", "d"])
    assert touched["count"] == 2 and [f["id"] for f in touched["flows"]] == ["f1", "f2"]
    assert touched["unknown_actions"] == 1
    assert flows_touched(None, ["a"]) is None


def test_the_report_summary_counts_the_planned_rows_only():
    def row(action_id, status):
        return with_flows({"id": action_id, "status": status}, CONSUMING, {"a", "b", "c", "d"})
    rows = [row("a", "unchanged"), row("b", "would_update"), row("c", "would_update"), row("d", "not_attempted")]
    summary = _reports.flows_touched(rows)
    assert summary["count"] == 1 and summary["flows"][0]["name"] == "Main IVR" and summary["unknown_actions"] == 1
    assert _reports.flows_touched([{"id": "x", "status": "would_update", "flows": None, "flows_unknown": None}]) is None
