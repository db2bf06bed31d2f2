# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fidelity: the official Genesys Cloud Python SDK talks to the emulator and gets its own models back.

No response is patched: if the emulator's JSON did not fit the SDK's swagger models, deserialization
would fail or lose values, and these assertions would catch it.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime

import PureCloudPlatformClientV2 as sdk  # the official SDK: a dev dependency (requirements-dev.txt)
import pytest
from PureCloudPlatformClientV2.rest import ApiException

from tests.emulator.harness import Emulator

from .conftest import FAST, FUNC, SEED, SLOW


@pytest.fixture(scope="module")
def client():
    with Emulator(args=["--random-seed", "3", "--time-scale", "0.01"], seed=SEED) as emu:
        api_client = sdk.api_client.ApiClient(host=emu.url)
        # The SDK derives its login host by replacing //api. with //login.: a 127.0.0.1 URL stays as is.
        assert api_client.get_conf_url("login", emu.url) == emu.url
        api_client.get_client_credentials_token("a-admin", "a-secret")
        yield emu, api_client


def test_sdk_round_trip(client):
    emu, api_client = client
    assert api_client.access_token
    integrations = sdk.IntegrationsApi(api_client)

    listing = integrations.get_integrations_actions(page_size=50, include_config=True, sort_by="name")
    assert isinstance(listing, sdk.ActionEntityListing)
    assert listing.total == 6 and listing.page_size == 50 and listing.page_count == 1
    assert listing.first_uri.startswith("/api/v2/integrations/actions?pageSize=50")
    by_id = {a.id: a for a in listing.entities}
    slow = by_id[SLOW]
    assert isinstance(slow, sdk.Action) and isinstance(slow.config, sdk.ActionConfig)
    assert slow.config.timeout_seconds == 2 and slow.version == 3
    assert slow.config.request.request_type == "GET"
    assert slow.config.response.translation_map == {"tier": "$.tier"}

    plain = integrations.get_integrations_action(SLOW)
    assert plain.config is None, "config only with includeConfig"
    with_contract = integrations.get_integrations_action(SLOW, expand="contract", include_config=True)
    assert isinstance(with_contract.contract, sdk.ActionContract)

    body = sdk.UpdateActionInput()
    body.version = slow.version
    body.config = slow.config
    body.config.timeout_seconds = 10
    updated = integrations.patch_integrations_action(SLOW, body)
    assert isinstance(updated, sdk.Action)
    assert updated.version == 4 and updated.config.timeout_seconds == 10
    assert emu.actions("org-a")[SLOW]["config"]["timeoutSeconds"] == 10

    stale = sdk.UpdateActionInput()
    stale.version = 3
    stale.name = "stale"
    with pytest.raises(ApiException) as conflict:
        integrations.patch_integrations_action(SLOW, stale)
    assert conflict.value.status == 409
    text = conflict.value.body
    assert "does not match the current version" in (text.decode() if isinstance(text, bytes) else text)
    assert emu.actions("org-a")[SLOW]["name"] == "Lookup Account"

    draft = integrations.post_integrations_action_draft(FAST)
    assert isinstance(draft, sdk.Action) and draft.version == 1
    draft_body = sdk.UpdateDraftInput()
    draft_body.version = 1
    draft_body.config = draft.config
    draft_body.config.timeout_seconds = 20
    patched = integrations.patch_integrations_action_draft(FAST, draft_body)
    assert patched.version == 2 and patched.config.timeout_seconds == 20
    publish = sdk.PublishDraftInput()
    publish.version = 2
    published = integrations.post_integrations_action_draft_publish(FAST, publish)
    assert published.version == 2 and published.config.timeout_seconds == 20

    result = integrations.post_integrations_action_test(FAST, {"id": "1"})
    assert isinstance(result, sdk.TestExecutionResult) and result.success is True
    assert isinstance(result.operations[0], sdk.TestExecutionOperationResult)
    assert result.final_result["tier"] == "sample-tier"

    function = integrations.get_integrations_action_function(FUNC)
    assert isinstance(function, sdk.FunctionConfig)
    assert function.function.timeout_seconds == 8 and function.zip.status == "Available"
    assert isinstance(function.function.date_created, datetime.datetime)
    func_draft = integrations.post_integrations_action_draft(FUNC)
    draft_function = integrations.get_integrations_action_draft_function(FUNC)
    # PUT takes a Function, not the FunctionConfig read: the function's fields as read, timeout changed.
    new_function = sdk.Function()
    new_function.description = draft_function.function.description
    new_function.handler = draft_function.function.handler
    new_function.runtime = draft_function.function.runtime
    new_function.zip_id = draft_function.function.zip_id
    new_function.timeout_seconds = 12
    saved = integrations.put_integrations_action_draft_function(FUNC, new_function)
    assert isinstance(saved, sdk.FunctionConfig) and saved.function.timeout_seconds == 12
    assert integrations.get_integrations_action_draft_function(FUNC).function.timeout_seconds == 12
    incomplete = sdk.Function()
    incomplete.timeout_seconds = 15
    incomplete.handler = "src/index.handler"
    with pytest.raises(ApiException) as refused:
        integrations.put_integrations_action_draft_function(FUNC, incomplete)
    assert refused.value.status == 400
    publish = sdk.PublishDraftInput()
    publish.version = func_draft.version
    integrations.post_integrations_action_draft_publish(FUNC, publish)
    assert integrations.get_integrations_action_function(FUNC).function.timeout_seconds == 12

    request_template = integrations.get_integrations_action_template(SLOW, "requesttemplate.vm")
    assert request_template == "${input.rawRequest}"
    success_template = integrations.get_integrations_action_template(SLOW, "successtemplate.vm")
    assert success_template == emu.actions("org-a")[SLOW]["config"]["response"]["successTemplate"]
    integrations.post_integrations_action_draft(SLOW)
    assert integrations.get_integrations_action_draft_template(SLOW, "successtemplate.vm") == success_template
    drafts = integrations.get_integrations_actions_drafts(include_config=True)
    assert isinstance(drafts, sdk.ActionEntityListing) and [d.id for d in drafts.entities] == [SLOW]

    integration = integrations.get_integration(slow.integration_id)
    assert isinstance(integration, sdk.Integration)
    assert integration.integration_type.id == "custom-rest-actions"

    query = sdk.ActionAggregationQuery()
    end = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
    query.interval = "%s/%s" % ((end - datetime.timedelta(days=8)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                                end.strftime("%Y-%m-%dT%H:%M:%SZ"))
    query.metrics = ["tTotalExecution"]
    query.group_by = ["actionId"]
    predicate = sdk.ActionAggregateQueryPredicate()
    predicate.type = "dimension"
    predicate.dimension = "actionId"
    predicate.operator = "matches"
    predicate.value = SLOW
    query.filter = sdk.ActionAggregateQueryFilter()
    query.filter.type = "and"
    query.filter.predicates = [predicate]
    view = sdk.ActionAggregationView()
    view.target = "tTotalExecution"
    view.name = "over1s"
    view.function = "rangeBound"
    view.range = sdk.AggregationRange()
    view.range.gte = 1000
    query.views = [view]
    analytics = sdk.AnalyticsApi(api_client).post_analytics_actions_aggregates_query(query)
    assert isinstance(analytics, sdk.ActionAggregateQueryResponse)
    [group] = analytics.results
    assert group.group == {"actionId": SLOW}
    stats = group.data[0].metrics[0].stats
    assert isinstance(stats, sdk.StatisticalSummary)
    assert stats.count == 5 and stats.min == 100 and stats.p95 >= 2000 and stats.p99 >= 2000
    assert group.data[0].views[0].name == "over1s" and group.data[0].views[0].stats.count == 1


@pytest.fixture(scope="module")
def uri_client():
    args = ["--random-seed", "3", "--templates-by-uri", "1", "--patch-answer", "without-config",
            "--conflict-wording", "b", "--conflict-status", "400"]
    with Emulator(args=args, seed=SEED) as emu:
        api_client = sdk.api_client.ApiClient(host=emu.url)
        api_client.get_client_credentials_token("a-admin", "a-secret")
        yield emu, api_client


def test_sdk_reads_template_uris_and_a_patch_answer_without_config(uri_client):
    emu, api_client = uri_client
    integrations = sdk.IntegrationsApi(api_client)
    listing = integrations.get_integrations_actions(page_size=50, include_config=True)
    slow = {a.id: a for a in listing.entities}[SLOW]
    request = slow.config.request
    assert isinstance(request, sdk.RequestConfig) and request.request_template is None
    assert request.request_template_uri == "/api/v2/integrations/actions/%s/templates/requesttemplate.vm" % SLOW
    assert slow.config.response.success_template is None
    assert slow.config.response.success_template_uri.endswith("/%s/templates/successtemplate.vm" % SLOW)
    assert slow.config.response.translation_map == {"tier": "$.tier"}
    read = integrations.get_integrations_action(SLOW, include_config=True)
    assert read.config.request.request_template_uri == request.request_template_uri

    # What the Terraform provider does: read both templates, send them inline.
    body = sdk.UpdateActionInput()
    body.version = slow.version
    body.config = slow.config
    body.config.timeout_seconds = 10
    body.config.request.request_template = integrations.get_integrations_action_template(SLOW, "requesttemplate.vm")
    body.config.response.success_template = integrations.get_integrations_action_template(SLOW, "successtemplate.vm")
    updated = integrations.patch_integrations_action(SLOW, body)
    assert isinstance(updated, sdk.Action) and updated.config is None, "the answer carries no config"
    assert updated.version == slow.version + 1
    held = emu.actions("org-a")[SLOW]["config"]
    assert held["timeoutSeconds"] == 10 and held["response"]["successTemplate"] == "{\"tier\": ${tier}}"

    body = sdk.UpdateActionInput()
    body.version = slow.version
    body.name = "stale"
    with pytest.raises(ApiException) as conflict:
        integrations.patch_integrations_action(SLOW, body)
    assert conflict.value.status == 400
    error = api_client.deserialize(_FakeResponse(conflict.value.body), "ErrorBody")
    assert error.code == "version.mismatch" and "version" in error.message

    draft = integrations.post_integrations_action_draft(FAST)
    assert draft.config.request.request_template_uri.endswith("/%s/draft/templates/requesttemplate.vm" % FAST)
    draft_body = sdk.UpdateDraftInput()
    draft_body.version = draft.version
    draft_body.config = draft.config
    draft_body.config.timeout_seconds = 20
    patched = integrations.patch_integrations_action_draft(FAST, draft_body)
    assert patched.config is None and patched.version == draft.version + 1


def test_sdk_sees_permission_errors_as_error_bodies(client):
    emu, dummy = client
    reader = sdk.api_client.ApiClient(host=emu.url)
    reader.get_client_credentials_token("a-reader", "r-secret")
    body = sdk.UpdateActionInput()
    body.version = 1
    body.name = "x"
    with pytest.raises(ApiException) as denied:
        sdk.IntegrationsApi(reader).patch_integrations_action(FAST, body)
    assert denied.value.status == 403
    error = reader.deserialize(_FakeResponse(denied.value.body), "ErrorBody")
    assert error.code == "missing.any.permissions" and error.context_id
    assert "integrations:action:edit" in error.message_params["permissions"]


class _FakeResponse:
    """What ApiClient.deserialize reads from a response: the raw body and its content type."""

    def __init__(self, data):
        self.data = data.decode("utf-8") if isinstance(data, bytes) else data

    @staticmethod
    def getheader(name, default=None):
        return "application/json" if name.lower() == "content-type" else default
