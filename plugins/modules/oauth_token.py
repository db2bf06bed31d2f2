#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: oauth_token
short_description: Request one Genesys Cloud OAuth token for the other modules to reuse
version_added: 0.1.0
description:
  - Requests one client-credentials token (C(POST /oauth/token) on the login host) and returns it.
  - Pass it to the other modules of the collection as O(access_token) through C(module_defaults), so
    a play costs one token request per org instead of one per task.
  - Register the result on a task with C(no_log) set to V(true), since the token grants the OAuth client's permissions until
    it expires. A client-credentials token cannot be refreshed; request a new one.
  - Token creation throttling (HTTP 400 "rate limit exceeded") is waited out.
  - O(access_token) is ignored; O(client_id) and O(client_secret) are required.
author:
  - genesyscloud.cx maintainers (@genesyscloud-cx)
options: {}
extends_documentation_fragment:
  - genesyscloud.cx.connection
  - genesyscloud.cx.attributes
attributes:
  check_mode:
    description: Requests the token in check mode too, since that changes nothing and later tasks need it.
    support: full
  diff_mode:
    description: The module changes nothing, so there is no diff.
    support: N/A
seealso:
  - module: genesyscloud.cx.data_action_info
  - module: genesyscloud.cx.data_action_timeout
"""

EXAMPLES = r"""
- name: One token per org, reused by every later task
  hosts: genesys_orgs
  connection: local
  gather_facts: false
  tasks:
    - name: Request a token
      genesyscloud.cx.oauth_token:
        region: "{{ genesyscloud_region }}"
        client_id: "{{ genesyscloud_client_id }}"
        client_secret: "{{ genesyscloud_client_secret }}"
      register: genesys_token
      no_log: true

    - name: Use it
      module_defaults:
        group/genesyscloud.cx.genesyscloud:
          api_base_url: "{{ genesys_token.api_base_url }}"
          access_token: "{{ genesys_token.access_token }}"
      block:
        - name: List low timeouts
          genesyscloud.cx.data_action_info:
            timeout_at_most: 3
"""

RETURN = r"""
access_token:
  description: The bearer token. Keep it out of logs by setting C(no_log) on the task.
  returned: success
  type: str
  sample: "********"
expires_in:
  description: Seconds until the token expires (the OAuth client's token lifetime).
  returned: success
  type: int
  sample: 86400
token_type:
  description: The token type.
  returned: success
  type: str
  sample: bearer
api_base_url:
  description: The API base URL the token is for, to pass on with it.
  returned: success
  type: str
  sample: https://api.mypurecloud.ie
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.genesyscloud.cx.plugins.module_utils._connection import (
    build_client,
    connection_argument_spec,
    require_requests,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils.errors import GenesysCloudError, scrub


def run(module, client):
    token = client.fetch_token()
    result = {
        "access_token": token["access_token"],
        "expires_in": token.get("expires_in"),
        "token_type": token.get("token_type"),
        "api_base_url": client.api_base_url,
    }
    return False, result, None


def main():
    module = AnsibleModule(argument_spec=connection_argument_spec(), supports_check_mode=True)
    require_requests(module)
    client = None
    try:
        client = build_client(module.params, pool_size=1, require_credentials=True)
        changed, result, dummy = run(module, client)
    except GenesysCloudError as exc:
        module.fail_json(msg=scrub(str(exc), client.secrets() if client else []))
    module.exit_json(changed=changed, **result)


if __name__ == "__main__":
    main()
