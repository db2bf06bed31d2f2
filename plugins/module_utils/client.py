# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Genesys Cloud HTTP client: one keep-alive session, OAuth, retries, paging, and the token's rate limit kept
on the client side (a sliding window and 429 holds shared by every worker, learning from 429s)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import collections
import os
import random
import re
import threading
import time

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

from ansible_collections.genesyscloud.cx.plugins.module_utils._interruption import Waits, map_in_helpers
from ansible_collections.genesyscloud.cx.plugins.module_utils.errors import (
    ApiError,
    AuthenticationError,
    ConnectionFailedError,
    InvalidResponseError,
    OutcomeUnknownError,
    RateLimitedError,
    RunStoppedError,
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


# Token throttling says how long to wait in words: "rate limit exceeded; retry after 12 seconds".
_TOKEN_RETRY_AFTER = re.compile(r"retry after (\d+(?:\.\d+)?) second", re.IGNORECASE)


def token_retry_after(body):
    """The seconds a throttled token answer's description (or error_description) says to wait, or None."""
    if not isinstance(body, dict):
        return None
    for key in ("description", "error_description"):
        found = _TOKEN_RETRY_AFTER.search(str(body.get(key) or ""))
        if found:
            return float(found.group(1))
    return None


class _RetryBudget(object):
    """One request's retries: rate limiting and failures are counted and timed apart, so a long 429
    wait does not use up the few attempts a struggling server gets, nor the other way round."""

    def __init__(self, policy, clock):
        self._policy = policy
        self._clock = clock
        self.rate_limited = 0
        self._limited_since = None
        self._failures = 0
        self._failing_since = None

    def after_rate_limit(self, retry_after):
        """Seconds to wait after a 429 (or throttled token request), or None to give up."""
        self.rate_limited += 1
        if self._limited_since is None:
            self._limited_since = self._clock()
        return self._policy.delay(self.rate_limited, self._clock() - self._limited_since, rate_limited=True,
                                  retry_after=retry_after)

    def after_failure(self, repeatable):
        """Seconds to wait after 500/502/503/504 or a dropped connection, or None to give up."""
        self._failures += 1
        if self._failing_since is None:
            self._failing_since = self._clock()
        return self._policy.delay(self._failures, self._clock() - self._failing_since, transient=True,
                                  repeatable=repeatable)


# The documented budget of a client-credentials token (organization limit client.credentials.token.rate.per.minute).
# No answer tells a client its budget (Genesys removed its rate-limit headers in 2021): it paces itself.
DEFAULT_REQUESTS_PER_MINUTE = 300
MAX_REQUESTS_PER_MINUTE = 100000
PACING_WINDOW_SECONDS = 60.0
# A 429 that says to wait at least this long comes from a spent window, not a passing refusal: the pace is learned
# from it. Shorter waits (an overloaded endpoint says 1 s) are only waited out.
_WINDOW_LIMIT_WAIT = 2.0
# "Rate limit exceeded the maximum. Retry the request in [42] seconds": the normalized 429's message.
_RETRY_SECONDS_RE = re.compile(r"\[\s*(\d+(?:\.\d+)?)\s*\]\s*seconds?", re.IGNORECASE)


def retry_seconds_in_message(body):
    """The seconds a 429's ErrorBody message asks to wait ("... Retry the request in [42] seconds"), or None."""
    message = body.get("message") if isinstance(body, dict) else None
    match = _RETRY_SECONDS_RE.search(message) if isinstance(message, str) else None
    return float(match.group(1)) if match else None


class _Pacer(object):
    """Every worker of a client passes here before each API request, so they share one budget and one hold.

    The budget: at most ``pace`` requests in any PACING_WINDOW_SECONDS. A request takes its place when it is sent
    and keeps it until a window after its answer (or after its connection failed): a server that counts it on
    arrival, anywhere between the two, then never sees more than ``pace`` in any window of its own, sliding or fixed.
    The hold: a 429 stops every worker until its wait is over. A 429 that says a window is spent while this client
    was under its own budget means a limit it cannot see (per org, per endpoint, other clients of the org): the pace
    drops, for the rest of the run, to the requests accepted in the last window, so that the run does not keep
    meeting it; but at most by half at a time (once per hold, however many workers met that 429), since a limit
    the org shares with other clients says little about this run's share.
    """

    def __init__(self, clock, waits, requests_per_minute=DEFAULT_REQUESTS_PER_MINUTE, window=PACING_WINDOW_SECONDS):
        self._clock = clock
        self._waits = waits
        self._window = float(window)
        self.requests_per_minute = int(requests_per_minute)
        self.pace = self.requests_per_minute
        self._lock = threading.Lock()
        self._answered = threading.Condition(self._lock)
        self._taken = collections.deque()  # when each request of the window was answered, oldest first
        self._accepted = collections.deque()  # when each answer that was not a 429 came, oldest first
        self._in_flight = 0
        self._not_before = 0.0
        # What the run met: 429s, and the time any worker waited (pacing, holds), each counted once however many
        # workers waited together.
        self.refusals = 0
        self.waited = {"pace": 0.0, "hold": 0.0}
        self._waiting = {"pace": 0, "hold": 0}
        self._waiting_since = {"pace": None, "hold": None}

    def enter(self, write=True):
        """Wait until one more request fits; raises RunStoppedError when the run stopped before a write was sent.
        A read after the stop goes at once (it settles what the writes in flight did)."""
        while True:
            with self._lock:
                now = self._clock()
                self._forget(now)
                if now < self._not_before:
                    kind, wait = "hold", self._not_before - now
                elif len(self._taken) + self._in_flight < self.pace:
                    self._in_flight += 1
                    return
                elif self._taken:
                    kind, wait = "pace", self._taken[0] + self._window - now
                else:
                    # Every place is taken by a request in flight: wait for an answer (the timeout only guards
                    # against a lost wake-up).
                    kind, wait = "pace", None
            if self._waits.stopped:
                if write:
                    raise RunStoppedError("the run was stopped before this request was sent")
                with self._lock:
                    self._in_flight += 1
                return
            self._begin(kind)
            try:
                if wait is None:
                    with self._lock:
                        if self._in_flight and len(self._taken) + self._in_flight >= self.pace:
                            self._answered.wait(1.0)
                else:
                    self._waits.wait(wait)
            finally:
                self._end(kind)

    def leave(self, status):
        """A request that entered was answered with ``status`` (None: no answer came): it keeps its place in the
        window for a window from now."""
        with self._lock:
            now = self._clock()
            self._in_flight -= 1
            self._taken.append(now)
            if status is not None and status != 429:
                self._accepted.append(now)
            self._answered.notify_all()

    def refused(self, wait, window_spent):
        """A 429: hold every worker for ``wait`` seconds; ``window_spent``: the 429 says a window is spent (see
        GenesysCloudClient.request), so the pace is learned from it."""
        with self._lock:
            now = self._clock()
            self.refusals += 1
            # The other workers' requests sent before the hold meet the same limit: one lowering per hold.
            if window_spent and now >= self._not_before:
                self._forget(now)
                accepted = len(self._accepted)
                if accepted < self.pace:
                    self.pace = max(1, accepted, (self.pace + 1) // 2)
            self._not_before = max(self._not_before, now + wait)

    def _forget(self, now):
        horizon = now - self._window
        for times in (self._taken, self._accepted):
            while times and times[0] <= horizon:
                times.popleft()

    def _begin(self, kind):
        with self._lock:
            self._waiting[kind] += 1
            if self._waiting[kind] == 1:
                self._waiting_since[kind] = self._clock()

    def _end(self, kind):
        with self._lock:
            self._waiting[kind] -= 1
            if self._waiting[kind] == 0:
                self.waited[kind] += max(0.0, self._clock() - self._waiting_since[kind])

    def summary(self):
        """What the run met: the ``rate_limit`` of a module's result."""
        with self._lock:
            return {
                "requests_per_minute": self.requests_per_minute,
                "learned_requests_per_minute": self.pace if self.pace < self.requests_per_minute else None,
                "rate_limited": self.refusals,
                "waited_seconds": round(self.waited["pace"] + self.waited["hold"], 3),
                "paced_seconds": round(self.waited["pace"], 3),
                "held_seconds": round(self.waited["hold"], 3),
            }


class GenesysCloudClient(object):
    """Talks to one org: ``get``, ``patch``, ``list_all`` and ``fetch_token``; raises typed errors."""

    def __init__(self, api_base_url, login_base_url, client_id=None, client_secret=None, access_token=None,
                 validate_certs=True, ca_path=None, http_timeout=30, pool_size=10, retry_policy=None,
                 session=None, sleep=time.sleep, clock=time.monotonic,
                 requests_per_minute=DEFAULT_REQUESTS_PER_MINUTE, waits=None):
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
        self._clock = clock
        # Every wait goes through ``waits`` (a run's stop ends them all); ``sleep`` stands for time in unit tests.
        self._waits = waits or Waits(sleep=None if sleep is time.sleep else sleep)
        self._pacer = _Pacer(clock, self._waits, requests_per_minute)
        # While a run reads what it decides on (before its first write), a stop ends its reads too: none is sent
        # after it, paced or not. Once it writes, a read may settle a write's outcome and goes even after a stop.
        self.reads_stop_with_run = False
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

    def rate_limit_summary(self):
        """How many 429s the run met and how long it waited for the rate limit (a module's ``rate_limit``)."""
        return self._pacer.summary()

    def _wait(self, seconds, method, path):
        """Wait ``seconds`` before a retry; raises RunStoppedError when the run stops meanwhile."""
        if not self._waits.wait(seconds):
            raise RunStoppedError("the run was stopped while waiting to repeat the request", method=method, path=path)

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
                self._wait(wait, "POST", TOKEN_PATH)
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
                if throttled:
                    retry_after = parse_retry_after(response.headers.get("Retry-After"))
                    wait = budget.after_rate_limit(token_retry_after(body) if retry_after is None else retry_after)
                else:
                    wait = budget.after_failure(True)
                if wait is not None:
                    self._wait(wait, "POST", TOKEN_PATH)
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
        """Wait the retry policy's backoff for ``attempt``, for callers that repeat a settled write (a stop of the
        run ends the wait; the caller asks whether the run stopped before it writes)."""
        self._waits.wait(self.retry_policy.backoff(attempt))

    # ---- API requests ----------------------------------------------------------------------------
    def get(self, path, params=None, stoppable=False):
        """GET ``path``; ``stoppable``: a read that the run's stop cancels like a write, while it waits its turn (a
        read that settles a write goes even then)."""
        return self.request("GET", path, params=params, stoppable=stoppable)

    def patch(self, path, body):
        return self.request("PATCH", path, json_body=body)

    def post(self, path, body, params=None, repeatable=False):
        """POST ``body``; ``repeatable`` for read-only POSTs (queries) that are safe to resend after a 5xx."""
        return self.request("POST", path, params=params, json_body=body, repeatable=repeatable)

    def request(self, method, path, params=None, json_body=None, repeatable=None, raw=False, headers=None,
                stoppable=False):
        """Send one API request, retrying what is safe to retry; returns the decoded JSON body.

        ``repeatable`` defaults to whether the method is idempotent; a 429 is retried for any method.
        ``raw``: return the successful ``requests.Response`` itself, for answers that are not JSON (templates).
        ``headers``: this request's own headers over the session's (an ``Accept`` other than JSON, for templates).
        ``stoppable``: not sent once the run has stopped, though it is safe to repeat (see ``get``); every
        repeatable request is, while ``reads_stop_with_run``.
        """
        url = self.api_base_url + path
        if repeatable is None:
            repeatable = method in _IDEMPOTENT_METHODS
        budget = _RetryBudget(self.retry_policy, self._clock)
        while True:
            token, response, failure = self._send(method, url, params, json_body, repeatable, headers, stoppable)
            if isinstance(failure, requests.exceptions.SSLError):
                raise self._connection_error(failure, method, path)
            if failure is not None:
                wait = budget.after_failure(repeatable)
                if wait is not None:
                    self._wait(wait, method, path)
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
                # The wait is Retry-After, else the seconds in the message (some 429s come without the header),
                # else the policy's jittered backoff. Every worker is held for it.
                told = parse_retry_after(response.headers.get("Retry-After"))
                if told is None:
                    told = retry_seconds_in_message(_json_or_none(response))
                wait = budget.after_rate_limit(told)
                # A spent window: the answer says to wait long, or, saying nothing, refuses this request again.
                spent = told >= _WINDOW_LIMIT_WAIT if told is not None else budget.rate_limited > 1
                self._pacer.refused(wait or 0.0, spent)
                if wait is not None and not self._waits.stopped:
                    continue
            if status in RETRY_STATUSES:
                wait = budget.after_failure(repeatable)
                if wait is not None:
                    self._wait(wait, method, path)
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

    def _send(self, method, url, params, json_body, repeatable, headers=None, stoppable=False):
        """One exchange, paced: ``(token, response, None)``, or ``(token, None, error)`` when the connection failed.
        Raises RunStoppedError, sending nothing, when the run stopped before a write's (or a ``stoppable`` read's)
        turn came."""
        stoppable = stoppable or (self.reads_stop_with_run and repeatable)
        if stoppable and self._waits.stopped:
            raise RunStoppedError("the run was stopped before this request was sent", method=method,
                                  path=url[len(self.api_base_url):])
        self._pacer.enter(write=stoppable or not repeatable)
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
            self._pacer.leave(None if response is None else response.status_code)

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
        ``parallel`` of them at once (paced like any other requests). Where the answer
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
            bodies.extend(map_in_helpers(page, rest, self.parallel))
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
