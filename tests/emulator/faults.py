# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fault injection (--faults) and rate limits (--rate-limit, --org-rate-limit, --token-rate-limit)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import collections
import math

STATUS_FAULTS = ("408", "429", "500", "502", "503", "504")
# Faults drawn for a request, in the order the draw tries them; `408_after` processes the request, then answers 408.
DRAWN_FAULTS = STATUS_FAULTS + ("drop", "drop_after", "408_after")
FAULT_KINDS = DRAWN_FAULTS + ("slow",)


class SpecError(ValueError):
    """A --faults or --rate-limit value that cannot be parsed."""


class FaultPlan:
    """Parsed `--faults SPEC`: `kind=probability` items, `slow=P:MS`, optional `methods=GET+PATCH`."""

    def __init__(self, spec=""):
        self.spec = spec or ""
        self.probabilities = {}
        self.slow_ms = 0
        self.methods = None
        for item in filter(None, (part.strip() for part in self.spec.split(","))):
            if "=" not in item:
                raise SpecError("fault item %r is not kind=probability" % item)
            kind, value = (s.strip() for s in item.split("=", 1))
            if kind == "methods":
                self.methods = frozenset(m.strip().upper() for m in value.split("+") if m.strip())
                if not self.methods:
                    raise SpecError("methods= needs at least one HTTP method")
                continue
            if kind not in FAULT_KINDS:
                raise SpecError("unknown fault kind %r (known: %s)" % (kind, ", ".join(FAULT_KINDS)))
            if kind == "slow":
                if ":" not in value:
                    raise SpecError("slow needs P:MS, for example slow=0.1:1500")
                value, slow_ms = value.split(":", 1)
                try:
                    self.slow_ms = int(slow_ms)
                except ValueError:
                    raise SpecError("slow delay %r is not whole milliseconds" % slow_ms)
                if self.slow_ms < 0:
                    raise SpecError("slow delay must be >= 0")
            try:
                probability = float(value)
            except ValueError:
                raise SpecError("probability %r of %s is not a number" % (value, kind))
            if not 0.0 <= probability <= 1.0:
                raise SpecError("probability of %s must be within 0..1" % kind)
            self.probabilities[kind] = probability
        if sum(self.probabilities.get(k, 0.0) for k in DRAWN_FAULTS) > 1.0:
            raise SpecError("the probabilities of 408/429/5xx/drop/drop_after/408_after add up to more than 1")

    def __bool__(self):
        return bool(self.probabilities)

    def draw(self, method, rng):
        """-> (outcome, slow_ms): outcome is None, a status string, 'drop', 'drop_after' or '408_after'."""
        if not self.probabilities or (self.methods is not None and method not in self.methods):
            return None, 0
        slow = 0
        p_slow = self.probabilities.get("slow", 0.0)
        if p_slow and rng.random() < p_slow:
            slow = self.slow_ms
        roll = rng.random()
        for kind in DRAWN_FAULTS:
            p = self.probabilities.get(kind, 0.0)
            if roll < p:
                return kind, slow
            roll -= p
        return None, slow


RATE_WINDOWS = ("sliding", "fixed")


class RateLimit:
    """`N/SECONDS`: at most N requests per key (a token, an org) in any window of SECONDS.

    How the real API counts is not documented, so two shapes: ``sliding`` (the default, the stricter one: any
    SECONDS-long span holds at most N requests) and ``fixed`` (a window that starts at the key's first request
    and, once over, at its next one). Whether a refused request counts is not documented either
    (``count_refused``)."""

    def __init__(self, spec, window="sliding"):
        self.spec = spec
        try:
            count, seconds = spec.split("/", 1)
            self.allowed = int(count)
            self.seconds = float(seconds)
        except ValueError:
            raise SpecError("rate limit %r is not N/SECONDS" % spec)
        if self.allowed < 1 or self.seconds <= 0:
            raise SpecError("rate limit %r needs N >= 1 and SECONDS > 0" % spec)
        if window not in RATE_WINDOWS:
            raise SpecError("rate window %r is not one of %s" % (window, ", ".join(RATE_WINDOWS)))
        self.window = window
        self.counted = {}  # key -> deque of request times (sliding) or [window_start, count] (fixed)

    def _forget(self, key, now):
        if self.window == "sliding":
            times = self.counted.setdefault(key, collections.deque())
            while times and times[0] <= now - self.seconds:
                times.popleft()
            return times
        window = self.counted.get(key)
        if window is None or now >= window[0] + self.seconds:
            window = self.counted[key] = [now, 0]
        return window

    def room(self, key, now):
        """Whether one more request of ``key`` fits now."""
        state = self._forget(key, now)
        return (len(state) if self.window == "sliding" else state[1]) < self.allowed

    def count(self, key, now):
        state = self._forget(key, now)
        if self.window == "sliding":
            state.append(now)
        else:
            state[1] += 1

    def wait(self, key, now):
        """Seconds (a float, 0 when it fits) until one more request of ``key`` fits."""
        state = self._forget(key, now)
        if self.window == "sliding":
            excess = len(state) - self.allowed
            return 0.0 if excess < 0 else max(0.0, state[excess] + self.seconds - now)
        return 0.0 if state[1] < self.allowed else max(0.0, state[0] + self.seconds - now)


def admit(limits, now, count_refused=False):
    """One request against every ``(RateLimit, key)`` of ``limits`` at once: None when all have room (it is
    counted in each), else the whole seconds, at least 1, until every one of them would take it."""
    if all(limit.room(key, now) for limit, key in limits):
        for limit, key in limits:
            limit.count(key, now)
        return None
    if count_refused:
        for limit, key in limits:
            limit.count(key, now)
    wait = max(limit.wait(key, now) for limit, key in limits)
    return max(1, int(math.ceil(wait - 1e-9)))


def parse_rate_limit(spec, window="sliding"):
    """'' / 'off' / None -> None (no limit enforced)."""
    if spec in (None, "", "off", "0"):
        return None
    return RateLimit(spec, window)
