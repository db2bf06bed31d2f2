# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The README's table of what a run costs in API requests is what data_action_timeout sends.

The role's call of the module (its arguments built by _role_run.module_args_of from the role's defaults) runs
against the in-memory API; each request it sends is counted by route and compared with the README's row for that
route, its expression evaluated for the org's N, D, C and T. A route the README does not name fails the test.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import collections
import math
import os
import re

import yaml

from ansible_collections.genesyscloud.cx.plugins.modules import data_action_timeout
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._role_run import module_args_of
from tests.unit.plugins.fake_api import FakeGenesysCloud, make_action

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
# A request's path as the README names it: ids and file names become the placeholders the API reference uses.
ROUTES = (
    (r"^/api/v2/integrations/actions/[^/]+/templates/[^/]+$", "/api/v2/integrations/actions/{actionId}/templates/{fileName}"),
    (r"^/api/v2/integrations/actions/(?!drafts$)[^/]+/function$", "/api/v2/integrations/actions/{actionId}/function"),
    (r"^/api/v2/integrations/actions/(?!drafts$)[^/]+/test$", "/api/v2/integrations/actions/{actionId}/test"),
    (r"^/api/v2/integrations/actions/(?!drafts$)[^/]+$", "/api/v2/integrations/actions/{actionId}"),
    (r"^/api/v2/integrations/(?!actions$)[^/]+$", "/api/v2/integrations/{integrationId}"),
)


def _cost_table():
    """The README's rows: route -> the expression of its 'how many' cell (None where it is words)."""
    with open(os.path.join(ROOT, "README.md")) as handle:
        text = handle.read()
    table = text.split("### What a run costs in API requests\n", 1)[1].split("\n| request |", 1)[1].split("\n\n", 1)[0]
    rows = {}
    for line in table.splitlines()[2:]:
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        assert len(cells) == 3, line
        quoted = re.match(r"^`([^`]+)`$", cells[1])
        for route in re.findall(r"`([A-Z]+ /[^`]+)`", cells[0]):
            rows[route] = (quoted.group(1) if quoted else None, cells[2])
    return rows


def _route(entry):
    path = entry["path"]
    for pattern, name in ROUTES:
        if re.match(pattern, path):
            path = name
            break
    return "%s %s" % (entry["method"], path)


def _role_settings():
    """The role's variables at their defaults, without the prefix, as its task hands them to timeout_org_run."""
    with open(os.path.join(ROOT, "roles", "data_action_timeouts", "defaults", "main.yml")) as handle:
        defaults = yaml.safe_load(handle)
    return dict((name[len("data_action_timeouts_"):], value) for name, value in defaults.items())


def _org(actions=230, low=12, by_uri=3, drafts=130):
    """An org of ``actions`` actions, ``low`` of them at 2 s (below the threshold), the first ``by_uri`` of those
    listed with their templates by URI only, and ``drafts`` pending drafts that hold their action's timeout."""
    fake = FakeGenesysCloud(actions=[make_action("Action %03d" % number, timeout=2 if number < low else 30)
                                     for number in range(actions)])
    ids = [action_id for action_id, dummy in sorted(fake.actions.items(), key=lambda item: item[1]["name"])]
    fake.templates_by_uri.update(ids[:by_uri])
    for action_id in ids[-drafts:] if drafts else []:
        fake.add_draft(action_id)
    return fake, ids


def _uri_templates(fake, action_ids):
    """How many templates the listing names by URI only, among ``action_ids``."""
    return sum(len([field for section in ("request", "response") for field in (fake._view(fake.actions[i], True)[
        "config"].get(section) or {}) if field.endswith("TemplateUri")]) for i in action_ids)


def _assert_counts_as_the_readme_says(fake, counts, applies):
    table = _cost_table()
    sent = collections.Counter(_route(entry) for entry in fake.log)
    assert set(sent) <= set(table), "requests the README's table does not name: %s" % sorted(set(sent) - set(table))
    for route, (expression, when) in table.items():
        if route in applies:
            expected = eval(expression, {"__builtins__": {}}, dict(counts, ceil=math.ceil, max=max))
            assert sent[route] == expected, (route, expression, counts, sent[route])
        else:
            assert sent[route] == 0, (route, when)


def test_the_roles_call_sends_what_the_readme_table_says(run_module, tmp_path):
    fake, ids = _org()
    settings = _role_settings()
    settings.update(mode="remediate", use_stats=True)
    args = module_args_of(settings, "org", False, str(tmp_path), "run1")
    failed, result, dummy = run_module(data_action_timeout, args, fake)
    assert not failed, result.get("msg")
    changed = [r["id"] for r in result["results"] if r["status"] == "updated"]
    assert len(changed) == 12
    counts = {"N": 230, "D": 130, "C": len(changed), "T": _uri_templates(fake, changed), "I": 1, "F": 0}
    assert counts["T"] == 6
    _assert_counts_as_the_readme_says(fake, counts, applies=(
        "POST /oauth/token", "GET /api/v2/integrations/actions", "GET /api/v2/integrations/actions/drafts",
        "POST /api/v2/analytics/actions/aggregates/query",
        "GET /api/v2/integrations/actions/{actionId}/templates/{fileName}",
        "PATCH /api/v2/integrations/actions/{actionId}",
        # The role's default dependencies: planned. The fake serves no dependency tracking (its build read fails,
        # so no consumingresources read follows); tests/integration/test_flows.py counts those against the emulator.
        "GET /api/v2/architect/dependencytracking/build"))


def test_function_timeouts_read_each_integration_and_function_once(run_module, tmp_path):
    fake, ids = _org(actions=120, low=0, by_uri=0, drafts=0)
    for number in range(4):
        fake.add_function_action(make_action("Function %d" % number, timeout=30))
    settings = _role_settings()
    settings.update(mode="audit", function_timeouts=True)
    args = module_args_of(settings, "org", True, str(tmp_path), "run1")
    failed, result, dummy = run_module(data_action_timeout, args, fake, check_mode=True)
    assert not failed, result.get("msg")
    counts = {"N": 124, "D": 0, "C": 0, "T": 0, "I": 2, "F": 4}
    _assert_counts_as_the_readme_says(fake, counts, applies=(
        "POST /oauth/token", "GET /api/v2/integrations/actions", "GET /api/v2/integrations/actions/drafts",
        "GET /api/v2/integrations/{integrationId}", "GET /api/v2/integrations/actions/{actionId}/function"))


def test_a_call_with_at_most_50_ids_lists_once_and_patches_nothing_in_check_mode(run_module):
    fake, ids = _org(low=5, drafts=130)
    failed, result, dummy = run_module(data_action_timeout, {"ids": ids[:5], "timeout_seconds": 10}, fake,
                                       check_mode=True)
    assert not failed, result.get("msg")
    assert [r["status"] for r in result["results"]] == ["would_update"] * 5
    table = _cost_table()
    for route in ("GET /api/v2/integrations/actions", "GET /api/v2/integrations/actions/drafts"):
        assert "`1` when given at most 50 ids" in table[route][1]
    assert "not in check mode" in table["PATCH /api/v2/integrations/actions/{actionId}"][1]
    sent = collections.Counter(_route(entry) for entry in fake.log)
    assert sent == {"POST /oauth/token": 1, "GET /api/v2/integrations/actions": 1,
                    "GET /api/v2/integrations/actions/drafts": 1}
