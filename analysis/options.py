"""The one typed, fully-defaulted set of verification options.

The CLI flags, the LSP initializationOptions and workspace/configuration all end up here.
``from_dict`` never raises: a bad value falls back to its default and is reported back so
that the caller can tell the user.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, fields
from typing import Any

DATA_MODELS = ("LP64", "ILP32")


@dataclass(frozen=True)
class Options:
    data_model: str = "LP64"
    timeout: float = 5.0  # wall-clock seconds per check
    rlimit: int = 20_000_000  # z3 deterministic resource limit per query
    inline_depth: int = 3
    unroll: int = 12  # loop unrolling bound for refutation (BMC)
    include_dirs: tuple[str, ...] = ()
    defines: tuple[str, ...] = ()
    compile_commands: str | None = None
    checks_enabled: tuple[str, ...] = ()  # empty = all kinds enabled
    termination: bool = True

    def semantic_key(self) -> str:
        """A digest of every option that can change an answer (used in cache keys)."""
        blob = json.dumps(dataclasses.asdict(self), sort_keys=True, default=list)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    def kind_enabled(self, kind: str) -> bool:
        return not self.checks_enabled or kind in self.checks_enabled

    @staticmethod
    def from_dict(raw: dict[str, Any] | None) -> tuple[Options, list[str]]:
        """Build options from untrusted input; return them and the problems found."""
        problems: list[str] = []
        values: dict[str, Any] = {}
        if not isinstance(raw, dict):
            return Options(), ([] if raw is None else [f"options must be an object, got {type(raw).__name__}"])
        known = {f.name: f for f in fields(Options)}
        aliases = {"dataModel": "data_model", "inlineDepth": "inline_depth", "includeDirs": "include_dirs",
                   "includePaths": "include_dirs", "compileCommands": "compile_commands",
                   "checksEnabled": "checks_enabled", "timeoutSeconds": "timeout"}
        default = Options()
        for key, value in raw.items():
            name = aliases.get(key, key)
            if name not in known:
                continue  # settings of other layers (server) are not ours
            want = getattr(default, name)
            try:
                values[name] = _coerce(name, value, want)
            except (TypeError, ValueError) as e:
                problems.append(f"setting {key!r}: {e}; using default {want!r}")
        return dataclasses.replace(default, **values), problems


def _coerce(name: str, value: Any, default: Any) -> Any:
    if name == "data_model":
        if value not in DATA_MODELS:
            raise ValueError(f"must be one of {', '.join(DATA_MODELS)}")
        return value
    if name == "compile_commands":
        if value is None or isinstance(value, str):
            return value or None
        raise TypeError("must be a path")
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        raise TypeError("must be true or false")
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError("must be a non-negative integer")
        return value
    if isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise ValueError("must be a positive number")
        return float(value)
    if isinstance(default, tuple):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise TypeError("must be a list of strings")
        return tuple(value)
    raise TypeError("unsupported setting")


