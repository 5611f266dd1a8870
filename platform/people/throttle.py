"""When a throttled action (allauth's rate limits) will be allowed again, to tell people
when to retry instead of "try again later".

allauth keeps, per rate and per client address, account or user, the list of recent
attempts in Django's cache (Redis in production). This module reads those lists with
allauth's own key function; it depends on allauth's internals, which is why
django-allauth is pinned and tests/people/test_throttling.py checks the times shown."""

import math
import time

from allauth.core.internal import ratelimit as allauth_ratelimit
from django.core.cache import cache
from django.http import HttpRequest

APP = "allauth.account"


def retry_after(request: HttpRequest, action: str, key: str | None = None) -> int | None:
    """Seconds until `action` is allowed again for this request (its address, its user and
    `key`), or None when it is not throttled."""
    now = time.time()
    waits = []
    for rate in allauth_ratelimit.get_rates(app=APP, action=action):
        if (rate.per == "key" and key is None) or (rate.per == "user" and not request.user.is_authenticated):
            continue
        cache_key = allauth_ratelimit.get_cache_key(request, app=APP, action=action, rate=rate, key=key)
        recent = sorted((t for t in cache.get(cache_key, []) if t > now - rate.duration), reverse=True)
        if len(recent) >= rate.amount:
            waits.append(recent[rate.amount - 1] + rate.duration - now)
    return max(1, math.ceil(max(waits))) if waits else None


def in_words(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} seconds"
    minutes = math.ceil(seconds / 60)
    if minutes < 90:
        return f"{minutes} minutes"
    return f"{math.ceil(minutes / 60)} hours"
