# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role's settings are declared once, in meta/argument_specs.yml; every other place that names them agrees.

Those places: defaults/main.yml, the variable table of the role's README, the settings dict of tasks/main.yml,
SETTINGS of the timeout_org_run action, the documentation of the docs-only module timeout_org_run, and the keys
plugins/plugin_utils/_role_run.py reads. Names, defaults and choices are compared; numbers the docs quote from the
modules' defaults are compared with those defaults.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import re

import yaml

from ansible_collections.genesyscloud.cx.plugins.action import timeout_org_run as org_run_action
from ansible_collections.genesyscloud.cx.plugins.doc_fragments.connection import ModuleDocFragment as Connection
from ansible_collections.genesyscloud.cx.plugins.doc_fragments.execution_stats import ModuleDocFragment as Stats
from ansible_collections.genesyscloud.cx.plugins.modules import data_action_timeout as update_module
from ansible_collections.genesyscloud.cx.plugins.modules import timeout_org_run as org_run_docs

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
ROLE = os.path.join(ROOT, "roles", "data_action_timeouts")
PREFIX = "data_action_timeouts_"
# Role variables that are not settings of the org's run: the tasks use them themselves (the run folder, the
# report formats), or only the playbooks do (serial).
TASK_VARIABLES = ("report_dir", "run_id", "report_formats")
PLAYBOOK_VARIABLES = ("serial",)
# Settings the role's task adds that are not role variables: the playbooks' own mode (a guard against -e mode=...).
INTERNAL_SETTINGS = ("playbook_mode",)
# ansible-core's role argument validation does not convert text from the command line (-e x=5) for these:
# the action takes them raw and settings_problems() checks them.
RAW_IN_THE_ACTION = ("threshold", "max_changes", "function_timeout_seconds")
# The role's "" (what -e data_action_timeouts_plan= gives) and the action's null both mean "none given": the action
# reads either as falsy (plan_input_of); test_an_empty_plan_is_no_plan keeps that so.
EMPTY_MEANS_UNSET = ("plan", "rollback_report")


def _text(*parts):
    with open(os.path.join(ROOT, *parts)) as handle:
        return handle.read()


def _spec():
    return yaml.safe_load(_text("roles", "data_action_timeouts", "meta", "argument_specs.yml"))[
        "argument_specs"]["main"]["options"]


def _settings_spec():
    """argument_specs.yml's options that are settings of the org's run, by setting name."""
    return dict((name[len(PREFIX):], option) for name, option in _spec().items()
                if name[len(PREFIX):] not in TASK_VARIABLES + PLAYBOOK_VARIABLES)


def _module_defaults():
    """The defaults the role leaves to the module when its variable is null."""
    stats = yaml.safe_load(Stats.DOCUMENTATION)["options"]
    update = yaml.safe_load(update_module.DOCUMENTATION)["options"]
    found = dict((name, stats[name]["default"]) for name in ("stats_days", "headroom", "min_executions",
                                                             "at_risk_share"))
    found["parallel"] = update["parallel"]["default"]
    return found


def _org_run_task():
    """The arguments of the role's one timeout_org_run task."""
    def tasks_in(tasks):
        for task in tasks:
            yield task
            for section in ("block", "rescue", "always"):
                yield from tasks_in(task.get(section) or [])
    tasks = yaml.safe_load(_text("roles", "data_action_timeouts", "tasks", "main.yml"))
    found = [task for task in tasks_in(tasks) if "genesyscloud.cx.timeout_org_run" in task]
    assert len(found) == 1, "tasks/main.yml should call genesyscloud.cx.timeout_org_run once"
    return found[0]["genesyscloud.cx.timeout_org_run"]


def _org_run_task_settings():
    """The ('key', variable) pairs of the settings dict that tasks/main.yml hands timeout_org_run."""
    expression = _org_run_task()["settings"]
    pairs = re.findall(r"'(\w+)': (\w+)", expression)
    assert len(pairs) == len(re.findall(r"'(\w+)':", expression)), "a setting the pattern did not read: %s" % expression
    return pairs


def _readme_rows():
    """The role README's variable table: variable name -> (default cell, meaning cell)."""
    text = _text("roles", "data_action_timeouts", "README.md")
    table = text.split("\n## Variables\n", 1)[1].split("\n\n", 1)[0]
    rows = {}
    for line in table.splitlines()[2:]:
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        assert len(cells) == 3, "a row of the variable table that is not name | default | meaning: %s" % line
        names = re.findall(r"`(\w+)`", cells[0])
        for name in names:
            full = PREFIX + name[1:] if name.startswith("_") else name
            assert full not in rows, "%s is in the variable table twice" % full
            rows[full] = (cells[1], cells[2])
    return rows


def test_defaults_main_sets_every_variable_to_the_spec_default():
    spec = _spec()
    defaults = yaml.safe_load(_text("roles", "data_action_timeouts", "defaults", "main.yml"))
    expected = set(spec) - set(PREFIX + name for name in PLAYBOOK_VARIABLES)
    assert set(defaults) == expected
    for name, value in defaults.items():
        assert value == spec[name].get("default"), name


def test_the_readme_table_names_every_variable_with_its_default_and_choices():
    spec = _spec()
    rows = _readme_rows()
    assert set(rows) == set(spec)
    for name, (default_cell, meaning) in rows.items():
        option = spec[name]
        quoted = re.match(r"`([^`]*)`", default_cell)
        if quoted:
            assert yaml.safe_load(quoted.group(1)) == option.get("default"), name
        else:
            # Words ("module default", "all orgs at once") only for a variable without a default.
            assert option.get("default") is None, name
        shown = yaml.safe_load(quoted.group(1)) if quoted else None
        for choice in option.get("choices") or []:
            assert "`%s`" % choice in default_cell + meaning or choice in (shown or []), (name, choice)


def test_the_module_defaults_the_docs_quote_are_the_modules():
    module = _module_defaults()
    rows = _readme_rows()
    stats_row = rows[PREFIX + "stats_days"][0]
    assert "(%s, %s, %s, %s)" % tuple("%g" % module[key] for key in (
        "stats_days", "headroom", "min_executions", "at_risk_share")) in stats_row
    assert "the module's default, %d" % module["parallel"] in rows[PREFIX + "parallel"][0]
    spec = _spec()
    for key, value in module.items():
        description = spec[PREFIX + key]["description"]
        description = description if isinstance(description, str) else " ".join(description)
        quoted = re.search(r"Unset[^.]*? keeps [^0-9]*([0-9.]+)", description)
        assert quoted, "%s does not say which default the module keeps" % key
        assert float(quoted.group(1).rstrip(".")) == value, key
    defaults_text = " ".join(_text("roles", "data_action_timeouts", "defaults", "main.yml").replace("#", " ").split())
    assert "(%d days, headroom %g, %d executions, at-risk share %g;" % (
        module["stats_days"], module["headroom"], module["min_executions"], module["at_risk_share"]) in defaults_text
    assert "the module's default, %d" % module["parallel"] in defaults_text


def test_the_role_task_hands_every_setting_under_its_own_name():
    pairs = _org_run_task_settings()
    for key, variable in pairs:
        assert variable == PREFIX + key or key in INTERNAL_SETTINGS, (key, variable)
    keys = [key for key, dummy in pairs]
    assert len(keys) == len(set(keys))
    assert set(keys) == set(_settings_spec()) | set(INTERNAL_SETTINGS)
    tasks_text = _text("roles", "data_action_timeouts", "tasks", "main.yml")
    for name in TASK_VARIABLES:
        assert PREFIX + name in tasks_text, name
    playbooks = "".join(_text("playbooks", name) for name in sorted(os.listdir(os.path.join(ROOT, "playbooks")))
                        if name.endswith(".yml"))
    for name in PLAYBOOK_VARIABLES:
        assert PREFIX + name in playbooks, name


def test_the_action_settings_match_the_spec():
    settings = org_run_action.SETTINGS
    spec = _settings_spec()
    assert set(settings) == set(spec) | set(INTERNAL_SETTINGS)
    for key, option in spec.items():
        declared = settings[key]
        # The mode is required there instead: the role always hands it over, its default included.
        if key in EMPTY_MEANS_UNSET:
            assert (declared.get("default"), option.get("default")) in ((None, ""), ("", ""), (None, None)), key
        else:
            assert declared.get("default") == option.get("default") or declared.get("required"), key
        assert declared.get("choices") == option.get("choices"), key
        assert declared.get("elements") == option.get("elements"), key
        if declared["type"] != option["type"]:
            assert declared["type"] == "raw" and key in RAW_IN_THE_ACTION, (key, declared["type"], option["type"])
    # The mode has a default in the role, so the action gets it always: required there.
    assert settings["mode"].get("required") is True


def test_the_docs_only_module_documents_the_action_spec():
    documented = yaml.safe_load(org_run_docs.DOCUMENTATION)["options"]
    suboptions = documented["settings"]["suboptions"]
    assert set(suboptions) == set(org_run_action.SETTINGS)
    for key, declared in org_run_action.SETTINGS.items():
        option = suboptions[key]
        for field in ("type", "default", "choices", "elements"):
            assert option.get(field) == declared.get(field), (key, field)
        assert bool(option.get("required")) == bool(declared.get("required")), key
    connection = yaml.safe_load(Connection.DOCUMENTATION)["options"]
    assert set(org_run_action.CONNECTION) == set(connection)
    valid = org_run_action.ActionModule._VALID_ARGS
    assert set(valid) == set(documented) | set(connection)


def test_role_run_reads_only_settings_the_action_declares():
    source = _text("plugins", "plugin_utils", "_role_run.py")
    read = set(re.findall(r"settings\.get\(\"(\w+)\"", source)) | set(re.findall(r"settings\[\"(\w+)\"\]", source))
    assert read, "no setting read in _role_run.py: the pattern is out of date"
    assert read <= set(org_run_action.SETTINGS), read - set(org_run_action.SETTINGS)
    # And every declared setting is used there (some through a loop over their names) or in the action itself.
    action_source = _text("plugins", "action", "timeout_org_run.py")
    for key in org_run_action.SETTINGS:
        assert key in read or '"%s"' % key in source or re.search(
            r"settings\[\"%s\"\]|settings\.get\(\"%s\"" % (key, key), action_source), key


def test_the_parallel_null_and_zero_reach_the_module_as_the_docs_say():
    """null keeps the module's default (the key is left out); 0 is a value the module refuses, not 'unset'."""
    from ansible_collections.genesyscloud.cx.plugins.plugin_utils._role_run import module_args_of
    settings = dict((key, option.get("default")) for key, option in _settings_spec().items())
    settings["mode"] = "remediate"
    assert "parallel" not in module_args_of(settings, "org", True, "/r/run", "run")
    settings["parallel"] = 0
    assert module_args_of(settings, "org", True, "/r/run", "run")["parallel"] == 0


def test_an_empty_plan_is_no_plan():
    from ansible_collections.genesyscloud.cx.plugins.plugin_utils._role_run import module_args_of, plan_input_of
    for given in ("", None):
        settings = {"mode": "remediate", "plan": given, "rollback_report": given, "threshold": 3, "target": 10}
        assert not plan_input_of(settings)
        assert "actions" not in module_args_of(settings, "org", True, "/r/run", "run")


def test_the_connection_options_and_host_variables_are_named_alike_everywhere():
    connection = set(yaml.safe_load(Connection.DOCUMENTATION)["options"])
    readme = " ".join(_text("README.md").split())
    listed = readme.split("Every module takes the same connection options (", 1)[1].split(")", 1)[0]
    assert set(re.findall(r"`(\w+)`", listed)) == connection
    assert set(org_run_action.CONNECTION) == connection
    # The role hands each option from the host variable of the same name (the token is the module's own business).
    handed = dict((key, value) for key, value in _org_run_task().items() if key in connection)
    for key, value in handed.items():
        assert value == "{{ genesyscloud_%s | default(omit) }}" % key, key
    host_variables = set(handed)
    assert host_variables == connection - {"access_token"}
    role_readme = " ".join(_text("roles", "data_action_timeouts", "README.md").split())
    paragraph = role_readme.split("Connection settings are host variables named after the module options: ", 1)[1]
    assert set(re.findall(r"`genesyscloud_(\w+)`", paragraph.split(". ", 1)[0])) == host_variables
    description = " ".join(_spec_description())
    listed = description.split("Connection settings are host variables named after the module options (", 1)[1]
    assert set(re.findall(r"C\(genesyscloud_(\w+)\)", listed.split(");", 1)[0])) == host_variables


def _spec_description():
    return yaml.safe_load(_text("roles", "data_action_timeouts", "meta", "argument_specs.yml"))[
        "argument_specs"]["main"]["description"]
