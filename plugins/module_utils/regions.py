# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Genesys Cloud regions and the API/login base URLs they resolve to."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.genesyscloud.cx.plugins.module_utils.errors import InvalidInputError

DEFAULT_REGION = "us-east-1"

# Region name -> domain; API host is api.<domain>, login host is login.<domain>.
REGIONS = {
    "us-east-1": "mypurecloud.com",
    "us-east-2": "use2.us-gov-pure.cloud",
    "us-west-2": "usw2.pure.cloud",
    "ca-central-1": "cac1.pure.cloud",
    "sa-east-1": "sae1.pure.cloud",
    "mx-central-1": "mxc1.pure.cloud",
    "eu-west-1": "mypurecloud.ie",
    "eu-west-2": "euw2.pure.cloud",
    "me-central-1": "mec1.pure.cloud",
    "ap-northeast-2": "apne2.pure.cloud",
    "ap-northeast-3": "apne3.pure.cloud",
    "ap-south-1": "aps1.pure.cloud",
    "ap-southeast-1": "apse1.pure.cloud",
    "ap-southeast-2": "mypurecloud.com.au",
    "ap-northeast-1": "mypurecloud.jp",
    "eu-central-1": "mypurecloud.de",
    "eu-central-2": "euc2.pure.cloud",
    "eusc-de-east-1": "edee1.eusc-pure.cloud",
}

_DOMAINS = frozenset(REGIONS.values())


def region_domain(region):
    """Return the domain for a region name or a domain (``mypurecloud.ie``, ``api.mypurecloud.ie``)."""
    value = (region or DEFAULT_REGION).strip().lower()
    if value in REGIONS:
        return REGIONS[value]
    for prefix in ("https://", "http://"):
        if value.startswith(prefix):
            value = value[len(prefix):]
    value = value.rstrip("/")
    for prefix in ("api.", "login."):
        if value.startswith(prefix):
            value = value[len(prefix):]
    if value in _DOMAINS:
        return value
    raise InvalidInputError(
        "Unknown region %r. Use a region name (%s) or its domain (%s), or set api_base_url."
        % (region, ", ".join(sorted(REGIONS)), ", ".join(sorted(_DOMAINS))))


def login_url_for(api_base_url):
    """Login base URL for an API base URL: ``//api.`` becomes ``//login.``, any other URL serves both."""
    if "//api." in api_base_url:
        return api_base_url.replace("//api.", "//login.", 1)
    return api_base_url


def resolve_base_urls(region=None, api_base_url=None, login_base_url=None):
    """Return ``(api_base_url, login_base_url)`` without trailing slashes; explicit URLs win over the region."""
    if api_base_url:
        api = api_base_url.strip().rstrip("/")
        if not api.startswith(("http://", "https://")):
            raise InvalidInputError("api_base_url must start with http:// or https://, got %r." % api_base_url)
    else:
        api = "https://api." + region_domain(region)
    if login_base_url:
        login = login_base_url.strip().rstrip("/")
        if not login.startswith(("http://", "https://")):
            raise InvalidInputError("login_base_url must start with http:// or https://, got %r." % login_base_url)
    else:
        login = login_url_for(api)
    return api, login
