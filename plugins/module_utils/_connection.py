# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the genesyscloud.cx collection and may change in
# any release. The connection options are documented in plugins/doc_fragments/connection.py.

"""Connection options shared by every module (documented in doc_fragments/connection.py)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os

from ansible.module_utils.basic import env_fallback, missing_required_lib
from ansible.module_utils.common.warnings import warn as module_warn

from ansible_collections.genesyscloud.cx.plugins.module_utils.client import (
    DEFAULT_REQUESTS_PER_MINUTE,
    HAS_REQUESTS,
    MAX_REQUESTS_PER_MINUTE,
    REQUESTS_IMPORT_ERROR,
    GenesysCloudClient,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils.errors import InvalidInputError
from ansible_collections.genesyscloud.cx.plugins.module_utils.regions import DEFAULT_REGION, resolve_base_urls

DEFAULT_HTTP_TIMEOUT = 30


def connection_argument_spec():
    """The argument spec of the connection options, with their environment fallbacks."""
    return dict(
        region=dict(type="str", default=DEFAULT_REGION, fallback=(env_fallback, ["GENESYSCLOUD_REGION"])),
        client_id=dict(type="str", fallback=(env_fallback, ["GENESYSCLOUD_OAUTHCLIENT_ID"])),
        client_secret=dict(type="str", no_log=True, fallback=(env_fallback, ["GENESYSCLOUD_OAUTHCLIENT_SECRET"])),
        access_token=dict(type="str", no_log=True, fallback=(env_fallback, ["GENESYSCLOUD_ACCESS_TOKEN"])),
        api_base_url=dict(type="str", fallback=(env_fallback, ["GENESYSCLOUD_API_BASE_URL"])),
        login_base_url=dict(type="str", fallback=(env_fallback, ["GENESYSCLOUD_LOGIN_BASE_URL"])),
        validate_certs=dict(type="bool", default=True),
        ca_path=dict(type="path"),
        http_timeout=dict(type="int", default=DEFAULT_HTTP_TIMEOUT),
        requests_per_minute=dict(type="int", default=DEFAULT_REQUESTS_PER_MINUTE,
                                 fallback=(env_fallback, ["GENESYSCLOUD_REQUESTS_PER_MINUTE"])),
    )


def require_requests(module):
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib("requests"), exception=str(REQUESTS_IMPORT_ERROR))


def build_client(params, pool_size=10, require_credentials=False, warnings=None, warn=None, waits=None):
    """A GenesysCloudClient from the connection options; raises InvalidInputError before any request.
    ``waits``: the run's Waits (ControllerWatch.waits), so that a stop ends every wait of the client."""
    api_base_url, login_base_url = resolve_base_urls(
        params.get("region"), params.get("api_base_url"), params.get("login_base_url"))
    client_id, client_secret = params.get("client_id"), params.get("client_secret")
    if bool(client_id) != bool(client_secret):
        raise InvalidInputError("client_id and client_secret go together; %s is missing." % (
            "client_secret" if client_id else "client_id"))
    access_token = None if require_credentials else params.get("access_token")
    if not (client_id or access_token):
        raise InvalidInputError(
            "No credentials: set client_id and client_secret (or GENESYSCLOUD_OAUTHCLIENT_ID and "
            "GENESYSCLOUD_OAUTHCLIENT_SECRET)%s." % ("" if require_credentials else ", or access_token"))
    http_timeout = params.get("http_timeout")
    http_timeout = DEFAULT_HTTP_TIMEOUT if http_timeout is None else http_timeout
    if http_timeout < 1:
        raise InvalidInputError("http_timeout must be at least 1 second, got %s." % http_timeout)
    requests_per_minute = params.get("requests_per_minute")
    requests_per_minute = DEFAULT_REQUESTS_PER_MINUTE if requests_per_minute is None else requests_per_minute
    if not 1 <= requests_per_minute <= MAX_REQUESTS_PER_MINUTE:
        raise InvalidInputError("requests_per_minute must be between 1 and %d, got %s (Genesys Cloud documents 300 a "
                                "minute per token)." % (MAX_REQUESTS_PER_MINUTE, requests_per_minute))
    validate_certs = params.get("validate_certs", True)
    ca_path = params.get("ca_path")
    if validate_certs and ca_path:
        _check_ca_path(ca_path)
    unverified = [url for url in (api_base_url, login_base_url) if url.startswith("https://")]
    if not validate_certs and unverified:
        # Warned through ``warn`` (the module's own warn: an action plugin's worker running the module's code
        # returns its warnings itself) or the module's global warnings (AnsibleModule returns them with the
        # result), and added to ``warnings`` when the caller keeps its own list.
        text = ("validate_certs is false: the TLS certificate of %s is not verified, so anyone on the network path "
                "could read the token and the client secret and change what is sent. Use it with a test server only; "
                "for a private or TLS-inspecting proxy's CA, set ca_path instead." % " and ".join(sorted(set(unverified))))
        (warn or module_warn)(text)
        if warnings is not None:
            warnings.append(text)
    return GenesysCloudClient(
        api_base_url, login_base_url, client_id=client_id, client_secret=client_secret,
        access_token=access_token, validate_certs=validate_certs,
        ca_path=ca_path, http_timeout=http_timeout, pool_size=pool_size, requests_per_minute=requests_per_minute,
        waits=waits)


def _check_ca_path(ca_path):
    """A CA bundle (a PEM file) or a directory of hashed certificates, readable: requests would otherwise
    raise from deep inside its adapter, and only once the first request is on its way."""
    if not os.path.exists(ca_path):
        raise InvalidInputError(
            "ca_path %s does not exist (on the host the module runs on). Give the path of the PEM file of the CA "
            "that signs the server's certificate, or leave ca_path out to use the system's CAs." % ca_path)
    if os.path.isdir(ca_path):
        return
    try:
        with open(ca_path, "rb") as stream:
            head = stream.read(1 << 20)
    except (IOError, OSError) as exc:
        raise InvalidInputError("ca_path %s cannot be read (%s); make it readable by the user Ansible runs as."
                                % (ca_path, exc.strerror or exc))
    if b"-----BEGIN CERTIFICATE-----" not in head:
        raise InvalidInputError(
            "ca_path %s holds no PEM certificate (no -----BEGIN CERTIFICATE----- line). Give the CA bundle in PEM "
            "format (convert a DER .cer or .crt file with: openssl x509 -inform der -in ca.cer -out ca.pem)." % ca_path)
