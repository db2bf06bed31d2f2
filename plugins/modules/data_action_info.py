#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: data_action_info
short_description: List Genesys Cloud data actions and their execution timeouts
version_added: 0.1.0
description:
  - Lists the data actions of an org with their execution timeout (C(config.timeoutSeconds)).
  - Reads the actions in one listing pass (C(GET /api/v2/integrations/actions) with their config),
    using the API's own filters for O(id), O(name) and O(category); no request per action.
  - Never changes anything.
  - An action without C(timeoutSeconds) runs with the platform default, 60 seconds, which is also the
    maximum. Each action reports both its configured timeout (RV(data_actions[].timeout_seconds), V(null)
    when unset) and the one it runs with (RV(data_actions[].effective_timeout_seconds), 60 when unset);
    every filter compares the effective one, so an unset timeout is never "low".
  - Needs the permission C(integrations:action:view) (or C(bridge:actions:view)).
author:
  - genesyscloud.cx maintainers (@genesyscloud-cx)
options:
  id:
    description:
      - Only the data action with this id. An id that does not exist gives an empty list.
    type: str
  name:
    description:
      - Only data actions with exactly this name.
    type: str
  category:
    description:
      - Only data actions in this category.
    type: str
  timeout_at_most:
    description:
      - Only data actions whose effective timeout is at most this many seconds (1 to 60). An action
        without a timeout runs with the 60 s default, so it is kept only by V(60).
      - Custom authentication actions have no timeout and are left out by this filter.
    type: int
  explicit_timeout:
    description:
      - V(true) keeps only the actions that set C(timeoutSeconds) themselves; V(false) only those that
        leave it to the 60 s platform default. Unset keeps both.
    type: bool
  include_auth_actions:
    description:
      - Whether to list custom authentication actions (ids starting C(customAuth_)) too.
    type: bool
    default: false
  include_config:
    description:
      - Whether to return each action's complete C(config) too.
    type: bool
    default: false
  page_size:
    description:
      - Actions per listing page. The API documents no maximum.
    type: int
    default: 100
extends_documentation_fragment:
  - genesyscloud.cx.connection
  - genesyscloud.cx.attributes
  - genesyscloud.cx.attributes.info_module
seealso:
  - module: genesyscloud.cx.data_action_timeout
"""

EXAMPLES = r"""
- name: Audit data action timeouts
  module_defaults:
    group/genesyscloud.cx.genesyscloud:
      region: mypurecloud.ie
      client_id: "{{ vault_genesys_client_id }}"
      client_secret: "{{ vault_genesys_client_secret }}"
  block:
    - name: Find actions whose timeout is 3 seconds or less (an unset timeout is 60 s, never low)
      genesyscloud.cx.data_action_info:
        timeout_at_most: 3
      register: low

    - name: Show them
      ansible.builtin.debug:
        msg: "{{ item.name }}: {{ item.effective_timeout_seconds }} s"
      loop: "{{ low.data_actions }}"

    - name: Find the actions still running with the 60 s platform default
      genesyscloud.cx.data_action_info:
        explicit_timeout: false
      register: unset

    - name: One category, with the complete config
      genesyscloud.cx.data_action_info:
        category: CRM
        include_config: true
"""

RETURN = r"""
data_actions:
  description: The matching data actions, sorted by name.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The action's id.
      type: str
      sample: custom_-_0b6f6c9e-2f34-4a54-9d5c-4c6f1d1f8a10
    name:
      description: The action's name.
      type: str
      sample: Lookup account
    category:
      description: The action's category.
      type: str
      sample: CRM
    integration_id:
      description: The id of the integration the action belongs to.
      type: str
      sample: 0b6f6c9e-1111-4a54-9d5c-4c6f1d1f8a10
    secure:
      description: Whether the action is secure (its inputs and outputs are not logged).
      type: bool
      sample: false
    version:
      description: The action's version; every update increments it.
      type: int
      sample: 4
    timeout_seconds:
      description: The configured C(config.timeoutSeconds), or V(null) when the action sets none.
      type: int
      sample: 3
    effective_timeout_seconds:
      description:
        - The timeout the action runs with, in seconds - RV(data_actions[].timeout_seconds), or 60 (the
          platform default) when that is V(null). V(60) for custom authentication actions too, which have
          no timeout of their own.
      type: int
      sample: 3
    kind:
      description:
        - V(custom) (user-made), V(static) (built-in, not updatable) or V(custom_auth) (a custom
          authentication action, where a timeout is invalid); from the id.
      type: str
      sample: custom
    config:
      description: The action's complete configuration.
      returned: when O(include_config=true)
      type: dict
      sample: {"timeoutSeconds": 3, "request": {"requestType": "GET"}, "response": {}}
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.genesyscloud.cx.plugins.module_utils._connection import (
    build_client,
    connection_argument_spec,
    require_requests,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils.data_actions import (
    check_timeout,
    list_actions,
    sort_by_name,
    summarize,
    timeout_at_most,
    with_explicit_timeout,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils.errors import GenesysCloudError, InvalidInputError, scrub


def argument_spec():
    spec = connection_argument_spec()
    spec.update(
        id=dict(type="str"),
        name=dict(type="str"),
        category=dict(type="str"),
        timeout_at_most=dict(type="int"),
        explicit_timeout=dict(type="bool"),
        include_auth_actions=dict(type="bool", default=False),
        include_config=dict(type="bool", default=False),
        page_size=dict(type="int", default=100),
    )
    return spec


def check_options(params):
    if params["timeout_at_most"] is not None:
        check_timeout(params["timeout_at_most"], "timeout_at_most")
    if params["page_size"] < 1:
        raise InvalidInputError("page_size must be at least 1, got %s." % params["page_size"])
    for key in ("id", "name", "category"):
        if params[key] is not None and not params[key].strip():
            raise InvalidInputError("%s must not be empty." % key)


def run(module, client):
    params = module.params
    actions = list_actions(
        client, ids=[params["id"]] if params["id"] else None, name=params["name"], category=params["category"],
        include_auth_actions=params["include_auth_actions"], page_size=params["page_size"])
    summaries = [summarize(a, include_config=params["include_config"]) for a in actions]
    if params["timeout_at_most"] is not None:
        summaries = timeout_at_most(summaries, params["timeout_at_most"])
    if params["explicit_timeout"] is not None:
        summaries = with_explicit_timeout(summaries, params["explicit_timeout"])
    return False, {"data_actions": sort_by_name(summaries)}, None


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)
    require_requests(module)
    client = None
    try:
        check_options(module.params)
        client = build_client(module.params)
        changed, result, dummy = run(module, client)
    except GenesysCloudError as exc:
        module.fail_json(msg=scrub(str(exc), client.secrets() if client else []))
    module.exit_json(changed=changed, **result)


if __name__ == "__main__":
    main()
