# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):
    # How observed execution times are read and judged (module_utils/execution_stats.py holds the defaults).
    DOCUMENTATION = r"""
options:
  stats:
    description:
      - Read what the actions really did from the analytics aggregates query
        (C(POST /api/v2/analytics/actions/aggregates/query), metric C(tTotalExecution)) over the last
        O(stats_days) days, and judge each action's timeout against it.
      - One query per org, grouped by action and C(errorType), whatever the number of actions; never one
        per action. It also asks for C(rangeBound) views counting the executions faster than each bound
        of a fixed ladder (250 and 500 ms, 1, 1.5, 2, 3, 5, 8, 10, 15, 20, 30, 45 and 60 s) and than each
        effective timeout off that ladder, at most 20 views in all (the timeouts most actions use first;
        an action whose timeout got no view is judged from its slowest execution).
      - Only successful executions (no C(errorType), or C(NONE)) and failed ones that ran to the timeout
        (they failed only because it cut them off) size the timeout; other failures (a backend that
        fails fast in 20 ms) never do, and are reported apart as C(failures), C(failure_share) and
        C(failures_by_error_type).
      - The p99 is the server's when the answer has it (C(p99_source=server)). Nothing documents that
        the server fills C(p99) for C(tTotalExecution); without it (or when failures cut off at the
        timeout join the successes) the p99 is the smallest ladder bound under which at least 99% of
        those executions lie, at most the slowest success (C(p99_source=ladder)) - an upper bound, so
        the recommendation is never too low.
      - Each action then carries C(stats), C(verdict), C(recommended_timeout_seconds) and
        C(recommendation). The recommendation is C(min(60, max(1, ceil(p99_ms * headroom / 1000)))),
        Genesys's own sizing advice for the setting ("if the 99th percentile is 1 second, you could set
        the action timeout to 3 seconds"). When executions ran to the timeout, their times were cut off
        there, so the recommendation goes above the current timeout (one second at least), and says so.
      - Verdicts, in this order - V(no_data) fewer than O(min_executions) successful executions (counting
        those cut off at the timeout), whatever the failures (no recommendation); V(timing_out)
        executions ran to the effective timeout, with or without a p99 in the answer; V(at_risk) none
        did, but the p99 uses more than O(at_risk_share) of the timeout; V(oversized) the effective
        timeout is more than twice the recommendation (an unset 60 s for a backend whose p99 is 300 ms
        lets a stuck backend hold the org's data-action concurrency for a minute); V(ok) otherwise.
      - Needs C(integrations:action:view) (or C(bridge:actions:view)). When the query is refused (HTTP
        403), the actions are still returned, without stats, with a warning naming the permission.
    type: bool
    default: false
  stats_days:
    description:
      - How many days of executions, up to now, O(stats) reads (1 to 31).
      - The default, 7, covers a full weekly cycle of traffic (weekday peaks, quiet weekends, weekly
        batch jobs) and is recent enough to describe the backend as it is now.
    type: int
    default: 7
  headroom:
    description:
      - The recommended timeout as a multiple of the observed p99 (at least 1.0).
      - The default, 3, is Genesys's own example (a p99 of 1 s gives a 3 s timeout).
    type: float
    default: 3.0
  min_executions:
    description:
      - The fewest executions in O(stats_days) from which an action gets a verdict and a recommendation -
        successful ones plus failed ones cut off at the timeout (fast failures do not count); below it
        the verdict is V(no_data).
      - The default, 30, is the least traffic from which one unlucky call does not decide everything.
        Below 100 executions the p99 is the slowest single call; raise this to 100 or more to size
        timeouts from a true percentile.
    type: int
    default: 30
  at_risk_share:
    description:
      - An action none of whose executions reached its timeout is V(at_risk) when its p99 uses more
        than this share of the effective timeout (above 0, at most 1).
      - The default, 0.5, flags an action whose backend would start failing calls if it slowed down
        twofold, as backends do under load.
    type: float
    default: 0.5
"""
