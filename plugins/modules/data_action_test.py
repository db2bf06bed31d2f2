#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: data_action_test
short_description: Run a Genesys Cloud data action's test and report how it went
version_added: 0.2.0
description:
  - Runs the test of one data action, C(POST /api/v2/integrations/actions/{actionId}/test) (or
    C(.../draft/test) for its draft) with the given O(input), and reports whether it succeeded, how long
    it took, and whether it ran into the action's execution timeout.
  - B(A test runs the action's real backend request.) It is not a dry run; a test of an action whose
    request creates or changes something (for example a C(POST) that opens a ticket) creates or changes
    it in the backend system. Test such actions with input meant for testing.
  - Reads the action once, with its configuration, to learn its timeout; then sends the test once. The
    test is never sent again by this module, not even when its answer is lost.
  - A test that fails is a result, not a module failure. The module ends normally with
    RV(success=false) and RV(timed_out) telling whether the action ran into its timeout; use
    C(failed_when) to make a failed test fail the task. The module fails when a request itself fails
    (an unknown action, a missing permission, a connection problem, a lost answer).
  - The effective timeout is C(config.timeoutSeconds), or 60 seconds, the platform default and maximum,
    when the action does not set it.
  - The API has no dedicated signal for a test that ran into the timeout. RV(timed_out) is true when the
    test failed and either its error looks like a timeout (HTTP status 504 in the error body, or a code
    or message that speaks of a timeout, such as C(timed out) or C(timeout)) or the measured
    RV(duration_ms) reached the effective timeout.
  - Custom authentication actions (ids starting C(customAuth_)) run only as part of their integration's
    other actions and are refused. Built-in C(static_) actions can be tested.
  - Genesys Cloud does not log the inputs and outputs of secure actions. For a secure action the module
    returns no RV(output) and leaves the C(result) out of each of RV(operations). The O(input) is still
    part of the task's arguments, so set C(no_log) on the task to keep it out of logs.
  - "Permissions: C(integrations:action:view) (or C(bridge:actions:view)) to read the action, and
    C(integrations:action:execute) (or C(bridge:actions:execute)) to test it; the test of a draft needs
    C(integrations:action:execute)."
author:
  - genesyscloud.cx maintainers (@genesyscloud-cx)
options:
  id:
    description:
      - The id of the data action, for example C(custom_-_3f1c...).
    type: str
  name:
    description:
      - The exact name of the data action. It is an error if no action or several have this name.
    type: str
  input:
    description:
      - The input of the test, a map of the action's input contract's properties to their values. It is
        sent as the body of the test request.
    type: dict
    default: {}
  draft:
    description:
      - Test the action's draft (C(POST .../{actionId}/draft/test)) instead of the published action. The
        draft's own configuration gives the timeout.
      - With O(name), the draft is found by its own name.
    type: bool
    default: false
extends_documentation_fragment:
  - genesyscloud.cx.connection
  - genesyscloud.cx.attributes
attributes:
  check_mode:
    description: Can run in check mode; the module changes nothing in Genesys Cloud either way.
    support: partial
    details:
      - Reads the action and reports its timeouts, but does not run the test, since a test calls the
        action's real backend. RV(success) and RV(timed_out) are then V(null) and RV(skipped) is V(true).
  diff_mode:
    description:
      - The module changes nothing in Genesys Cloud and cannot see what the test did in the backend, so it
        has no diff.
    support: none
notes:
  - The test request waits for an answer at least the action's effective timeout plus 15 seconds, even
    when O(http_timeout) is shorter, so that a slow backend is reported the way Genesys Cloud reports it
    rather than as a lost answer.
seealso:
  - module: genesyscloud.cx.data_action_timeout
  - module: genesyscloud.cx.data_action_info
"""

EXAMPLES = r"""
- name: Raise a timeout and prove it with a test before and after
  module_defaults:
    group/genesyscloud.cx.genesyscloud:
      region: eu-west-1
      client_id: "{{ vault_genesys_client_id }}"
      client_secret: "{{ vault_genesys_client_secret }}"
  block:
    - name: Test the action as it is
      genesyscloud.cx.data_action_test:
        name: Lookup account
        input:
          accountNumber: "TEST-0001"
      register: before

    - name: Raise its timeout when the test ran into it
      genesyscloud.cx.data_action_timeout:
        id: "{{ before.id }}"
        timeout_seconds: 10
      when: before.timed_out

    - name: Test it again; a failed test now fails the play
      genesyscloud.cx.data_action_test:
        id: "{{ before.id }}"
        input:
          accountNumber: "TEST-0001"
      register: after
      # In check mode the test is not run and the task is skipped, so this is not evaluated.
      failed_when: not after.success

- name: Test the draft of an action
  genesyscloud.cx.data_action_test:
    api_base_url: http://127.0.0.1:8080
    client_id: demo-client
    client_secret: demo-secret
    id: custom_-_0b6f6c9e-2f34-4a54-9d5c-4c6f1d1f8a10
    draft: true
    input:
      ticketTitle: "Test ticket, please close"
  register: draft_test

- name: Test a secure action without logging its input
  genesyscloud.cx.data_action_test:
    name: Verify caller PIN
    input:
      pin: "{{ test_pin }}"
  no_log: true
  register: pin_test
"""

RETURN = r"""
id:
  description: The action's id.
  returned: always
  type: str
  sample: custom_-_0b6f6c9e-2f34-4a54-9d5c-4c6f1d1f8a10
name:
  description: The action's name (the draft's, with O(draft=true)).
  returned: always
  type: str
  sample: Lookup account
draft:
  description: Whether the draft was tested.
  returned: always
  type: bool
  sample: false
secure:
  description: Whether the action is secure; then RV(output) and the operations' results are left out.
  returned: always
  type: bool
  sample: false
success:
  description:
    - The test's C(success), as Genesys Cloud reports it. V(null) in check mode, where the test is not run.
  returned: always
  type: bool
  sample: true
duration_ms:
  description:
    - The wall time of the test request in milliseconds, measured by the module, since the API does not
      report one. It includes the network round trip, and any wait the API imposed by rate limiting, so
      it is a little longer than the action's own execution.
    - V(null) in check mode.
  returned: always
  type: int
  sample: 412
timeout_seconds:
  description: The action's configured C(config.timeoutSeconds); V(null) when it sets none.
  returned: always
  type: int
  sample: 10
effective_timeout_seconds:
  description: The timeout the action runs with, RV(timeout_seconds) or 60, the platform default, when unset.
  returned: always
  type: int
  sample: 10
timed_out:
  description:
    - Whether the test failed by running into the action's timeout, as far as the module can tell. The API
      has no dedicated signal, so this is true when the test failed and either its error looks like a timeout (status
      504, or a code or message that speaks of a timeout) or RV(duration_ms) reached the effective timeout.
    - V(null) in check mode.
  returned: always
  type: bool
  sample: false
operations:
  description:
    - The steps of the test as Genesys Cloud reports them (C(step), C(name), C(success), C(result),
      C(error)); C(result) is left out for a secure action. Empty in check mode.
  returned: always
  type: list
  elements: dict
  sample: [{"step": 1, "name": "Execute request", "success": true, "result": {"status": 200}}]
error:
  description: The test's error (a Genesys Cloud error body) when it failed; V(null) otherwise.
  returned: always
  type: dict
  sample: {"status": 504, "code": "action.timeout", "message": "The action timed out after 3000 ms."}
output:
  description: The test's C(finalResult), the action's output.
  returned: when the test succeeded and the action is not secure
  type: dict
  sample: {"accountName": "Example Ltd"}
skipped:
  description: True in check mode, where the test is not run; Ansible then shows the task as skipped.
  returned: in check mode
  type: bool
  sample: true
msg:
  description: The outcome in one line.
  returned: always
  type: str
  sample: succeeded in 412 ms (timeout 10 s)
"""

import time

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.genesyscloud.cx.plugins.module_utils._action_test import (
    check_sample,
    not_run,
    read_action,
    run_test,
    tested_action,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils._connection import (
    build_client,
    connection_argument_spec,
    require_requests,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils.errors import GenesysCloudError, scrub

# The wall clock of the test request; unit tests replace it.
_clock = time.monotonic


def argument_spec():
    spec = connection_argument_spec()
    spec.update(
        id=dict(type="str"),
        name=dict(type="str"),
        input=dict(type="dict", default={}),
        draft=dict(type="bool", default=False),
    )
    return spec


def check_options(params):
    """Everything that can be checked before a request is sent."""
    check_sample(params["id"], params["name"])


def run(module, client):
    """Read the action for its timeout, then run its test once (never in check mode)."""
    params = module.params
    action = read_action(client, params["id"], params["name"], params["draft"])
    if not action.get("id"):
        action = dict(action, id=params["id"])
    result = tested_action(action, params["draft"])
    if module.check_mode:
        return False, not_run(result), None
    return False, run_test(client, result, params["input"], _clock), None


def main():
    module = AnsibleModule(
        argument_spec=argument_spec(),
        mutually_exclusive=[["id", "name"]],
        required_one_of=[["id", "name"]],
        supports_check_mode=True,
    )
    require_requests(module)
    client = None
    try:
        check_options(module.params)
        client = build_client(module.params)
        changed, result, dummy = run(module, client)
    except GenesysCloudError as exc:
        module.fail_json(msg=scrub(str(exc), client.secrets() if client else []), changed=False)
    result["msg"] = scrub(result["msg"], client.secrets())
    module.exit_json(changed=changed, **result)


if __name__ == "__main__":
    main()
