"""What every keying test file shares: correction policy, pass bands, the per-attempt
draw size and the data file (CSV or JSON) named beside the TOML.

Each kind's reader starts with `read_common_settings`, so the content loader only
calls the kind's reader. `correction_policy` is always set (default allowed);
`bands` only when the file gives them, otherwise the scorer's defaults apply.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from lms.content.files import File
from lms.content.tables import Table, did_you_mean, real_number

CORRECTION_POLICIES = ("allowed", "none")
BAND_NAMES = ("foundation", "job_ready", "proficient")
FRACTION_METRICS = ("accuracy", "f1")
# The minimum work a band needs, when a test sets its own (the defaults live in
# lms.keying.scoring.validity): share of drawn items attempted, seconds, and
# seconds per reconciliation row.
MINIMUM_KEYS = ("min_attempted_share", "min_seconds", "min_seconds_per_row")
KEYING_COMMON_KEYS = ("correction_policy", "bands", *MINIMUM_KEYS)


def read_common_settings(
    top: Table, doc: File, kind: str, band_metrics: tuple[str, ...]
) -> dict[str, Any]:
    """`correction_policy`, and `bands` when the file has a [bands] table.

    `band_metrics` are the metrics a band of this kind names (docs/content-format.md,
    "Keying tests").
    """
    settings: dict[str, Any] = {
        "correction_policy": top.choice(
            "correction_policy", CORRECTION_POLICIES, default="allowed"
        )
    }
    bands = read_bands(top, doc, kind, band_metrics)
    if bands is not None:
        settings["bands"] = bands
    share = top.number("min_attempted_share", default=None, minimum=0, maximum=1)
    if share is not None:
        settings["min_attempted_share"] = share
    for key in ("min_seconds", "min_seconds_per_row"):
        value = top.number(key, default=None, minimum=0)
        if value is not None:
            settings[key] = value
    return settings


def read_bands(
    top: Table, doc: File, kind: str, metrics: tuple[str, ...]
) -> dict[str, dict[str, float]] | None:
    """The [bands] table: known band names, the kind's metrics, never going down."""
    raw = top.data.get("bands")
    if raw is None:
        return None
    if not isinstance(raw, dict) or not raw:
        top.error(
            "bands",
            "bands is a table: [bands] with foundation / job_ready / proficient",
        )
        return None
    bands: dict[str, dict[str, float]] = {}
    for name, band in raw.items():
        values = _read_band(doc, kind, metrics, name, band)
        if values is not None:
            bands[name] = values
    _check_bands_rise(doc, metrics, bands)
    return bands


def _band_line(doc: File, name: str) -> int:
    return doc.loc.key(name, "bands")


def _read_band(
    doc: File, kind: str, metrics: tuple[str, ...], name: str, band: Any
) -> dict[str, float] | None:
    shape = ", ".join(f"{m} = ..." for m in metrics)
    line = _band_line(doc, name)
    if name not in BAND_NAMES:
        doc.error(
            f"bands.{name}",
            f"unknown band {name!r}; bands are {', '.join(BAND_NAMES)}"
            + did_you_mean(name, BAND_NAMES),
            line=line,
        )
        return None
    if not isinstance(band, dict):
        doc.error(f"bands.{name}", f"write {name} = {{ {shape} }}", line=line)
        return None
    values = {}
    for metric, value in band.items():
        if metric not in metrics:
            doc.error(
                f"bands.{name}.{metric}",
                f"{kind} bands use {' and '.join(metrics)}, not {metric!r}",
                line=line,
            )
            continue
        number = real_number(value)
        limit = 1 if metric in FRACTION_METRICS else math.inf
        if number is None or not 0 <= number <= limit:
            expected = (
                "a fraction from 0 to 1" if limit == 1 else "a number of 0 or more"
            )
            doc.error(
                f"bands.{name}.{metric}",
                f"must be {expected}, not {value!r}",
                line=line,
            )
            continue
        values[metric] = number
    missing = [m for m in metrics if m not in band]
    if missing:
        doc.error(
            f"bands.{name}",
            f"{name} needs {' and '.join(missing)} (write {name} = {{ {shape} }})",
            line=line,
        )
    return values


def _check_bands_rise(
    doc: File, metrics: tuple[str, ...], bands: dict[str, dict[str, float]]
) -> None:
    """A higher band never asks for less than the one below it."""
    ordered = [n for n in BAND_NAMES if n in bands]
    for lower, higher in zip(ordered, ordered[1:], strict=False):
        for metric in metrics:
            low, high = bands[lower].get(metric), bands[higher].get(metric)
            if low is not None and high is not None and high < low:
                doc.error(
                    f"bands.{higher}.{metric}",
                    f"{higher} ({high}) is below {lower} ({low}); bands must not go down",
                    line=_band_line(doc, higher),
                )


def draw(top: Table, key: str, pool: int, what: str, *, default: int) -> int:
    """Items per attempt: `default` unless the file says, at most the pool size."""
    explicit = key in top.data
    value = top.integer(key, default=default, minimum=1)
    if explicit and pool and value > pool:
        top.error(key, f"{value} {what} per attempt, but the pool has only {pool}")
    return min(value, pool) if pool else value


def data_file(
    top: Table, doc: File, key: str, suffix: str, data_files: list[Path]
) -> File | None:
    """The file `key` names beside the TOML, added to `data_files` (the content
    hash covers it); None, with the problem reported, when it is unusable."""
    name = top.text(key, required=True)
    if name is None:
        return None
    if Path(name).name != name or name.startswith("."):
        top.error(key, f"give a file name beside the TOML (no folders), not {name!r}")
        return None
    if not name.endswith(suffix):
        top.error(key, f"{name!r} must be a {suffix} file")
        return None
    path = doc.path.parent / name
    if not path.is_file():
        top.error(key, f"{name} not found beside {doc.path.name}")
        return None
    data_files.append(path)
    return File(path, doc.base, doc.errors)
