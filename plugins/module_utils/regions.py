# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Genesys Cloud regions and the API/login base URLs they resolve to."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from urllib.parse import urlsplit

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


def _base_url(value, option):
    """``value`` without trailing slashes, once it is a URL requests can send to; InvalidInputError otherwise.

    Checked here, before any request, so a typo gives a message that names the option instead of a traceback
    from deep inside requests.
    """
    given = value.strip()
    url = given.rstrip("/")
    example = " (for example https://api.mypurecloud.ie, or http://127.0.0.1:8080 for the emulator)"
    if not given.startswith(("http://", "https://")):
        raise InvalidInputError("%s must start with http:// or https://, got %r%s." % (option, value, example))
    try:
        parts = urlsplit(given)
        port = parts.port  # reading it checks it: "host:port" or ":99999" raise ValueError
        host = parts.hostname
    except ValueError as exc:
        raise InvalidInputError("%s %r is not a valid URL (%s); give the scheme and the host%s."
                                % (option, _without_password(value), exc, example))
    problem = ("it has no host name" if not host else "it holds a space" if any(c.isspace() for c in given)
               else "its port is 0" if port == 0 else None)
    if problem:
        raise InvalidInputError("%s %r is not a valid URL: %s%s." % (option, _without_password(value), problem, example))
    if parts.username is not None or parts.password is not None:
        # requests would send them as Basic credentials in place of the token; never echo a password.
        raise InvalidInputError("%s must not carry a user name or password (%r); give client_id and client_secret."
                                % (option, _without_password(value)))
    if parts.query or parts.fragment:
        raise InvalidInputError("%s must not carry a query string or fragment, got %r%s." % (option, value, example))
    if parts.path.rstrip("/").endswith("/api/v2"):
        raise InvalidInputError("%s is the server's base URL without /api/v2 (the modules add it), got %r."
                                % (option, value))
    return url


def _without_password(value):
    """The URL as given, its password (if any) replaced, for messages."""
    text = str(value)
    at = text.rfind("@")
    scheme_end = text.find("://")
    if at > scheme_end >= 0 and ":" in text[scheme_end + 3:at]:
        user = text[scheme_end + 3:at].split(":", 1)[0]
        return "%s%s:********%s" % (text[:scheme_end + 3], user, text[at:])
    return text


def resolve_base_urls(region=None, api_base_url=None, login_base_url=None):
    """Return ``(api_base_url, login_base_url)`` without trailing slashes; explicit URLs win over the region."""
    if api_base_url:
        api = _base_url(api_base_url, "api_base_url")
    else:
        api = "https://api." + region_domain(region)
    if login_base_url:
        login = _base_url(login_base_url, "login_base_url")
    else:
        login = login_url_for(api)
    return api, login
