# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Genesys Cloud HTTP client: one keep-alive session, OAuth, retries, rate-limit pacing shared by every
worker (from the inin-ratelimit-* headers and 429s), paging."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

try:
    import requests
    from requests.adapters import HTTPAdapter
    from requests.utils import get_environ_proxies
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError as exc:  # reported by the module with missing_required_lib
    requests = None
    HTTPAdapter = object
    get_environ_proxies = None
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = exc

from ansible_collections.genesyscloud.cx.plugins.module_utils.errors import (
    ApiError,
    AuthenticationError,
    ConnectionFailedError,
    InvalidResponseError,
    OutcomeUnknownError,
    RateLimitedError,
    ServerError,
    body_message,
    error_from_response,
    is_token_throttled,
)

USER_AGENT = "genesyscloud.cx-ansible/0.2.0"  # the version in galaxy.yml (a unit test keeps them equal)
TOKEN_PATH = "/oauth/token"
CORRELATION_HEADER = "ININ-Correlation-Id"
# Answers that say nothing was done, or may have been: a read repeats, a write is settled by a read. 500 is
# among them (the Go SDK retries every 5xx but 501; the Terraform provider and the CLI retry them too).
RETRY_STATUSES = frozenset((500, 502, 503, 504))
# Methods whose repetition cannot change anything more than the first attempt did.
_IDEMPOTENT_METHODS = frozenset(("GET", "HEAD", "OPTIONS"))
_MAX_PAGES = 10000
# A run may outlive many tokens (an OAuth client's tokens can live 5 minutes): each expiry is renewed, as long
# as the tokens keep working. A token refused before it served one request is not renewed again (the
# credentials, not the expiry, are the problem), and this many renewals in one module run is a bug somewhere.
_MAX_RENEWALS = 1000


class RetryPolicy(object):
    """Decides whether and how long to wait before repeating a request; bounded in count and total time."""

    def __init__(self, max_attempts=6, max_total_seconds=120.0, backoff_base=0.5, backoff_max=10.0, rand=None,
                 max_rate_limited_attempts=30, max_rate_limited_seconds=300.0):
        self.max_attempts = max_attempts
        self.max_total_seconds = max_total_seconds
        # A 429 says "not processed, come back after Retry-After": waiting is always safe, so it gets
        # a larger budget than failures whose cause is unknown.
        self.max_rate_limited_attempts = max_rate_limited_attempts
        self.max_rate_limited_seconds = max_rate_limited_seconds
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self._rand = rand or random.random

    def backoff(self, attempt):
        """Exponential backoff with jitter: between half and all of base * 2^(attempt-1), capped."""
        ceiling = min(self.backoff_max, self.backoff_base * (2 ** max(0, attempt - 1)))
        return ceiling * (0.5 + 0.5 * self._rand())

    def delay(self, attempt, elapsed, rate_limited=False, retry_after=None, transient=False, repeatable=True):
        """Seconds to wait before attempt ``attempt + 1``, or None to give up.

        ``rate_limited``: 429 (or token throttling); the request was not processed, so any method may repeat.
        ``transient``: 500/502/503/504 or a dropped connection; only ``repeatable`` requests may repeat.
        """
        if rate_limited:
            if attempt >= self.max_rate_limited_attempts:
                return None
            wait = retry_after if retry_after is not None else self.backoff(attempt)
            return wait if elapsed + wait <= self.max_rate_limited_seconds else None
        if attempt >= self.max_attempts or not (transient and repeatable):
            return None
        wait = self.backoff(attempt)
        return wait if elapsed + wait <= self.max_total_seconds else None


def parse_retry_after(value):
    """Retry-After in seconds (Genesys Cloud sends integer seconds); None when absent or unreadable."""
    if value is None:
        return None
    try:
        seconds = float(str(value).strip())
    except ValueError:
        return None
    return max(0.0, seconds)


class _RetryBudget(object):
    """One request's retries: rate limiting and failures are counted and timed apart, so a long 429
    wait does not use up the few attempts a struggling server gets, nor the other way round."""

    def __init__(self, policy, clock):
        self._policy = policy
        self._clock = clock
        self._limited = 0
        self._limited_since = None
        self._failures = 0
        self._failing_since = None

    def after_rate_limit(self, retry_after):
        """Seconds to wait after a 429 (or throttled token request), or None to give up."""
        self._limited += 1
        if self._limited_since is None:
            self._limited_since = self._clock()
        return self._policy.delay(self._limited, self._clock() - self._limited_since, rate_limited=True,
                                  retry_after=retry_after)

    def after_failure(self, repeatable):
        """Seconds to wait after 500/502/503/504 or a dropped connection, or None to give up."""
        self._failures += 1
        if self._failing_since is None:
            self._failing_since = self._clock()
        return self._policy.delay(self._failures, self._clock() - self._failing_since, transient=True,
                                  repeatable=repeatable)


# The token's rate limit, on every /api/v2 answer. Genesys does not document these headers; they are read as
# the requests allowed per window, the requests counted in the current window, and the seconds until that
# window resets (public SDK logs show answers such as "allowed 180, count 3, reset 3" and "allowed 180,
# count 1, reset 61"). The budget is not a constant (300 a minute is common, 180 was seen): never assume one.
RATE_LIMIT_ALLOWED = "inin-ratelimit-allowed"
RATE_LIMIT_COUNT = "inin-ratelimit-count"
RATE_LIMIT_RESET = "inin-ratelimit-reset"
# Requests of each window left unused, in case the count does not include the request it answers.
_RATE_LIMIT_RESERVE = 1


def parse_rate_limit(headers, max_reset):
    """``(allowed, count, reset_seconds)`` from an answer's inin-ratelimit-* headers, or None.

    Defensive, since the semantics are not documented: a header missing or not a number, a budget below
    1, a negative count, or a reset beyond ``max_reset`` seconds (an epoch time, a daily quota) gives
    None, and the answer does not pace anything; 429 handling still applies.
    """
    if headers is None:
        return None
    try:
        allowed = int(str(headers.get(RATE_LIMIT_ALLOWED)).strip())
        count = int(str(headers.get(RATE_LIMIT_COUNT)).strip())
        reset = float(str(headers.get(RATE_LIMIT_RESET)).strip())
    except (TypeError, ValueError):
        return None
    if allowed < 1 or count < 0 or not 0 <= reset <= max_reset:  # also false for NaN
        return None
    return allowed, count, reset


class _Window(object):
    """What the answers said about the token's current rate-limit window."""

    __slots__ = ("allowed", "count", "ends", "basis", "basis_count")

    def __init__(self, allowed, count, ends, basis):
        self.allowed = allowed
        self.count = count  # the most requests any answer of this window said were counted
        self.ends = ends  # clock time at which the window resets
        # Requests sent when the newest answer known to be counted after all earlier ones was read, and
        # its count: a request sent after that answer was read was counted after it.
        self.basis = basis
        self.basis_count = count


class _RateGate(object):
    """Every worker of a client passes here before each request, so they wait together.

    Two reasons to wait, one shared deadline: a 429 holds every worker until its Retry-After (or the
    client's own backoff), and the rate-limit headers hold every worker *before* a 429 comes, once the
    requests counted in the window plus those still in flight reach its budget, until the window resets.
    """

    def __init__(self, clock, sleep, max_hold=300.0, reserve=_RATE_LIMIT_RESERVE):
        self._clock = clock
        self._sleep = sleep
        self._max_hold = max_hold
        self._reserve = reserve
        self._lock = threading.Lock()
        self._answered = threading.Condition(self._lock)
        self._not_before = 0.0
        self._in_flight = 0
        self._sent = 0
        self._window = None

    def hold_until(self, deadline):
        with self._lock:
            if deadline > self._not_before:
                self._not_before = deadline

    def wait(self):
        """Wait out a hold (429 or a spent window), without taking a place among the requests in flight."""
        while True:
            with self._lock:
                remaining = self._not_before - self._clock()
            if remaining <= 0:
                return
            self._sleep(remaining)

    def enter(self):
        """Wait until one more request fits the rate limit; returns its ticket for ``leave``."""
        while True:
            with self._lock:
                now = self._clock()
                remaining = self._not_before - now
                if remaining <= 0:
                    spare = self._spare(now)
                    if spare is None or spare > 0:
                        self._in_flight += 1
                        self._sent += 1
                        return self._sent
                    if self._in_flight:
                        # The answers on their way say how much of the budget they used; wait for one
                        # (the timeout only guards against a lost wake-up).
                        self._answered.wait(1.0)
                        continue
                    # Nothing in flight and the budget spent: every worker waits for the window to reset.
                    self._not_before = self._window.ends
                    remaining = self._not_before - now
            self._sleep(remaining)

    def leave(self, ticket, headers=None):
        """The request ``ticket`` was answered (``headers``: its headers; None when no answer came)."""
        reading = parse_rate_limit(headers, self._max_hold)
        with self._lock:
            self._in_flight -= 1
            if reading is not None:
                self._learn(ticket, reading, self._clock())
            self._answered.notify_all()

    def _spare(self, now):
        """Requests that may still be sent in this window, or None when no answer said (no pacing)."""
        window = self._window
        if window is None:
            return None
        # Past its reset a new window begins, with nothing counted yet.
        counted = window.count if now < window.ends else 0
        # The requests in flight are not in any count we have seen yet: each may use one more of the budget.
        reserve = min(self._reserve, window.allowed - 1)
        return window.allowed - reserve - counted - self._in_flight

    def _learn(self, ticket, reading, now):
        allowed, count, reset = reading
        window = self._window
        if window is None or (ticket > window.basis and count <= window.basis_count):
            # Counted after the answer we went by, and yet not higher: the count went down, a new window.
            self._window = _Window(allowed, count, now + reset, self._sent)
        elif ticket > window.basis:
            # Counted after it and higher: the same window, further on. Answers overtake each other, so an
            # earlier answer may already have shown a higher count; the highest stands.
            window.allowed, window.count, window.ends = allowed, max(window.count, count), now + reset
            window.basis, window.basis_count = self._sent, count
        elif count > window.count:
            # Sent before that answer was read, so perhaps counted before it: a lower count is old news.
            window.count = count


class GenesysCloudClient(object):
    """Talks to one org: ``get``, ``patch``, ``list_all`` and ``fetch_token``; raises typed errors."""

    def __init__(self, api_base_url, login_base_url, client_id=None, client_secret=None, access_token=None,
                 validate_certs=True, ca_path=None, http_timeout=30, pool_size=10, retry_policy=None,
                 session=None, sleep=time.sleep, clock=time.monotonic):
        self.api_base_url = api_base_url.rstrip("/")
        self.login_base_url = login_base_url.rstrip("/")
        self._client_id = client_id
        self._client_secret = client_secret
        self._token = access_token
        self._known_tokens = [access_token] if access_token else []
        self._renewals = 0
        # Tokens this client requested in place of a rejected one that no answer has accepted yet.
        self._untried = set()
        self._token_lock = threading.Lock()
        self.http_timeout = http_timeout
        self.retry_policy = retry_policy or RetryPolicy()
        self._sleep = sleep
        self._clock = clock
        self._gate = _RateGate(clock, sleep, max_hold=self.retry_policy.max_rate_limited_seconds)
        self.session = session or _new_session(pool_size)
        # How many requests of one listing may go at once: the pool's connections, one kept for the token.
        self.parallel = max(1, int(pool_size) - 1)
        self._verify = ca_path if (validate_certs and ca_path) else bool(validate_certs)
        self.session.verify = self._verify
        # The environment (HTTPS_PROXY, NO_PROXY, REQUESTS_CA_BUNDLE) is read once per host, not by requests
        # on every request (a scan of the whole environment each time); ~/.netrc is never read, so no
        # credentials of its own replace the client's (see _transport).
        self.session.trust_env = False
        self._transports = {}
        self._transports_lock = threading.Lock()
        self.session.headers["User-Agent"] = USER_AGENT
        self.session.headers["Accept"] = "application/json"

    @property
    def has_credentials(self):
        return bool(self._client_id and self._client_secret)

    def secrets(self):
        """Every secret this client knows, so texts can be scrubbed of them."""
        return [s for s in [self._client_secret] + self._known_tokens if s]

    # ---- OAuth -----------------------------------------------------------------------------------
    def fetch_token(self):
        """POST /oauth/token with client credentials; returns the token response (dict)."""
        if not self.has_credentials:
            raise AuthenticationError(
                "no client credentials", hint="Set client_id and client_secret (or GENESYSCLOUD_OAUTHCLIENT_ID "
                "and GENESYSCLOUD_OAUTHCLIENT_SECRET), or give access_token.")
        url = self.login_base_url + TOKEN_PATH
        budget = _RetryBudget(self.retry_policy, self._clock)
        while True:
            try:
                response = self.session.post(
                    url, data={"grant_type": "client_credentials"},
                    auth=(self._client_id, self._client_secret), timeout=self.http_timeout, **self._transport(url))
            except requests.exceptions.SSLError as exc:
                raise self._connection_error(exc, "POST", TOKEN_PATH)
            except _LOST as exc:
                # Asking for another token is harmless, so a lost answer is simply asked again.
                wait = budget.after_failure(True)
                if wait is None:
                    raise self._connection_error(exc, "POST", TOKEN_PATH)
                self._sleep(wait)
                continue
            except _UNSENDABLE as exc:
                raise self._connection_error(exc, "POST", TOKEN_PATH)
            body = _json_or_none(response)
            correlation_id = response.headers.get(CORRELATION_HEADER)
            if response.status_code == 200:
                token = body.get("access_token") if isinstance(body, dict) else None
                if not token:
                    raise InvalidResponseError("the token response has no access_token", status=200,
                                               method="POST", path=TOKEN_PATH, correlation_id=correlation_id)
                self._known_tokens.append(token)
                return body
            throttled = is_token_throttled(response.status_code, body)
            transient = response.status_code in RETRY_STATUSES
            if throttled or transient:
                wait = (budget.after_rate_limit(parse_retry_after(response.headers.get("Retry-After")))
                        if throttled else budget.after_failure(True))
                if wait is not None:
                    self._sleep(wait)
                    continue
                error_type = RateLimitedError if throttled else ServerError
                raise error_type(body_message(body), status=response.status_code, method="POST", path=TOKEN_PATH,
                                 correlation_id=correlation_id,
                                 hint="Token creation is throttled or failing; retry later."
                                 if throttled else None).redact(self.secrets())
            if response.status_code in (400, 401, 403):
                raise AuthenticationError(body_message(body), status=response.status_code, method="POST",
                                          path=TOKEN_PATH, correlation_id=correlation_id).redact(self.secrets())
            raise ApiError(body_message(body), status=response.status_code, method="POST", path=TOKEN_PATH,
                           correlation_id=correlation_id).redact(self.secrets())

    def _bearer(self):
        with self._token_lock:
            if not self._token:
                self._token = self.fetch_token()["access_token"]
            return self._token

    def _renew(self, stale):
        """Replace a rejected token once (per expiry); True when a fresh token is there to retry with."""
        with self._token_lock:
            if self._token != stale:
                return True  # another worker already renewed it
            if not self.has_credentials or stale in self._untried or self._renewals >= _MAX_RENEWALS:
                return False
            self._renewals += 1
            self._token = self.fetch_token()["access_token"]
            self._untried.add(self._token)
            return True

    def pause(self, attempt):
        """Sleep the retry policy's backoff for ``attempt``, for callers that repeat a settled write."""
        self._sleep(self.retry_policy.backoff(attempt))

    # ---- API requests ----------------------------------------------------------------------------
    def get(self, path, params=None):
        return self.request("GET", path, params=params)

    def patch(self, path, body):
        return self.request("PATCH", path, json_body=body)

    def post(self, path, body, params=None, repeatable=False):
        """POST ``body``; ``repeatable`` for read-only POSTs (queries) that are safe to resend after a 5xx."""
        return self.request("POST", path, params=params, json_body=body, repeatable=repeatable)

    def request(self, method, path, params=None, json_body=None, repeatable=None, raw=False, headers=None):
        """Send one API request, retrying what is safe to retry; returns the decoded JSON body.

        ``repeatable`` defaults to whether the method is idempotent; a 429 is retried for any method.
        ``raw``: return the successful ``requests.Response`` itself, for answers that are not JSON (templates).
        ``headers``: this request's own headers over the session's (an ``Accept`` other than JSON, for templates).
        """
        url = self.api_base_url + path
        if repeatable is None:
            repeatable = method in _IDEMPOTENT_METHODS
        budget = _RetryBudget(self.retry_policy, self._clock)
        while True:
            token, response, failure = self._send(method, url, params, json_body, headers)
            if isinstance(failure, requests.exceptions.SSLError):
                raise self._connection_error(failure, method, path)
            if failure is not None:
                wait = budget.after_failure(repeatable)
                if wait is not None:
                    self._sleep(wait)
                    continue
                if not repeatable:
                    raise OutcomeUnknownError("the connection failed (%s)" % type(failure).__name__,
                                              method=method, path=path)
                raise self._connection_error(failure, method, path)
            status = response.status_code
            correlation_id = response.headers.get(CORRELATION_HEADER)
            if status == 401 and self._renew(token):
                continue
            if status != 401:
                self._untried.discard(token)  # accepted: it may be renewed when it expires
            if status == 429:
                # Without Retry-After (the server does not always send it) the budget waits the policy's
                # jittered backoff. The 429's rate-limit headers, read in _send, may hold longer.
                wait = budget.after_rate_limit(parse_retry_after(response.headers.get("Retry-After")))
                if wait is not None:
                    self._gate.hold_until(self._clock() + wait)
                    continue
            if status in RETRY_STATUSES:
                wait = budget.after_failure(repeatable)
                if wait is not None:
                    self._sleep(wait)
                    continue
                if not repeatable:
                    raise OutcomeUnknownError(body_message(_json_or_none(response)) or "no usable answer",
                                              status=status, method=method, path=path,
                                              correlation_id=correlation_id).redact(self.secrets())
            if status >= 400:
                raise error_from_response(status, method, path, _json_or_none(response),
                                          correlation_id).redact(self.secrets())
            if raw:
                return response
            if status == 204 or not response.content:
                return None
            body = _json_or_none(response)
            if body is None:
                raise InvalidResponseError("the answer is not JSON", status=status, method=method, path=path,
                                           correlation_id=correlation_id)
            return body

    def _send(self, method, url, params, json_body, headers=None):
        """One exchange, paced by the rate gate: ``(token, response, None)``, or ``(token, None, error)``
        when the connection failed. The gate learns the answer's rate-limit headers before anyone else acts."""
        ticket = self._gate.enter()
        response = None
        try:
            token = self._bearer()
            sent_headers = dict(headers or {})
            sent_headers["Authorization"] = "Bearer " + token
            try:
                response = self.session.request(
                    method, url, params=params, json=json_body, timeout=self.http_timeout,
                    headers=sent_headers, **self._transport(url))
            except _LOST as exc:
                return token, None, exc
            except _UNSENDABLE as exc:
                raise self._connection_error(exc, method, url[len(self.api_base_url):])
            return token, response, None
        finally:
            self._gate.leave(ticket, None if response is None else response.headers)

    def _transport(self, url):
        """``proxies`` and ``verify`` for requests to ``url``'s host, from the environment as requests itself
        would take them (HTTPS_PROXY / HTTP_PROXY / ALL_PROXY and NO_PROXY; REQUESTS_CA_BUNDLE or
        CURL_CA_BUNDLE when no ca_path is given), read once per scheme and host."""
        scheme, dummy, rest = url.partition("://")
        key = (scheme, rest.split("/", 1)[0])
        found = self._transports.get(key)
        if found is None:
            with self._transports_lock:
                verify = self._verify
                if verify is True:
                    verify = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
                found = self._transports[key] = {"proxies": get_environ_proxies(url), "verify": verify}
        return found

    def list_all(self, path, params=None, page_size=100):
        """Every entity of a paged listing, in page order.

        Page 1 first (it says how many pages there are, and gets the token); then pages 2..pageCount, up to
        ``parallel`` of them at once (the rate-limit gate paces them like any other requests). Where the answer
        gives no pageCount, the nextUri links are followed one page at a time. An entity that a change made
        during the listing moved from one page to the next is kept once.
        """
        def page(number):
            query = dict(params or {})
            query["pageSize"] = page_size
            query["pageNumber"] = number
            return self.get(path, query) or {}

        body = page(1)
        bodies = [body]
        page_count = body.get("pageCount")
        if page_count is not None and body.get("entities"):
            rest = range(2, min(int(page_count), _MAX_PAGES) + 1)
            workers = min(self.parallel, len(rest))
            if workers > 1:
                with ThreadPoolExecutor(max_workers=workers) as pool:
                    bodies.extend(pool.map(page, rest))
            else:
                bodies.extend(page(number) for number in rest)
        elif page_count is None:
            while body.get("nextUri") and body.get("entities") and len(bodies) < _MAX_PAGES:
                body = page(len(bodies) + 1)
                bodies.append(body)
        entities, seen = [], set()
        for body in bodies:
            for entity in body.get("entities") or []:
                key = entity.get("id") if isinstance(entity, dict) else None
                if key is not None:
                    if key in seen:
                        continue
                    seen.add(key)
                entities.append(entity)
        return entities

    def _connection_error(self, exc, method, path):
        name = type(exc).__name__
        hint = None
        base = self.login_base_url if path == TOKEN_PATH else self.api_base_url
        detail = "%s while connecting to %s" % (name, base)
        if isinstance(exc, requests.exceptions.SSLError):
            hint = ("The server certificate could not be verified: set ca_path to the CA bundle that signs it "
                    "(for example behind a TLS-inspecting proxy), or validate_certs: false for a test server only.")
        elif isinstance(exc, requests.exceptions.ProxyError):
            hint = ("The proxy from HTTPS_PROXY / HTTP_PROXY refused or dropped the connection: check the proxy, "
                    "or add the host to NO_PROXY to go around it.")
        elif not isinstance(exc, _LOST):
            # Not a network failure: the request could not even be sent (a URL requests refuses, a CA bundle
            # that cannot be loaded). Its text says which; it names no credential.
            detail = "%s for %s: %s" % (name, base, _first_line(exc))
            hint = "Check api_base_url / login_base_url (or region), ca_path and the proxy settings."
        return ConnectionFailedError(detail, method=method, path=path, hint=hint).redact(self.secrets())


def _first_line(exc):
    text = " ".join(str(exc).split())
    return text if len(text) <= 300 else text[:300] + "..."


if HAS_REQUESTS:
    # No usable answer came: the request may be repeated when that is safe (a body cut off mid-way included).
    _LOST = (requests.exceptions.ConnectionError, requests.exceptions.Timeout,
             requests.exceptions.ChunkedEncodingError)
    # The request could not be sent at all: repeating it cannot help.
    _UNSENDABLE = (requests.exceptions.RequestException, IOError, OSError)
else:
    _LOST = _UNSENDABLE = ()


def _new_session(pool_size):
    session = requests.Session()
    # One connection per worker, kept alive; urllib3 retries are off because this client decides retries.
    adapter = HTTPAdapter(pool_connections=2, pool_maxsize=max(1, int(pool_size)), max_retries=0)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


def _json_or_none(response):
    try:
        return response.json()
    except ValueError:
        return None
