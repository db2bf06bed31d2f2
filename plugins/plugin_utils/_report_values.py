# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the genesyscloud.cx collection and may change in
# any release. The report schema is documented in roles/data_action_timeouts/REPORTS.md.

"""The values a report holds, checked as they come in: whole numbers, seconds, booleans, text, lists, the run
options, and the timeout bucket a timeout falls in."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime
from collections.abc import Mapping
from urllib.parse import urlsplit, urlunsplit

from ansible.errors import AnsibleFilterError
from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.genesyscloud.cx.plugins.module_utils.data_actions import (
    MAX_FUNCTION_TIMEOUT,
    MAX_TIMEOUT,
    MIN_FUNCTION_TIMEOUT,
    MIN_TIMEOUT,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils.errors import InvalidInputError
from ansible_collections.genesyscloud.cx.plugins.module_utils.execution_stats import StatsOptions
from ansible_collections.genesyscloud.cx.plugins.module_utils.selection import RECOMMENDED


STATS_OPTION_KEYS = ("days", "headroom", "min_executions", "at_risk_share")

# Inclusive bounds of the timeout buckets. "unset" runs at 60 s, so it comes last, after "31-60".
BUCKETS = (
    ("1-3", 1, 3),
    ("4-5", 4, 5),
    ("6-10", 6, 10),
    ("11-20", 11, 20),
    ("21-30", 21, 30),
    ("31-60", 31, 60),
    ("unset", None, None),
)


# ---------------------------------------------------------------- input coercion

def int_or_none(value, what):
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise AnsibleFilterError("%s must be an integer, got a boolean" % what)
    try:
        return int(value)
    except (TypeError, ValueError):
        raise AnsibleFilterError("%s must be an integer or null, got %r" % (what, value))


def seconds_or_none(value, what):
    """A timeout as configured: 1 to 60 seconds, or None for unset."""
    seconds = int_or_none(value, what)
    if seconds is not None and not MIN_TIMEOUT <= seconds <= MAX_TIMEOUT:
        raise AnsibleFilterError("%s must be a number of seconds from %d to %d or null, got %r"
                                 % (what, MIN_TIMEOUT, MAX_TIMEOUT, value))
    return seconds


def _seconds_option(value, what):
    seconds = int_or_none(value, what)
    if seconds is None or not MIN_TIMEOUT <= seconds <= MAX_TIMEOUT:
        raise AnsibleFilterError("%s must be a number of seconds from %d to %d, got %r"
                                 % (what, MIN_TIMEOUT, MAX_TIMEOUT, value))
    return seconds


def _target_option(value):
    if text(value) == RECOMMENDED:
        return RECOMMENDED
    if isinstance(value, str) and not value.strip().isdigit():
        raise AnsibleFilterError("target must be a number of seconds from %d to %d or %r, got %r"
                                 % (MIN_TIMEOUT, MAX_TIMEOUT, RECOMMENDED, value))
    return _seconds_option(value, "target")


def bool_option(value, what):
    try:
        return boolean(value, strict=True)
    except TypeError:
        raise AnsibleFilterError("%s must be a boolean, got %r" % (what, value))


def text(value):
    return "" if value is None else str(value)


def _text_or_none(value):
    return None if value is None else str(value)


def is_list(value):
    return isinstance(value, (list, tuple)) or (
        hasattr(value, "__iter__") and not isinstance(value, (str, Mapping, bytes)))


def _list_option(value, what, expects):
    if value is None:
        return []
    if not is_list(value):
        raise AnsibleFilterError("%s must be %s, got %s" % (what, expects, type(value).__name__))
    return list(value)


def _safe_api_base_url(url):
    """Drop any user:password@ part and query string: a report must never carry a credential."""
    if url is None or url == "":
        return None
    try:
        parts = urlsplit(str(url))
        host = parts.hostname or ""
        if parts.port:
            host = "%s:%d" % (host, parts.port)
    except ValueError:
        # Not a URL (an org whose settings were refused): the report of its failure must still be written.
        return None
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def utc_now_iso():
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    return now.strftime("%Y-%m-%dT%H:%M:%SZ")


def _run_id_from(generated_at):
    return generated_at.replace("-", "").replace(":", "")


def _stats_options(value, use_stats):
    """The stats options as {days, headroom, min_executions, at_risk_share}, checked by the module's own rules."""
    if not use_stats or value is None:
        return None
    if not isinstance(value, Mapping):
        raise AnsibleFilterError("stats_options must be a dict with %s, got %s"
                                 % (", ".join(STATS_OPTION_KEYS), type(value).__name__))
    unknown = sorted(set(value) - set(STATS_OPTION_KEYS))
    if unknown:
        raise AnsibleFilterError("stats_options has unknown key(s) %s; known: %s"
                                 % (", ".join(unknown), ", ".join(STATS_OPTION_KEYS)))
    try:
        options = StatsOptions.from_params({"stats_days": value.get("days"), "headroom": value.get("headroom"),
                                            "min_executions": value.get("min_executions"),
                                            "at_risk_share": value.get("at_risk_share")})
    except InvalidInputError as exc:
        raise AnsibleFilterError("stats_options: %s" % exc)
    return dict(zip(STATS_OPTION_KEYS, options))


def bucket_of(timeout_seconds):
    """Name of the distribution bucket a configured timeout falls into."""
    if timeout_seconds is None:
        return "unset"
    for name, low, high in BUCKETS[:-1]:
        if low <= timeout_seconds <= high:
            return name
    # Values outside 1..60 should not exist; keep them visible in the nearest bucket.
    return BUCKETS[0][0] if timeout_seconds < 1 else BUCKETS[-2][0]


def function_seconds_or_none(value, what):
    seconds = int_or_none(value, what)
    if seconds is not None and not MIN_FUNCTION_TIMEOUT <= seconds <= MAX_FUNCTION_TIMEOUT:
        raise AnsibleFilterError("%s must be a number of seconds from %d to %d or null, got %r"
                                 % (what, MIN_FUNCTION_TIMEOUT, MAX_FUNCTION_TIMEOUT, value))
    return seconds
