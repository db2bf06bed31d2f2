# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Throughput of the emulator: N concurrent aiohttp clients in this process, the emulator in its own.

    .venv/bin/python tests/bench/bench_emulator.py [--duration 5] [--concurrency 32] [--generate 200]

Prints one table row per scenario: requests, errors, requests per second, p50/p95 latency.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import argparse
import asyncio
import os
import sys
import time

import aiohttp

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

from tests.emulator.harness import Emulator  # noqa: E402

ACTIONS = "/api/v2/integrations/actions"


async def _worker(session, url, token, deadline, scenario, action_id, latencies, failures):
    headers = {"Authorization": "Bearer " + token}
    version = None
    if scenario == "patch":
        async with session.get("%s%s/%s" % (url, ACTIONS, action_id), headers=headers) as resp:
            version = (await resp.json())["version"]
    count = 0
    while time.monotonic() < deadline:
        started = time.monotonic()
        if scenario == "get":
            request = session.get("%s%s/%s" % (url, ACTIONS, action_id), headers=headers)
        elif scenario == "list":
            request = session.get(url + ACTIONS, params={"pageSize": "100", "includeConfig": "true"},
                                  headers=headers)
        else:
            count += 1
            request = session.patch("%s%s/%s" % (url, ACTIONS, action_id), headers=headers,
                                    json={"version": version, "name": "bench %d" % count})
        async with request as resp:
            await resp.read()
            if resp.status == 200:
                if version is not None:
                    version += 1
            else:
                failures.append(resp.status)
        latencies.append(time.monotonic() - started)


async def _scenario(url, token, action_ids, scenario, concurrency, duration):
    latencies, failures = [], []
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        deadline = time.monotonic() + duration
        started = time.monotonic()
        await asyncio.gather(*(
            _worker(session, url, token, deadline, scenario, action_ids[i % len(action_ids)], latencies, failures)
            for i in range(concurrency)))
        elapsed = time.monotonic() - started
    latencies.sort()
    p50 = latencies[len(latencies) // 2] * 1000 if latencies else 0
    p95 = latencies[int(len(latencies) * 0.95)] * 1000 if latencies else 0
    return len(latencies), len(failures), len(latencies) / elapsed, p50, p95


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per scenario")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--generate", type=int, default=200, help="actions in the emulated org")
    parser.add_argument("--latencies", default="0,50,200", help="--latency-ms values to run, comma-separated")
    options = parser.parse_args()
    print("%-38s %6s %9s %7s %9s %8s %8s" % (
        "scenario", "conc", "requests", "errors", "req/s", "p50 ms", "p95 ms"))
    for latency in [int(x) for x in options.latencies.split(",")]:
        scenarios = ("get", "list", "patch") if latency == 0 else ("get",)
        with Emulator(args=["--generate", str(options.generate), "--latency-ms", str(latency)]) as emu:
            token = emu.token()
            action_ids = [a for a in emu.actions() if a.startswith("custom_-_")]
            for scenario in scenarios:
                emu.reset()
                label = {"get": "GET one action", "list": "GET list pageSize=100 +config",
                         "patch": "PATCH (own action each)"}[scenario]
                row = asyncio.run(_scenario(emu.url, token, action_ids, scenario, options.concurrency,
                                            options.duration))
                name = "%s, +%d ms" % (label, latency)
                print("%-38s %6d %9d %7d %9.0f %8.1f %8.1f" % ((name, options.concurrency) + row))
                sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
