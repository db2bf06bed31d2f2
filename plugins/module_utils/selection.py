# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which actions of an org a run changes, and to what timeout: the rule, written once.

The module ``data_action_timeout`` applies it with its ``select`` option; the role passes its
variables in and never decides anything itself.

- Criteria say what a run is about: ``timeout_at_most`` (the *effective* timeout, 60 s when unset, is
  at most this) and ``verdicts`` (the observed-times verdict is one of these). An action meeting any
  criterion given is a candidate; with no criterion, every action is.
- Filters narrow the candidates: names (regular expressions), categories, and whether the timeout is
  set explicitly. A candidate a filter leaves out is ``not_selected``: it fits the run's rule, but the
  run was told to leave it alone, which a report shows as needing attention.
- Only custom actions are ever selected: built-in ``static_`` actions and custom authentication
  actions cannot have their timeout set.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re
from collections import namedtuple

from ansible_collections.genesyscloud.cx.plugins.module_utils._timeout_requests import check_timeout
from ansible_collections.genesyscloud.cx.plugins.module_utils.data_actions import (
    KIND_CUSTOM,
    KIND_CUSTOM_AUTH,
    show_timeout,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils.errors import InvalidInputError
from ansible_collections.genesyscloud.cx.plugins.module_utils.execution_stats import VERDICTS

# What a run decided for an action it does not change.
OK = "ok"                          # the run's criteria do not pick it
NOT_SELECTED = "not_selected"      # the criteria pick it, a filter leaves it out
NOT_REQUESTED = "not_requested"    # not among the actions a plan or a rollback names
NOT_APPLICABLE = "not_applicable"  # static or custom-auth: its timeout cannot be set
SELECTED = "selected"

# timeout_seconds: recommended sets each action to its own recommendation.
RECOMMENDED = "recommended"

NOT_APPLICABLE_REASON = {
    "static": "built-in static action: the public API cannot update it",
    KIND_CUSTOM_AUTH: "custom authentication action: timeoutSeconds is invalid for it",
}


def _strings(value, where):
    """A list of strings; one string is taken as a one-element list (as given on a command line)."""
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise InvalidInputError("%s must be a list of strings, got %r." % (where, value))
    return [v for v in value if v != ""]


def _patterns(value, where):
    patterns = []
    for text in _strings(value, where):
        try:
            patterns.append(re.compile(text))
        except re.error as exc:
            raise InvalidInputError("%s: %r is not a valid regular expression (%s)." % (where, text, exc))
    return patterns


class Selection(namedtuple("Selection", "timeout_at_most verdicts name_include name_exclude category_include "
                                        "category_exclude explicit_timeout")):
    """The rule of one run. Build it with ``Selection.from_params``."""

    __slots__ = ()

    @classmethod
    def from_params(cls, raw, where="select"):
        raw = raw or {}
        if not isinstance(raw, dict):
            raise InvalidInputError("%s must be a dictionary, got %r." % (where, raw))
        unknown = sorted(set(raw) - set(cls._fields))
        if unknown:
            raise InvalidInputError("%s has unknown key(s) %s; known: %s." % (
                where, ", ".join(unknown), ", ".join(cls._fields)))
        at_most = raw.get("timeout_at_most")
        if at_most is not None:
            at_most = check_timeout(at_most, where + ".timeout_at_most")
        verdicts = _strings(raw.get("verdicts"), where + ".verdicts")
        wrong = [v for v in verdicts if v not in VERDICTS]
        if wrong:
            raise InvalidInputError("%s.verdicts may hold %s; got %s." % (
                where, ", ".join(VERDICTS), ", ".join(wrong)))
        explicit = raw.get("explicit_timeout")
        if explicit is not None and not isinstance(explicit, bool):
            raise InvalidInputError("%s.explicit_timeout must be true, false or null, got %r." % (where, explicit))
        return cls(at_most, tuple(verdicts),
                   tuple(_patterns(raw.get("name_include"), where + ".name_include")),
                   tuple(_patterns(raw.get("name_exclude"), where + ".name_exclude")),
                   tuple(_strings(raw.get("category_include"), where + ".category_include")),
                   tuple(_strings(raw.get("category_exclude"), where + ".category_exclude")),
                   explicit)

    @property
    def needs_stats(self):
        return bool(self.verdicts)

    def _criteria(self, summary):
        """(met, why) for the criteria; with none given every action meets them."""
        reasons = []
        effective = summary["effective_timeout_seconds"]
        if self.timeout_at_most is not None and effective <= self.timeout_at_most:
            reasons.append("timeout %s is at or below %d s" % (show_timeout(summary["timeout_seconds"]),
                                                               self.timeout_at_most))
        if self.verdicts and summary.get("verdict") in self.verdicts:
            reasons.append("verdict %s" % summary["verdict"])
        if reasons:
            return True, "; ".join(reasons)
        if self.timeout_at_most is None and not self.verdicts:
            return True, "every action"
        why = []
        if self.timeout_at_most is not None:
            why.append("timeout %s is above %d s" % (show_timeout(summary["timeout_seconds"]), self.timeout_at_most))
        if self.verdicts:
            why.append("verdict %s is not %s" % (summary.get("verdict") or "unknown", " or ".join(self.verdicts)))
        return False, "; ".join(why)

    def _filtered_out(self, summary):
        """The filter that leaves a candidate out, in words, or None."""
        name = summary.get("name") or ""
        category = summary.get("category") or ""
        if self.name_include and not any(p.search(name) for p in self.name_include):
            return "its name matches no name_include pattern"
        for pattern in self.name_exclude:
            if pattern.search(name):
                return "its name matches name_exclude %r" % pattern.pattern
        if self.category_include and category not in self.category_include:
            return "its category %r is not in category_include" % category
        if category in self.category_exclude:
            return "its category %r is in category_exclude" % category
        if self.explicit_timeout is not None and (summary["timeout_seconds"] is not None) != self.explicit_timeout:
            return "its timeout is %s and explicit_timeout is %s" % (
                "unset" if summary["timeout_seconds"] is None else "set", str(self.explicit_timeout).lower())
        return None

    def decide(self, summary):
        """(status, reason): SELECTED, OK, NOT_SELECTED or NOT_APPLICABLE for one summarized action."""
        if summary["kind"] != KIND_CUSTOM:
            return NOT_APPLICABLE, NOT_APPLICABLE_REASON.get(summary["kind"], "not a custom action")
        met, why = self._criteria(summary)
        if not met:
            return OK, why
        left_out = self._filtered_out(summary)
        if left_out:
            return NOT_SELECTED, "%s, but %s" % (why, left_out)
        return SELECTED, why


def target_timeout(summary, timeout_seconds):
    """The timeout a selected action is set to: the number given, or its own recommendation (None when it
    has none, for want of executions)."""
    if timeout_seconds == RECOMMENDED:
        return summary.get("recommended_timeout_seconds")
    return timeout_seconds
