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

import re
import time

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.genesyscloud.cx.plugins.module_utils._connection import (
    build_client,
    connection_argument_spec,
    require_requests,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils.data_actions import (
    ACTIONS_PATH,
    KIND_CUSTOM_AUTH,
    action_kind,
    action_path,
    effective_timeout,
    list_actions,
    show_timeout,
    timeout_of,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils.errors import (
    GenesysCloudError,
    InvalidInputError,
    InvalidResponseError,
    NotFoundError,
    OutcomeUnknownError,
    PermissionDeniedError,
    body_message,
    scrub,
)

# The test runs the backend for up to the action's timeout; the HTTP wait must outlast it by this much.
TEST_HTTP_MARGIN_SECONDS = 15
EXECUTE_PERMISSIONS = ("integrations:action:execute", "bridge:actions:execute")
DRAFT_EXECUTE_PERMISSIONS = ("integrations:action:execute",)
# "timeout", "timed out", "time-out", "action.timeout"; not the config field name "timeoutSeconds".
_TIMEOUT_WORDS = re.compile(r"time[d]?[\s._-]?out(?!seconds)", re.IGNORECASE)
_TIMEOUT_STATUS = 504

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
    for key in ("id", "name"):
        if params[key] is not None and not params[key].strip():
            raise InvalidInputError("%s must not be empty." % key)
    if params["id"] and action_kind(params["id"]) == KIND_CUSTOM_AUTH:
        raise InvalidInputError(_custom_auth_refusal("id " + params["id"]))


def _custom_auth_refusal(label):
    return ("%s is a custom authentication action; it runs only as part of its integration's other actions "
            "and cannot be tested on its own. Test one of those actions instead." % label)


def read_action(client, params):
    """The action (or its draft) with its config, by id or by exact name; raises unless exactly one."""
    draft = params["draft"]
    if params["id"]:
        path = action_path(params["id"]) + ("/draft" if draft else "")
        try:
            action = client.get(path, {"includeConfig": "true"})
        except NotFoundError as exc:
            if draft:
                exc.hint = ("Action %s has no draft, or no such action exists: test the published action "
                            "(draft: false), or create a draft first." % params["id"])
            raise
        if not isinstance(action, dict):
            raise InvalidResponseError("the action read has no body", method="GET", path=path)
        return action
    name = params["name"]
    if draft:
        query = {"includeConfig": "true", "includeAuthActions": "true", "name": name}
        found = [a for a in client.list_all(ACTIONS_PATH + "/drafts", query) if a.get("name") == name]
        what = "draft of a data action"
    else:
        # Custom-auth actions are listed too, so that naming one is refused with a reason, not "not found".
        found = list_actions(client, name=name, include_auth_actions=True)
        what = "data action"
    if not found:
        raise NotFoundError("no %s is named %r" % (what, name))
    if len(found) > 1:
        raise NotFoundError("%d %ss are named %r (ids %s)" % (
            len(found), what, name, ", ".join(sorted(str(a.get("id")) for a in found))),
            hint="Select the action by id.")
    return found[0]


def looks_like_timeout(result):
    """Whether a failed test's errors say it ran into a timeout.

    The API has no dedicated timeout signal, so this reads the error body (and the failed operations'
    errors): status 504, or a code or message that speaks of a timeout.
    """
    errors = [result.get("error")]
    errors.extend(op.get("error") for op in result.get("operations") or [] if isinstance(op, dict))
    for error in errors:
        if not isinstance(error, dict):
            continue
        if str(error.get("status")).strip() == str(_TIMEOUT_STATUS):
            return True
        text = " ".join(str(error.get(key) or "") for key in ("code", "message", "messageWithParams"))
        if _TIMEOUT_WORDS.search(text):
            return True
    return False


def _operations(result, secure):
    operations = [op for op in result.get("operations") or [] if isinstance(op, dict)]
    if secure:
        # Secure actions' data must not be logged; a step's result can carry the backend's answer.
        operations = [dict((k, v) for k, v in op.items() if k != "result") for op in operations]
    return operations


def _timeout_words(configured):
    """The configured timeout in words, saying what an unset one means."""
    if configured is None:
        return "unset: %d s, the platform default" % effective_timeout(None)
    return show_timeout(configured)


def _ms(number):
    return "{0:,} ms".format(number)


def outcome_message(success, timed_out, duration_ms, configured, error):
    """One line: what happened, in how long, against which timeout."""
    effective = effective_timeout(configured)
    if success:
        return "succeeded in %s (timeout %s)" % (_ms(duration_ms), _timeout_words(configured))
    if timed_out:
        text = "timed out after %s: the effective timeout is %d s" % (_ms(duration_ms), effective)
        if configured is None:
            text += " (unset, the platform default)"
    else:
        text = "failed after %s (timeout %s)" % (_ms(duration_ms), _timeout_words(configured))
    reason = body_message(error)
    return text + ("; error: %s" % reason if reason else "")


def run(module, client):
    """Read the action for its timeout, then run its test once (never in check mode)."""
    params = module.params
    action = read_action(client, params)
    action_id = action.get("id") or params["id"]
    if action_kind(action_id or "") == KIND_CUSTOM_AUTH:
        raise InvalidInputError(_custom_auth_refusal("%r (%s)" % (action.get("name"), action_id)))
    configured = timeout_of(action)
    effective = effective_timeout(configured)
    secure = action.get("secure") is True
    result = {
        "id": action_id,
        "name": action.get("name"),
        "draft": params["draft"],
        "secure": secure,
        "timeout_seconds": configured,
        "effective_timeout_seconds": effective,
    }
    if module.check_mode:
        result.update(success=None, timed_out=None, duration_ms=None, operations=[], error=None, skipped=True,
                      msg="not run in check mode: a test calls the action's real backend (timeout %s)"
                      % _timeout_words(configured))
        return False, result, None

    path = action_path(action_id) + ("/draft/test" if params["draft"] else "/test")
    # A slow backend must be answered by Genesys Cloud (a failed test), not cut off by our own HTTP wait.
    client.http_timeout = max(client.http_timeout, effective + TEST_HTTP_MARGIN_SECONDS)
    started = _clock()
    try:
        answer = client.post(path, params["input"] or {})
    except OutcomeUnknownError as exc:
        exc.hint = ("The test was sent but its answer was lost, so whether the backend ran it is unknown; "
                    "it was not sent again. Check the backend before testing again.")
        raise
    except PermissionDeniedError as exc:
        needed = DRAFT_EXECUTE_PERMISSIONS if params["draft"] else EXECUTE_PERMISSIONS
        if not any(p in exc.permissions for p in needed):
            # The 403 named nothing usable; a test needs an execute permission whatever the body says.
            exc.permissions = list(needed)
            exc.hint = "Give the OAuth client a role with one of these permissions: %s." % ", ".join(needed)
        raise
    duration_ms = int(round((_clock() - started) * 1000))
    if not isinstance(answer, dict):
        raise InvalidResponseError("the test answer is not a TestExecutionResult", method="POST", path=path)

    success = answer.get("success") is True
    error = answer.get("error") if isinstance(answer.get("error"), dict) else None
    timed_out = not success and (looks_like_timeout(answer) or duration_ms >= effective * 1000)
    result.update(
        success=success,
        duration_ms=duration_ms,
        timed_out=timed_out,
        operations=_operations(answer, secure),
        error=error,
        msg=outcome_message(success, timed_out, duration_ms, configured, error),
    )
    if success and not secure:
        result["output"] = answer.get("finalResult")
    return False, result, None


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
