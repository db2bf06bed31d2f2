# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark 1's baseline (a): the plain tutorial script, as one is commonly written with requests.

    python tests/bench/tutorial_requests.py URL CLIENT_ID CLIENT_SECRET [--threshold 5] [--target 10]

Lists every action at the API's default page size (25), then, one action at a time, GETs it with its
config and, when it is a custom action whose effective timeout is at or below the threshold, writes it
back whole (name, category, config, version) with the target timeout. Prints one JSON line: requests
sent and actions changed. Not part of the collection: a yardstick.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import argparse
import json

import requests


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('url')
    parser.add_argument('client_id')
    parser.add_argument('client_secret')
    parser.add_argument('--threshold', type=int, default=5)
    parser.add_argument('--target', type=int, default=10)
    options = parser.parse_args()
    session = requests.Session()
    token = session.post(options.url + '/oauth/token', data={'grant_type': 'client_credentials'},
                         auth=(options.client_id, options.client_secret)).json()['access_token']
    session.headers['Authorization'] = 'Bearer ' + token
    sent = 1

    ids, page = [], 1
    while True:
        listing = session.get(options.url + '/api/v2/integrations/actions',
                              params={'pageSize': 25, 'pageNumber': page})
        listing.raise_for_status()
        sent += 1
        body = listing.json()
        ids.extend(action['id'] for action in body['entities'])
        if page >= body['pageCount']:
            break
        page += 1

    changed = 0
    for action_id in ids:
        url = options.url + '/api/v2/integrations/actions/' + action_id
        answer = session.get(url, params={'includeConfig': 'true'})
        answer.raise_for_status()
        sent += 1
        action = answer.json()
        timeout = action['config'].get('timeoutSeconds', 60)
        if not action_id.startswith('custom_-_') or timeout > options.threshold:
            continue
        config = dict(action['config'], timeoutSeconds=options.target)
        update = session.patch(url, json={'name': action['name'], 'category': action['category'],
                                          'config': config, 'version': action['version']})
        update.raise_for_status()
        sent += 1
        changed += 1
    print(json.dumps({'requests': sent, 'changed': changed}))


if __name__ == '__main__':
    main()
