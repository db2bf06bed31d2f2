# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A real run's HTML report, as the role wrote it, opened in headless Chromium.

Three emulated orgs; an approved plan of which one action drifted before it was applied. The
numbers the page must show are counted here from the emulator's state.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os

from tests.emulator.harness import Emulator
from tests.integration.chromium import artifacts_dir, render_in_chromium
from tests.integration.test_role_data_action_timeouts import ORGS, SEED, THRESHOLD, all_actions, inventory, low_actions


def test_the_run_report_page_shows_what_the_run_did(run_playbook, tmp_path):
    report_dir = str(tmp_path / "reports")
    with Emulator(args=["--random-seed", "11"], seed=SEED) as emu:
        before = all_actions(emu)
        common = {"data_action_timeouts_report_dir": report_dir, "data_action_timeouts_max_changes": 100}
        run_playbook("genesyscloud.cx.audit", inventory=inventory(emu),
                     extra_vars=dict(common, data_action_timeouts_run_id="plan"))
        drifted_id = sorted(low_actions(before["prod-eu"]))[0]
        emu.admin_edit(org="prod-eu", action_id=drifted_id, name="Renamed after approval")
        run_playbook("genesyscloud.cx.remediate", inventory=inventory(emu),
                     extra_vars=dict(common, data_action_timeouts_run_id="apply",
                                     data_action_timeouts_plan=os.path.join(report_dir, "plan", "run.json")))
        after = all_actions(emu)

    # Every action of the org is in the report, custom-auth ones too (not applicable).
    seen = dict((org, list(before[org])) for org in ORGS)
    at_risk = dict((org, low_actions(before[org])) for org in ORGS)
    changed = dict((org, [i for i in before[org] if after[org][i] != before[org][i] and i != drifted_id])
                   for org in ORGS)
    assert sum(len(ids) for ids in changed.values()) == sum(len(ids) for ids in at_risk.values()) - 1

    text = render_in_chromium(os.path.join(report_dir, "apply", "run.html"),
                              os.path.join(artifacts_dir(), "role-run.png"))

    assert "%d Orgs" % len(ORGS) in text
    assert "%d Actions seen" % sum(len(ids) for ids in seen.values()) in text
    assert "%d Low" % sum(len(ids) for ids in at_risk.values()) in text
    assert "%d Changed" % sum(len(ids) for ids in changed.values()) in text
    assert "1 Drifted" in text and "0 Failed" in text
    for org in ORGS:
        section = text.split("Org %s " % org, 1)[1]
        headline = "%d Actions seen %d Low (effective timeout \u2264 %d s) %d Changed %d Drifted 0 Failed" % (
            len(seen[org]), len(at_risk[org]), THRESHOLD, len(changed[org]), 1 if org == "prod-eu" else 0)
        assert headline in section[:400], section[:400]
    # The drifted action is listed by name with its status.
    assert "Renamed after approval" in text.split("Org prod-eu ", 1)[1]
    with open(os.path.join(report_dir, "apply", "run.json")) as handle:
        assert json.load(handle)["totals"]["orgs_with_drift"] == 1
    # Every action's row is in each org's own page, which the run page links to; the hand-over files are gone.
    with open(os.path.join(report_dir, "apply", "run.html")) as handle:
        page = handle.read()
    assert '<table class="all">' not in page
    for org in ORGS:
        assert 'href="%s.html"' % org in page
        with open(os.path.join(report_dir, "apply", "%s.html" % org)) as handle:
            assert handle.read().count('<td class="action">') >= len(seen[org])
    assert not [name for name in os.listdir(os.path.join(report_dir, "apply")) if name.endswith(".results.json")]
