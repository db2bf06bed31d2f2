# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest
import requests

from ansible_collections.genesyscloud.cx.plugins.module_utils.client import GenesysCloudClient, RetryPolicy
from tests.unit.plugins.fake_api import API, LOGIN, FakeGenesysCloud


class FakeClock(object):
    """Time that only moves when someone sleeps, so retry waits are measured without waiting."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def make_client(clock):
    """make_client(fake, **client_kwargs) -> a GenesysCloudClient whose session talks to the fake."""
    def factory(fake, **kwargs):
        session = requests.Session()
        session.mount("https://", fake)
        kwargs.setdefault("client_id", "cid")
        kwargs.setdefault("client_secret", "csecret")
        kwargs.setdefault("retry_policy", RetryPolicy(rand=lambda: 1.0))
        kwargs.setdefault("sleep", clock.sleep)
        kwargs.setdefault("clock", clock)
        return GenesysCloudClient(API, LOGIN, session=session, **kwargs)
    return factory


@pytest.fixture
def fake():
    return FakeGenesysCloud()
