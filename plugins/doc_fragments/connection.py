# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):
    # The connection options every module of the collection takes.
    DOCUMENTATION = r"""
options:
  region:
    description:
      - The Genesys Cloud region of the org, by name (for example V(us-east-1), V(eu-west-1),
        V(ap-southeast-2)) or by its domain (for example V(mypurecloud.ie)).
      - Known names are us-east-1, us-east-2, us-west-2, ca-central-1, sa-east-1, mx-central-1,
        eu-west-1, eu-west-2, eu-central-1, eu-central-2, eusc-de-east-1, me-central-1, ap-south-1,
        ap-northeast-1, ap-northeast-2, ap-northeast-3, ap-southeast-1 and ap-southeast-2.
      - The API host is C(https://api.<domain>) and the login host C(https://login.<domain>).
      - Ignored when O(api_base_url) is set.
      - If not set, the value of the E(GENESYSCLOUD_REGION) environment variable is used.
    type: str
    default: us-east-1
  client_id:
    description:
      - The id of an OAuth client with the client-credentials grant.
      - If not set, the value of the E(GENESYSCLOUD_OAUTHCLIENT_ID) environment variable is used.
    type: str
  client_secret:
    description:
      - The secret of the OAuth client O(client_id).
      - If not set, the value of the E(GENESYSCLOUD_OAUTHCLIENT_SECRET) environment variable is used.
    type: str
  access_token:
    description:
      - A bearer token to use instead of requesting one, for example the RV(genesyscloud.cx.oauth_token#module:access_token)
        of M(genesyscloud.cx.oauth_token) passed through C(module_defaults).
      - When the token is rejected (HTTP 401) and O(client_id) and O(client_secret) are set too, one new
        token is requested; otherwise the module fails.
      - If not set, the value of the E(GENESYSCLOUD_ACCESS_TOKEN) environment variable is used.
    type: str
  api_base_url:
    description:
      - The API base URL, overriding O(region), for example V(http://127.0.0.1:8080) for the emulator.
      - If not set, the value of the E(GENESYSCLOUD_API_BASE_URL) environment variable is used.
    type: str
  login_base_url:
    description:
      - The base URL of the OAuth login service.
      - Defaults to O(api_base_url) with C(//api.) replaced by C(//login.); an O(api_base_url) without
        C(//api.) is used as it is, so one emulator URL serves both.
      - If not set, the value of the E(GENESYSCLOUD_LOGIN_BASE_URL) environment variable is used.
    type: str
  validate_certs:
    description:
      - Whether to verify the TLS certificates of the API and login hosts.
      - Set to V(false) only for a test server.
    type: bool
    default: true
  ca_path:
    description:
      - A CA bundle (PEM file) to verify the TLS certificates with, instead of the system's.
    type: path
  http_timeout:
    description:
      - Seconds to wait for each HTTP request to Genesys Cloud.
      - This is not the data action's execution timeout.
    type: int
    default: 30
  requests_per_minute:
    description:
      - The most API requests the module sends in any 60 seconds, shared by all its parallel requests.
      - Genesys Cloud documents 300 a minute per client-credentials token and no answer tells a client its
        budget (Genesys removed its rate-limit headers in 2021), so the module keeps to this pace itself.
        Set it to the token's limit where an org's limits differ.
      - When Genesys Cloud refuses a request with HTTP 429 although the module was within this pace (a limit
        per org or per endpoint it cannot see), the module lowers its pace to the requests accepted in the last
        60 seconds for the rest of the run.
      - Token requests are not counted. Between 1 and 100000; no value turns pacing off, a high one (for
        example V(100000) for a private test server) makes it never wait.
      - If not set, the value of the E(GENESYSCLOUD_REQUESTS_PER_MINUTE) environment variable is used.
    type: int
    default: 300
requirements:
  - requests
notes:
  - Requests that Genesys Cloud rate limits (HTTP 429) are repeated after its C(Retry-After) (or, without the
    header, the seconds its message names, or else a jittered backoff), every parallel request held meanwhile,
    at most 30 attempts and 300 seconds per request; token requests throttled with HTTP 400 "rate limit
    exceeded" are waited out the same way. Reads that meet HTTP 500, 502, 503, 504 or a dropped connection
    are repeated with a jittered backoff, at most 6 attempts and 120 seconds in all. Updates are never
    resent blindly; an update left unanswered is settled by reading the action again.
  - Error messages carry the HTTP method, path and the C(ININ-Correlation-Id) of the answer, to quote
    to Genesys support. Secrets and tokens never appear in them.
"""
