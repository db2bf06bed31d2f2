# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write a timeout report as JSON, Markdown and HTML on the controller (docs: modules/timeout_report_files.py)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import tempfile

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.text.converters import to_text
from ansible.plugins.action import ActionBase

from ansible_collections.genesyscloud.cx.plugins.filter.timeout_report_html import timeout_report_html
from ansible_collections.genesyscloud.cx.plugins.filter.timeout_report_markdown import timeout_report_markdown

FORMATS = ("json", "md", "html")
_ARGS = {
    "report": {"type": "dict", "required": True},
    "dest": {"type": "path", "required": True},
    "name": {"type": "str"},
    "formats": {"type": "list", "elements": "str", "choices": list(FORMATS), "default": list(FORMATS)},
    "set_stats": {"type": "dict"},
    "show": {"type": "bool", "default": True},
}


def _render(report, fmt):
    if fmt == "json":
        return json.dumps(report, indent=2, sort_keys=False) + "\n"
    if fmt == "md":
        return timeout_report_markdown(report)
    return timeout_report_html(report)


def _write_whole(path, text):
    """Write to a temporary file beside ``path``, then rename it into place: never half a report."""
    directory = os.path.dirname(path)
    handle, temporary = tempfile.mkstemp(prefix=".%s." % os.path.basename(path), dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def _count(mapping, key):
    return int((mapping or {}).get(key) or 0)


def _org_lines(report, page):
    """Two lines for an org: what the run found, and what it changed (or would), from the report's summary."""
    org = report.get("org") or "(org)"
    summary = report.get("summary") or {}
    by_status = summary.get("by_status") or {}
    found = ["%d actions" % _count(summary, "actions")]
    if report.get("mode") != "rollback":
        low = summary.get("low", summary.get("at_risk"))
        if low is not None and report.get("threshold") is not None:
            found.append("%d at or below %s s" % (int(low), report["threshold"]))
    by_verdict = summary.get("by_verdict") or {}
    if any(by_verdict.values()):
        found.append("observed: " + ", ".join("%d %s" % (count, verdict.replace("_", " "))
                                              for verdict, count in by_verdict.items() if count))
    dry = report.get("mode") == "audit" or report.get("check_mode")
    done = "%d %s" % (_count(by_status, "would_update") if dry else _count(by_status, "updated"),
                      "would change" if dry else ("restored" if report.get("mode") == "rollback" else "changed"))
    outcome = [done]
    for status in ("drifted", "failed", "not_selected"):
        if _count(by_status, status):
            outcome.append("%d %s" % (_count(by_status, status), status.replace("_", " ")))
    lines = ["%s: %s" % (org, "; ".join(found)), "%s: %s%s" % (org, ", ".join(outcome), " -> %s" % page if page else "")]
    if report.get("error"):
        lines.append("%s: the run failed: %s" % (org, " ".join(str(report["error"]).split())))
    return lines


class ActionModule(ActionBase):
    """Writes the files on the controller; never contacts the managed host."""

    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset(_ARGS)
    _supports_check_mode = True

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        dummy, args = self.validate_argument_spec(argument_spec=_ARGS)
        report = args["report"]
        kind = report.get("report_type")
        if kind not in ("org", "run"):
            raise AnsibleActionFail("report must be an org or a run report (report_type org or run), got %r" % kind)
        name = args["name"] or (report.get("org") if kind == "org" else "run")
        if not name or "/" in name or name.startswith("."):
            raise AnsibleActionFail("name must be a plain file name, got %r" % name)
        dest = args["dest"]
        try:
            os.makedirs(dest, mode=0o755, exist_ok=True)
            paths = []
            for fmt in args["formats"]:
                path = os.path.join(dest, "%s.%s" % (name, fmt))
                _write_whole(path, _render(report, fmt))
                paths.append(path)
        except (OSError, IOError) as exc:
            raise AnsibleActionFail("cannot write the report into %s: %s" % (dest, to_text(exc)))
        page = next((p for p in paths if p.endswith(".html")), paths[0] if paths else None)
        if kind == "org":
            lines = _org_lines(report, page)
        else:
            lines = ["run %s: %d org(s); reports in %s" % (report.get("run_id"), len(report.get("orgs") or []), dest)]
        result.update(changed=False, paths=paths, msg=lines, report=report)
        if args["set_stats"]:
            result["ansible_stats"] = {"data": args["set_stats"], "per_host": False, "aggregate": True}
        if args["show"]:
            result["_ansible_verbose_always"] = True
        return result
