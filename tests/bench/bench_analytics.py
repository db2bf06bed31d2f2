# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How fast the emulator starts a large org and answers the collection's one analytics query per org.

    .venv/bin/python tests/bench/bench_analytics.py [--actions 10000] [--executions 200] [--repeat 5]

Two worlds: `--generate N` (the generator's own mix of history sizes), and a seed of N actions with exactly
`--executions` executions each. For each: start-up time (generation, the pristine copy kept for
/__emulator/reset, the listening line) and the wall time of the collection's own query
(execution_stats.build_query: groupBy actionId and errorType, the ladder of rangeBound views): on the
server (from the request log), as the client sees it (with the transfer and the harness's JSON
parsing), and the collection's decoding and reading of the answer into every action's observed stats.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import argparse
import datetime
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

# pylint: disable-next=unused-import
import tests.conftest  # noqa: E402,F401  (makes the repository importable as ansible_collections.genesyscloud.cx)
from ansible_collections.genesyscloud.cx.plugins.module_utils import execution_stats  # noqa: E402
from tests.emulator.harness import Emulator  # noqa: E402

QUERY = "/api/v2/analytics/actions/aggregates/query"


def _seed(actions, executions):
    integration = "44444444-4444-4444-8444-444444444444"
    timeouts = (None, None, None, 2, 3, 5, 10, 30)
    listed = []
    for index in range(actions):
        config = {"request": {"requestUrlTemplate": "https://x.example.com/%d" % index, "requestType": "GET",
                              "headers": {}, "requestTemplate": "${input.rawRequest}"},
                  "response": {"translationMap": {}, "translationMapDefaults": {}, "successTemplate": "${rawResult}"}}
        timeout = timeouts[index % len(timeouts)]
        if timeout is not None:
            config["timeoutSeconds"] = timeout
        listed.append({"id": "custom_-_%08d-0000-4000-8000-000000000000" % index, "name": "Action %d" % index,
                       "integrationId": integration, "config": config,
                       "executions": {"count": executions, "latency_ms": 300 + index % 2000, "jitter_ms": 200}})
    return {"orgs": [{"id": "demo", "clients": [{"client_id": "demo-client", "client_secret": "demo-secret"}],
                      "integrations": [{"id": integration, "name": "X", "integrationType": "custom-rest-actions"}],
                      "actions": listed}]}


def _timeouts(emu):
    """action id -> effective timeout (None for custom-auth actions, as the collection leaves them out)."""
    return dict((action_id, None if action_id.startswith("customAuth_") else action["config"].get("timeoutSeconds") or 60)
                for action_id, action in emu.actions().items())


def _body(timeouts):
    return execution_stats.build_query(list(timeouts.values()), 7, datetime.datetime.now(datetime.timezone.utc))


class _Answer(object):
    """What execution_stats._decode_answer reads of a requests response."""

    status_code = 200
    headers = {}

    def __init__(self, content):
        self.content = content


def _parse(body, raw, timeouts):
    """Seconds the collection takes to decode the answer and read it into every action's observed stats (what
    read_observed does after the request)."""
    began = time.monotonic()
    bounds = dict((view["name"], view["range"]["lt"]) for view in body["views"])
    answer = execution_stats._decode_answer(_Answer(raw), bounds)
    buckets = execution_stats._buckets_by_action(answer, bounds)
    observed = dict((action_id, execution_stats._observed(buckets.get(action_id, ()), timeout))
                    for action_id, timeout in timeouts.items())
    elapsed = time.monotonic() - began
    assert len(observed) == len(timeouts)
    return elapsed


def _run(label, options, args=None, seed=None):
    started = time.monotonic()
    with Emulator(args=(args or []) + ["--random-seed", "1"], seed=seed, start_timeout=300) as emu:
        start_s = time.monotonic() - started
        executions = sum(emu.state()["orgs"]["demo"]["execution_counts"].values())
        token = emu.token()
        timeouts = _timeouts(emu)
        body = _body(timeouts)
        times, server, parse = [], [], []
        size = groups = 0
        for dummy in range(options.repeat):
            began = time.monotonic()
            response = emu.call("POST", QUERY, body=body, token=token, timeout=120)
            times.append(time.monotonic() - began)
            assert response.status == 200, response
            size, groups = len(response.raw), len(response.body.get("results", []))
            parse.append(_parse(body, response.raw, timeouts))
            entry = emu.requests()["requests"][-1]
            server.append(entry["finished"] - entry["started"])
            emu.clear_requests()
        times.sort()
        server.sort()
        parse.sort()
        print("| %s | %d | %d | %d | %d | %.1f | %.2f | %.2f | %.2f | %.2f | %.1f | %.3f |" % (
            label, options.actions, executions, len(body["views"]), groups, start_s, server[len(server) // 2],
            times[0], times[len(times) // 2], times[-1], size / 1e6, parse[len(parse) // 2]))
        assert groups > 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=10000)
    parser.add_argument("--executions", type=int, default=200, help="per action, for the seeded world")
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    print("| world | actions | executions | views | groups | start s | server median s | client min s "
          "| client median s | client max s | answer MB | parse median s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    _run("--generate", options, args=["--generate", str(options.actions)])
    _run("seed, %d each" % options.executions, options, seed=_seed(options.actions, options.executions))
    return 0


if __name__ == "__main__":
    sys.exit(main())
