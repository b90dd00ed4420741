"""z3 contexts are deleted after their terms: deleting one first is quadratic in the terms still
alive (130 s for a 20,000-store chain), and the engine's reference cycles let Python's collector
finalise a context before its terms."""

from __future__ import annotations

import gc
import weakref
from typing import Any

import z3

from analysis.z3context import new_context, release_unused


class _Cycle:
    """Engine objects refer to each other (an executor and its memory model) and hold terms."""

    def __init__(self, terms: list[Any]) -> None:
        self.me = self
        self.terms = terms


def _store_chain(ctx: z3.Context, n: int) -> list[Any]:
    a = z3.Array("a", z3.BitVecSort(32, ctx), z3.BitVecSort(32, ctx))
    chain = []
    for i in range(n):
        a = z3.Store(a, z3.BitVecVal(i, 32, ctx), z3.BitVecVal(i + 1, 32, ctx))
        chain.append(a)
    return chain


def test_collector_frees_the_terms_before_their_context() -> None:
    ctx = new_context()
    alive = weakref.ref(ctx)
    _Cycle(_store_chain(ctx, 200))
    del ctx
    gc.collect()  # the cycle's terms go; the context is held for them to go first
    assert alive() is not None
    release_unused()
    assert alive() is None


def test_a_context_in_use_is_kept() -> None:
    ctx = new_context()
    chain = _store_chain(ctx, 10)
    alive = weakref.ref(ctx)
    del ctx
    release_unused()
    assert alive() is not None
    assert z3.simplify(z3.Select(chain[-1], z3.BitVecVal(3, 32, chain[-1].ctx))).as_long() == 4
    del chain
    release_unused()
    assert alive() is None


def test_a_function_leaves_no_context_behind() -> None:
    """verify_job releases the contexts of the function it analysed (a pool worker runs many)."""
    from analysis.options import Options
    from analysis.service import verify_text

    def contexts() -> int:
        gc.collect()
        return sum(isinstance(o, z3.Context) for o in gc.get_objects())

    release_unused()  # (contexts other tests left for the next release)
    before = contexts()
    verify_text("int g(int *p, int n) { int s = 0; for (int i = 0; i < n; i++) s += p[i] & 1; return s; }\n",
                "/tmp/ctx.c", Options())
    assert contexts() == before
