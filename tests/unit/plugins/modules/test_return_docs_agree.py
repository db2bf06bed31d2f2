# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""data_action_info and data_action_timeout document what they both return the same way.

ansible-core merges doc fragments into DOCUMENTATION only (ansible/utils/plugin_docs.py, add_fragments), so the
two modules' RETURN blocks each spell out what they share; this test keeps one from drifting from the other. It
compares only what means the same thing in both: the run's rate_limit, and in the per-action lists (info's
data_actions, timeout's results) the action's own fields and its flows. Entries of the same name that each
module words for its own purpose (kind, stats, verdict...) must still agree on their type and, for stats, on
the fields they hold.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re

import pytest
import yaml

from ansible_collections.genesyscloud.cx.plugins.modules import data_action_info, data_action_timeout

# Per action, word for word: the action as listed, and the flows that call it (the same reads, by the same code).
SAME_PER_ACTION = ("id", "name", "category", "flows", "flows_unknown")


def _returns():
    info, timeout = yaml.safe_load(data_action_info.RETURN), yaml.safe_load(data_action_timeout.RETURN)
    return info, timeout, info["data_actions"]["contains"], timeout["results"]["contains"]


def test_the_rate_limit_is_documented_the_same_in_both():
    info, timeout, dummy, dummy = _returns()
    assert info["rate_limit"] == timeout["rate_limit"]


@pytest.mark.parametrize("name", SAME_PER_ACTION)
def test_each_actions_own_fields_and_its_flows_are_documented_the_same_in_both(name):
    dummy, dummy, listed, results = _returns()
    assert listed[name] == results[name], "data_action_info's data_actions[].%s and data_action_timeout's " \
        "results[].%s differ" % (name, name)


def test_the_per_action_entries_both_return_agree_on_their_type():
    dummy, dummy, listed, results = _returns()
    shared = sorted(set(listed) & set(results))
    assert set(SAME_PER_ACTION) <= set(shared)
    assert dict((name, listed[name]["type"]) for name in shared) == dict((name, results[name]["type"]) for name in shared)


def test_the_stats_hold_the_same_fields_of_the_same_types_in_both():
    dummy, dummy, listed, results = _returns()
    fields = [dict((name, entry["type"]) for name, entry in stats["contains"].items())
              for stats in (listed["stats"], results["stats"])]
    assert fields[0] == fields[1] and "p99_ms" in fields[0]


def _values(entry):
    """The values an entry's description names (V(...)), V(null) aside."""
    description = entry["description"]
    text = description if isinstance(description, str) else " ".join(description)
    return set(re.findall(r"V\(([a-z_]+)\)", text)) - set(["null"])


@pytest.mark.parametrize("name", ["kind", "verdict"])
def test_an_entry_worded_for_each_module_names_the_same_values_in_both(name):
    dummy, dummy, listed, results = _returns()
    assert len(_values(listed[name])) >= 3 and _values(listed[name]) == _values(results[name])
