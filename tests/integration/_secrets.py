# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Find secrets where they must never be: the real values, not patterns.

The client secrets are the tests' own distinctive strings. The tokens are the ones the emulator really issued
and the collection really sent: the runs go through tests/integration/_proxy.py's recording proxy
(HTTP_PROXY), which sees every token answer and every Authorization header.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import base64
import json
import os


def secrets_seen(proxy, client_secrets=()):
    """Every secret that passed through ``proxy``, plus ``client_secrets``: the tokens issued (token answers),
    the bearer tokens sent, and the Basic credentials sent (encoded, and the secret inside)."""
    found = set(s for s in client_secrets if s)
    for exchange in list(proxy.exchanges):
        auth = exchange["headers"].get("Authorization") or exchange["headers"].get("authorization") or ""
        scheme, dummy, value = auth.partition(" ")
        if scheme.lower() == "bearer" and value:
            found.add(value)
        elif scheme.lower() == "basic" and value:
            found.add(value)
            try:
                found.add(base64.b64decode(value).decode("utf-8").split(":", 1)[1])
            except (ValueError, IndexError, UnicodeDecodeError):
                pass
        if exchange["url"].endswith("/oauth/token") and exchange["status"] == 200:
            try:
                found.add(json.loads(exchange["body"].decode("utf-8"))["access_token"])
            except (ValueError, KeyError, UnicodeDecodeError):
                pass
    return set(s for s in found if len(s) >= 8)


def tokens_issued(proxy):
    return [json.loads(x["body"].decode("utf-8"))["access_token"] for x in list(proxy.exchanges)
            if x["url"].endswith("/oauth/token") and x["status"] == 200]


def texts_of(run, *folders):
    """(where, text) for everything a run left: stdout, stderr, the recorded task results (registered
    values as Ansible shows them), and every file under ``folders`` (reports, journals, logs)."""
    texts = [("stdout", run.stdout), ("stderr", run.stderr), ("results", json.dumps(run.records, default=str))]
    for folder in folders:
        for root, _dirs, files in os.walk(str(folder)):
            for name in files:
                path = os.path.join(root, name)
                with open(path, "rb") as handle:
                    texts.append((path, handle.read().decode("utf-8", "replace")))
    return texts


def assert_nowhere(secrets, texts):
    leaks = ["%s holds %s...%s" % (where, secret[:4], secret[-2:]) for where, text in texts for secret in secrets
             if secret in text]
    assert not leaks, "secrets found: %s" % "; ".join(sorted(set(leaks)))
