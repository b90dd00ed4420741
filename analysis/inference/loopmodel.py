"""A loop as the checks see it: a transition system over bit-vector state variables.

Built by the engine from the C loop (one symbolic iteration of the body); consumed by
invariant inference (``invariants.py``) and ranking functions (``ranking.py``). All formulas are
z3 terms in one z3 Context (``ctx``); values are bit-vectors with C's widths.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class LoopModel:
    """State variables are the C variables the loop reads or writes.

    - ``pre[i]`` / ``post[i]``: z3 BitVec constants for variable ``names[i]`` before / after
      one iteration; ``signed[i]`` tells how to read the bits as a C value.
    - ``entry``: a formula over ``pre`` (and possibly other free constants, e.g. the function's
      parameters, which are then implicitly existentially quantified) that holds whenever
      control reaches the loop head for the first time.
    - ``guard``: formula over ``pre``: the loop body is entered iff it holds.
    - ``body``: formula over ``pre``, ``post`` and free auxiliary constants (nondet values):
      one iteration from a state satisfying ``guard``, restricted to executions without
      undefined behaviour (those are reported as separate checks) that reach the loop head
      again (``continue`` included). Executions that leave the loop from inside the body
      (break/return/abort/exit) are not in ``body``; ``exits_inside`` says whether the body has any.
    - ``bad``: optional formula over ``pre`` (and aux constants) that must be unreachable at the
      loop head (a property to prove with an invariant), or None.
    """

    ctx: Any
    names: tuple[str, ...]
    signed: tuple[bool, ...]
    pre: tuple[Any, ...]
    post: tuple[Any, ...]
    entry: Any
    guard: Any
    body: Any
    bad: Any = None
    exits_inside: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def width(self, i: int) -> int:
        return int(self.pre[i].size())
