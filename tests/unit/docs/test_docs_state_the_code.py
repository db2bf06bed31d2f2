# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the developer docs and the READMEs state about the code is the code's: the reports' schema version, and
links that stay inside the repository and lead somewhere."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import re

import pytest

from ansible_collections.genesyscloud.cx.plugins.filter.timeout_report import FilterModule

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
DOCS = ("README.md", os.path.join("docs", "dev", "contracts.md"), os.path.join("roles", "data_action_timeouts", "README.md"),
        os.path.join("roles", "data_action_timeouts", "REPORTS.md"), os.path.join("playbooks", "README.md"),
        os.path.join("tests", "bench", "README.md"), os.path.join("docs", "benchmarks.md"))


def _text(path):
    with open(os.path.join(ROOT, path)) as handle:
        return handle.read()


def _schema_version():
    """The schema version of the report the code writes (whichever file builds it)."""
    return FilterModule().filters()["timeout_report"]([], org="org")["schema_version"]


def test_the_docs_give_the_schema_version_the_code_writes():
    version = _schema_version()
    contracts = _text(os.path.join("docs", "dev", "contracts.md"))
    assert re.findall(r"`schema_version: (\d+)`", contracts) == [str(version)]
    reports = _text(os.path.join("roles", "data_action_timeouts", "REPORTS.md"))
    assert "## JSON schema (`schema_version: %d`)" % version in reports
    assert "(schema version %d)" % version in _text(os.path.join("plugins", "filter", "timeout_report.yml"))


@pytest.mark.parametrize("path", DOCS)
def test_links_stay_in_the_repository_and_lead_somewhere(path):
    if not os.path.exists(os.path.join(ROOT, path)):
        pytest.fail("%s is gone: update DOCS here" % path)
    text = _text(path)
    assert "/work/" not in text and "../shared/" not in text, "%s points outside the repository" % path
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
        if re.match(r"^[a-z]+:", target):
            continue
        resolved = os.path.normpath(os.path.join(ROOT, os.path.dirname(path), target))
        assert resolved.startswith(ROOT + os.sep), "%s links outside the repository: %s" % (path, target)
        assert os.path.exists(resolved), "%s links to %s, which does not exist" % (path, target)


def _words(path):
    return " ".join(_text(path).split())


def test_the_docs_say_whether_timeout_org_run_takes_async():
    from ansible_collections.genesyscloud.cx.plugins.action.timeout_org_run import ActionModule
    from ansible_collections.genesyscloud.cx.plugins.modules import timeout_org_run
    refused = not ActionModule._supports_async
    assert ("ansible-core refuses C(async) on this action" in " ".join(timeout_org_run.DOCUMENTATION.split())) == refused
    assert ("`async` is refused on this task" in _words(os.path.join("roles", "data_action_timeouts", "README.md"))) \
        == refused


def test_the_role_does_not_call_oauth_token_as_the_readme_says():
    for name in os.listdir(os.path.join(ROOT, "roles", "data_action_timeouts", "tasks")):
        assert "oauth_token" not in _text(os.path.join("roles", "data_action_timeouts", "tasks", name))
    assert "the role does not call it" in _words("README.md")
