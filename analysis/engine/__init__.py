"""The verifier of one function (:mod:`analysis.engine.verify`); the modules around it:

- ``parse``: pycparser adapter; ``symexec``: C into z3 bit-vectors; ``calls``: calls, contracts
  and library models; ``loop_execution``: loops unrolled (exact) or cut at their heads (abstract);
- ``invariant_requests``: the door to :mod:`analysis.inference` (invariants, ranking functions);
- ``termination``: one termination check per loop and for recursion; ``accelerate``: closed forms;
- ``counterexample``: what a model means in C values; ``certificates``: the evidence of a proof
  for :mod:`analysis.certify`; ``solve``: solver calls under limits.
"""

from analysis.engine.verify import verify_function

__all__ = ["verify_function"]
