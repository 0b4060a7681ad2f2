"""Local time: every time a person reads or types is in their own zone; the
database keeps aware UTC.

A person's zone is `User.time_zone` (an IANA name such as "Asia/Kolkata" or
"Europe/London"), or the app's `DEFAULT_TIME_ZONE` when they have not chosen
one. zoneinfo does the arithmetic, so daylight saving is handled: 12:00 UTC is
13:00 BST in July and 12:00 GMT in January.

A typed wall-clock time that happens twice (the hour the clocks go back) is read
as the first of the two, and one that never happens (the hour the clocks go
forward) as if the clocks had not moved yet — zoneinfo's `fold=0`, as the
Python documentation describes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from flask import current_app, has_app_context, has_request_context

FALLBACK_ZONE = "UTC"


@cache
def zone_names() -> tuple[str, ...]:
    """Every zone a person may choose, sorted ("Africa/Abidjan" … "UTC" …)."""
    names = {n for n in available_timezones() if n not in ("localtime", "Factory")}
    return tuple(sorted(names))


@cache
def _known_names() -> frozenset[str]:
    return frozenset(zone_names())


def is_known_zone(name: str | None) -> bool:
    return bool(name) and name in _known_names()


def default_zone_name() -> str:
    """The app's zone (config DEFAULT_TIME_ZONE), for people who have not chosen."""
    name = current_app.config.get("DEFAULT_TIME_ZONE") if has_app_context() else None
    return name if is_known_zone(name) else FALLBACK_ZONE


def zone_name_of(user) -> str:
    name = getattr(user, "time_zone", None)
    return name if is_known_zone(name) else default_zone_name()


def zone_of(user) -> ZoneInfo:
    return _zone(zone_name_of(user))


def viewer_zone() -> ZoneInfo:
    """The zone of whoever is signed in to this request; the app's otherwise."""
    return _zone(viewer_zone_name())


def viewer_zone_name() -> str:
    if has_request_context():
        from flask_login import current_user

        if getattr(current_user, "is_authenticated", False):
            return zone_name_of(current_user)
    return default_zone_name()


@cache
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(FALLBACK_ZONE)


def to_local(moment: datetime, zone: ZoneInfo) -> datetime:
    """An instant as the wall-clock time in `zone` (a naive time is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone)


def from_local(wall_clock: datetime, zone: ZoneInfo) -> datetime:
    """A typed wall-clock time in `zone` as the aware UTC instant to store."""
    if wall_clock.tzinfo is not None:
        return wall_clock.astimezone(UTC)
    return wall_clock.replace(tzinfo=zone).astimezone(UTC)


def format_local(moment: datetime | None, zone: ZoneInfo | None = None) -> str:
    """ "02 Mar 2026, 14:30 IST": the instant in the viewer's zone, with its abbreviation."""
    if moment is None:
        return "—"
    local = to_local(moment, zone or viewer_zone())
    return f"{local:%d %b %Y, %H:%M} {local.tzname()}"
