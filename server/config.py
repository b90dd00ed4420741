"""The server's one typed, fully-defaulted configuration.

Read alike from ``initializationOptions``, ``workspace/configuration`` (section
``prooflens``) and ``workspace/didChangeConfiguration``. Verification options are delegated to
:class:`analysis.options.Options` (so the CLI and the server agree on them); this module adds
the settings only the server has. ``from_dict`` never raises: a bad value keeps its default
and is returned as a problem so that the server can tell the user (window/showMessage).
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from typing import Any

from analysis.cache import CACHE_MODES
from analysis.model import CheckKind
from analysis.options import Options

SEVERITIES = ("error", "warning", "information", "hint")
UNKNOWN_SEVERITIES = (*SEVERITIES, "off")
STATUS_MODES = ("auto", "always", "never")

# error for what the user asked to hold, warning for undefined behaviour (the rule).
DEFAULT_SEVERITY: dict[str, str] = {
    CheckKind.ASSERT.value: "error",
    CheckKind.POSTCONDITION.value: "error",
    CheckKind.REACH_ERROR.value: "error",
    CheckKind.PRECONDITION.value: "error",
    CheckKind.INVARIANT.value: "error",
    CheckKind.OVERFLOW.value: "warning",
    CheckKind.DIV_BY_ZERO.value: "warning",
    CheckKind.SHIFT.value: "warning",
    CheckKind.BOUNDS.value: "warning",
    CheckKind.TERMINATION.value: "warning",
    CheckKind.MEMORY.value: "warning",
}
_UB_KINDS = ("overflow", "div-by-zero", "shift", "bounds")

# Settings that belong to an editor plugin (how to start the server, tracing, status bar),
# present in the "prooflens" section editors send back: not ours, not a mistake either.
CLIENT_KEYS = frozenset({"server", "trace", "statusBar", "path", "command", "args", "enable", "enabled"})

# Option keys the analysis layer understands (with their camelCase aliases): not "unknown".
_OPTION_KEYS = {f.name for f in dataclasses.fields(Options)} | {
    "dataModel", "inlineDepth", "includeDirs", "includePaths", "compileCommands", "checksEnabled",
    "timeoutSeconds"}


@dataclass(frozen=True)
class ServerConfig:
    """Everything the server can be told; every field has a working default."""

    options: Options = field(default_factory=Options)
    workers: int = 2  # verification processes
    debounce_ms: int = 150  # quiet time after a burst of semantic edits before verifying
    unknown_severity: str = "information"  # severity of unknown checks, or "off"
    severity: tuple[tuple[str, str], ...] = tuple(sorted(DEFAULT_SEVERITY.items()))  # check kind -> severity
    inlay_hints: bool = True
    status_diagnostics: str = "auto"  # per-function status as Hint diagnostics: auto = when no code lens
    cache_path: str | None = None  # None: platformdirs user cache dir
    persistent_cache: bool = True
    cache_redis: str | None = None  # a shared Redis cache (redis://HOST:PORT/DB) under the sqlite file
    cache_mode: str = "rw"  # as the CLI's --cache-mode: rw, ro (read only), rebuild (write only), off
    job_timeout: float = 0.0  # seconds per function; 0 = automatic (from the per-check timeout)
    compiler: str = "cc"  # used by the explicit prooflens.runTest command only

    def severity_of(self, kind: str) -> str:
        return _severity_map(self.severity).get(kind, "warning")

    def effective_job_timeout(self) -> float:
        """A hard stop for one function's job: the engine's own limits should fire first."""
        if self.job_timeout > 0:
            return self.job_timeout
        return max(60.0, 12 * self.options.timeout + 30.0)

    @staticmethod
    def from_dict(raw: Any) -> tuple[ServerConfig, list[str]]:
        """Build a config from untrusted settings; return it and the problems found."""
        raw = unwrap(raw)
        if raw is None:
            return ServerConfig(), []
        if not isinstance(raw, dict):
            return ServerConfig(), [f"prooflens settings must be an object, got {type(raw).__name__}"]
        options, problems = Options.from_dict(raw)
        default = ServerConfig()
        values: dict[str, Any] = {"options": options}
        for key, value in raw.items():
            if value is None:
                continue  # an unset setting in an editor's schema: keep the default
            try:
                _apply(values, key, value, default)
            except _Unknown:
                if key not in _OPTION_KEYS and key not in CLIENT_KEYS:
                    problems.append(f"unknown setting {key!r} ignored")
            except (TypeError, ValueError) as e:
                problems.append(f"setting {key!r}: {e}; using the default")
        return dataclasses.replace(default, **values), problems


@functools.lru_cache(maxsize=8)
def _severity_map(pairs: tuple[tuple[str, str], ...]) -> dict[str, str]:
    return dict(pairs)


def unwrap(raw: Any) -> Any:
    """Accept both ``{"prooflens": {...}}`` and the bare section."""
    if isinstance(raw, dict) and isinstance(raw.get("prooflens"), dict):
        return raw["prooflens"]
    return raw


def merge(*layers: Any) -> dict[str, Any]:
    """Later layers win key by key (initializationOptions < workspace configuration)."""
    out: dict[str, Any] = {}
    for layer in layers:
        layer = unwrap(layer)
        if isinstance(layer, dict):
            out.update({k: v for k, v in layer.items() if v is not None})
    return out


class _Unknown(Exception):
    pass


def _int(value: Any, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise ValueError(f"must be an integer in [{lo}, {hi}]")
    return value


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError("must be true or false")
    return value


def _choice(value: Any, allowed: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value.lower() not in allowed:
        raise ValueError(f"must be one of {', '.join(allowed)}")
    return value.lower()


def _apply(values: dict[str, Any], key: str, value: Any, default: ServerConfig) -> None:
    if key == "workers":
        values["workers"] = _int(value, 1, 64)
    elif key in ("debounceMs", "debounce_ms", "debounce"):
        values["debounce_ms"] = _int(value, 0, 10_000)
    elif key in ("unknownAsInformation", "unknown_as_information"):
        values["unknown_severity"] = "information" if _bool(value) else "off"
    elif key in ("unknownSeverity", "unknown_severity"):
        values["unknown_severity"] = _choice(value, UNKNOWN_SEVERITIES)
    elif key in ("severity", "severities"):
        values["severity"] = _severities(value, dict(default.severity))
    elif key in ("inlayHints", "inlay_hints"):
        values["inlay_hints"] = _bool(value)
    elif key in ("statusDiagnostics", "status_diagnostics"):
        values["status_diagnostics"] = _choice(value, STATUS_MODES)
    elif key in ("cachePath", "cache_path"):
        if not isinstance(value, str):
            raise TypeError("must be a path")
        values["cache_path"] = value or None
    elif key in ("persistentCache", "persistent_cache"):
        values["persistent_cache"] = _bool(value)
    elif key in ("cacheRedis", "cache_redis"):
        values["cache_redis"] = _redis_url(value)
    elif key in ("cacheMode", "cache_mode"):
        values["cache_mode"] = _choice(value, CACHE_MODES)
    elif key in ("jobTimeout", "job_timeout"):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise ValueError("must be a non-negative number of seconds")
        values["job_timeout"] = float(value)
    elif key == "compiler":
        if not isinstance(value, str) or not value.strip():
            raise TypeError("must be a program name")
        values["compiler"] = value
    else:
        raise _Unknown(key)


def _redis_url(value: Any) -> str | None:
    from analysis.cache_redis import RedisUnavailable, check_url

    if not isinstance(value, str):
        raise TypeError("must be a redis://HOST:PORT/DB URL")
    if not value.strip():
        return None
    try:
        return check_url(value.strip())
    except RedisUnavailable as e:
        raise ValueError(str(e)) from e


def _severities(value: Any, base: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """``{"overflow": "error", "undefined-behaviour": "hint", ...}`` over the defaults."""
    if not isinstance(value, dict):
        raise TypeError("must be an object mapping check kinds to error|warning|information|hint")
    kinds = {k.value for k in CheckKind}
    for kind, level in value.items():
        level = _choice(level, SEVERITIES)
        if kind in ("undefined-behaviour", "undefined-behavior", "ub"):
            for k in _UB_KINDS:
                base[k] = level
        elif kind in kinds:
            base[kind] = level
        else:
            raise ValueError(f"unknown check kind {kind!r}")
    return tuple(sorted(base.items()))
