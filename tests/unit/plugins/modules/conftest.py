# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest
import requests
from ansible.module_utils.testing import patch_module_args

from ansible_collections.genesyscloud.cx.plugins.module_utils import client as client_module

CONNECTION = {"api_base_url": "https://api.fake.test", "client_id": "cid", "client_secret": "csecret"}


@pytest.fixture
def run_module(monkeypatch, capsys):
    """run_module(module, args, fake, check_mode=False, diff=False) -> (failed, result, raw stdout)."""
    for name in ("GENESYSCLOUD_REGION", "GENESYSCLOUD_OAUTHCLIENT_ID", "GENESYSCLOUD_OAUTHCLIENT_SECRET",
                 "GENESYSCLOUD_ACCESS_TOKEN", "GENESYSCLOUD_API_BASE_URL", "GENESYSCLOUD_LOGIN_BASE_URL"):
        monkeypatch.delenv(name, raising=False)

    def runner(module, args, fake, check_mode=False, diff=False, connection=True):
        def fake_session(pool_size):
            session = requests.Session()
            session.mount("https://", fake)
            session.mount("http://", fake)
            return session

        monkeypatch.setattr(client_module, "_new_session", fake_session)
        full = dict(CONNECTION) if connection else {}
        full.update(args)
        full.update(_ansible_check_mode=check_mode, _ansible_diff=diff)
        with patch_module_args(full):
            with pytest.raises(SystemExit):
                module.main()
        out = capsys.readouterr().out
        result = json.loads(out)
        return bool(result.get("failed")), result, out

    return runner
