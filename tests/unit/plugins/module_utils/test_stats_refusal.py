# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The words of a refused analytics query: the permission the 403 answer asked for, and what to do."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.genesyscloud.cx.plugins.module_utils import execution_stats as es
from ansible_collections.genesyscloud.cx.plugins.module_utils.errors import PermissionDeniedError


def _refusal(permissions):
    return PermissionDeniedError("missing", permissions=permissions, status=403, method="POST",
                                 path=es.ANALYTICS_QUERY_PATH, correlation_id="corr-7")


def test_a_refusal_naming_the_listings_own_permission_says_the_cause_lies_elsewhere():
    warning = es._permission_warning(_refusal(["integrations:action:view"]))
    assert "(HTTP 403, correlation id corr-7): the answer asked for integrations:action:view;" in warning
    assert "another cause" in warning and "give the OAuth client a role" not in warning


def test_a_refusal_naming_another_permission_names_that_one_to_grant():
    warning = es._permission_warning(_refusal(["analytics:dataAction:view"]))
    assert "the answer asked for analytics:dataAction:view; give the OAuth client a role with it." in warning
    assert "integrations:action:view" not in warning and "another cause" not in warning
