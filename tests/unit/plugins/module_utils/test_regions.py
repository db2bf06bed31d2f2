# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.genesyscloud.cx.plugins.module_utils.errors import InvalidInputError
from ansible_collections.genesyscloud.cx.plugins.module_utils.regions import REGIONS, resolve_base_urls
from tests.fact_sheet import REGIONS as FACT_SHEET


def test_every_region_of_the_fact_sheet_is_known():
    assert REGIONS == FACT_SHEET


@pytest.mark.parametrize("region,domain", sorted(FACT_SHEET.items()))
def test_region_by_name_or_domain_gives_api_and_login_hosts(region, domain):
    expected = ("https://api." + domain, "https://login." + domain)
    assert resolve_base_urls(region) == expected
    assert resolve_base_urls(domain) == expected
    assert resolve_base_urls("api." + domain) == expected


def test_default_region_is_us_east_1():
    assert resolve_base_urls(None) == ("https://api.mypurecloud.com", "https://login.mypurecloud.com")


def test_region_names_are_case_insensitive():
    assert resolve_base_urls(" EU-West-1 ")[0] == "https://api.mypurecloud.ie"


def test_unknown_region_is_an_error_listing_the_choices():
    with pytest.raises(InvalidInputError) as info:
        resolve_base_urls("eu-north-7")
    assert "eu-north-7" in str(info.value)
    assert "eu-west-1" in str(info.value) and "api_base_url" in str(info.value)


def test_api_base_url_overrides_region_and_login_is_derived():
    assert resolve_base_urls("eu-west-1", "https://api.example.test/") == (
        "https://api.example.test", "https://login.example.test")


def test_api_base_url_without_api_host_serves_login_too():
    assert resolve_base_urls(None, "http://127.0.0.1:8080") == ("http://127.0.0.1:8080", "http://127.0.0.1:8080")


def test_explicit_login_base_url_wins():
    assert resolve_base_urls(None, "http://127.0.0.1:8080", "http://127.0.0.1:9090/") == (
        "http://127.0.0.1:8080", "http://127.0.0.1:9090")


def test_base_url_without_scheme_is_refused():
    with pytest.raises(InvalidInputError):
        resolve_base_urls(None, "api.mypurecloud.ie")
