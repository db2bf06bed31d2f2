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


@pytest.mark.parametrize("url,words", [
    ("http://", "has no host name"),
    ("https://:8080", "has no host name"),
    ("http://[::1", "is not a valid URL"),
    ("http://emulator:port/", "is not a valid URL"),
    ("https://api.mypurecloud.com:99999", "is not a valid URL"),
    ("http://exa mple.com", "holds a space"),
    ("https://api.mypurecloud.ie/api/v2/", "without /api/v2"),
    ("https://api.mypurecloud.ie?x=1", "query string"),
    ("ftp://api.mypurecloud.ie", "must start with http:// or https://"),
])
@pytest.mark.parametrize("option", ["api_base_url", "login_base_url"])
def test_an_unusable_base_url_is_refused_with_a_message_naming_the_option(url, words, option):
    with pytest.raises(InvalidInputError) as info:
        if option == "api_base_url":
            resolve_base_urls(None, url)
        else:
            resolve_base_urls(None, "http://127.0.0.1:8080", url)
    message = str(info.value)
    assert option in message and words in message
    assert "https://api.mypurecloud.ie" in message or "/api/v2" in message  # the fix: what a good one looks like


def test_a_base_url_with_credentials_is_refused_without_showing_the_password():
    with pytest.raises(InvalidInputError) as info:
        resolve_base_urls(None, "https://admin:pa55w0rd-Zq@api.mypurecloud.ie")
    message = str(info.value)
    assert "client_id" in message and "admin:********@api.mypurecloud.ie" in message
    assert "pa55w0rd" not in message


def test_ipv6_and_path_prefixes_are_kept():
    assert resolve_base_urls(None, "http://[::1]:8080/") == ("http://[::1]:8080", "http://[::1]:8080")
    assert resolve_base_urls(None, "https://api.example.test/gateway/")[0] == "https://api.example.test/gateway"
