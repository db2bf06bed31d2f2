# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How fast the emulator starts a large org and answers the collection's one analytics query per org.

    .venv/bin/python tests/bench/bench_analytics.py [--actions 10000] [--executions 200] [--repeat 5]

Two worlds: `--generate N` (the generator's own mix of history sizes), and a seed of N actions with exactly
`--executions` executions each. For each: start-up time (generation, the pristine copy kept for
/__emulator/reset, the listening line) and the wall time of `groupBy: [actionId]` with one rangeBound view
per distinct effective timeout, as the collection sends it: on the server (from the request log) and as
the client sees it (with the transfer and the client's own JSON parsing).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import argparse
import datetime
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

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


def _body(emu):
    actions = emu.actions()
    timeouts = sorted(set(a["config"].get("timeoutSeconds") or 60 for a in actions.values()))
    end = datetime.datetime.now(datetime.timezone.utc)
    start = end - datetime.timedelta(days=7)
    return {"interval": "%s/%s" % (start.strftime("%Y-%m-%dT%H:%M:%S.000Z"), end.strftime("%Y-%m-%dT%H:%M:%S.000Z")),
            "metrics": ["tTotalExecution"], "groupBy": ["actionId"],
            "views": [{"target": "tTotalExecution", "name": "reached_%ds" % t, "function": "rangeBound",
                       "range": {"gte": t * 1000}} for t in timeouts]}


def _run(label, options, args=None, seed=None):
    started = time.monotonic()
    with Emulator(args=(args or []) + ["--random-seed", "1"], seed=seed, start_timeout=300) as emu:
        start_s = time.monotonic() - started
        executions = sum(emu.state()["orgs"]["demo"]["execution_counts"].values())
        token = emu.token()
        body = _body(emu)
        times, server = [], []
        size = groups = 0
        for dummy in range(options.repeat):
            began = time.monotonic()
            response = emu.call("POST", QUERY, body=body, token=token, timeout=120)
            times.append(time.monotonic() - began)
            assert response.status == 200, response
            size, groups = len(response.raw), len(response.body.get("results", []))
            entry = emu.requests()["requests"][-1]
            server.append(entry["finished"] - entry["started"])
            emu.clear_requests()
        times.sort()
        server.sort()
        print("| %s | %d | %d | %d | %.1f | %.2f | %.2f | %.2f | %.2f | %.1f |" % (
            label, options.actions, executions, len(body["views"]), start_s, server[len(server) // 2],
            times[0], times[len(times) // 2], times[-1], size / 1e6))
        assert groups > 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=10000)
    parser.add_argument("--executions", type=int, default=200, help="per action, for the seeded world")
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    print("| world | actions | executions | views | start s | server median s | client min s | client median s "
          "| client max s | answer MB |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    _run("--generate", options, args=["--generate", str(options.actions)])
    _run("seed, %d each" % options.executions, options, seed=_seed(options.actions, options.executions))
    return 0


if __name__ == "__main__":
    sys.exit(main())
