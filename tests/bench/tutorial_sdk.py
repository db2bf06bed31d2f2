# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark 1's baseline (b): the tutorial script written with the official Python SDK
(``purecloudplatformclientv2``, a dev dependency).

    python tests/bench/tutorial_sdk.py URL CLIENT_ID CLIENT_SECRET [--threshold 5] [--target 10]

Same steps as tutorial_requests.py, through ``IntegrationsApi``: ``get_integrations_actions`` at page
size 25, then per action ``get_integrations_action(include_config=True)`` and, when it is a custom action
at or below the threshold, ``patch_integrations_action`` with an ``UpdateActionInput`` carrying its name,
category, config (timeout changed) and version. Prints one JSON line like the other script.

The SDK's models keep only the fields its swagger knows, so a config field unknown to the SDK (the
emulator's ``retryPolicy``, standing for anything newer than the SDK) is silently dropped on write: one
more reason the collection sends the config as read.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import argparse
import json

import PureCloudPlatformClientV2 as sdk


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('url')
    parser.add_argument('client_id')
    parser.add_argument('client_secret')
    parser.add_argument('--threshold', type=int, default=5)
    parser.add_argument('--target', type=int, default=10)
    options = parser.parse_args()
    api_client = sdk.api_client.ApiClient(host=options.url)
    api_client.get_client_credentials_token(options.client_id, options.client_secret)
    integrations = sdk.IntegrationsApi(api_client)
    sent = 1

    ids, page = [], 1
    while True:
        listing = integrations.get_integrations_actions(page_size=25, page_number=page)
        sent += 1
        ids.extend(action.id for action in listing.entities)
        if page >= listing.page_count:
            break
        page += 1

    changed = 0
    for action_id in ids:
        action = integrations.get_integrations_action(action_id, include_config=True)
        sent += 1
        timeout = action.config.timeout_seconds if action.config.timeout_seconds is not None else 60
        if not action_id.startswith('custom_-_') or timeout > options.threshold:
            continue
        body = sdk.UpdateActionInput()
        body.name = action.name
        body.category = action.category
        body.config = action.config
        body.config.timeout_seconds = options.target
        body.version = action.version
        integrations.patch_integrations_action(action_id, body)
        sent += 1
        changed += 1
    print(json.dumps({'requests': sent, 'changed': changed}))


if __name__ == '__main__':
    main()
