"""The SMT-query level of the cache (analysis.querycache).

What must hold: an answer is reused only for the same formula up to names (never for a
different one, whatever the index says); a stored ``sat`` is re-checked against the query, so
a wrong model is refused; a renamed function, in a new process, gets its proofs from the
persistent store instead of the solver, with the same results."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import z3
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import querycache, service
from analysis.options import Options
from analysis.querycache import QueryCache, lookup, query_key, record

# -- the identity ---------------------------------------------------------------------------------


def _formula(ctx: z3.Context, names: tuple[str, str, str], noise: int, const: int = 7) -> Any:
    """One formula with shared subterms; ``noise`` keeps other terms alive in the context,
    which changes z3's reference counts, ids and so its ``let`` bindings."""
    keep = [z3.BitVec(f"noise{i}", 32, ctx) * (i + 2) for i in range(noise)]
    a, b, c = (z3.BitVec(n, 32, ctx) for n in names)
    ab = a * b
    keep.append(ab)
    f = z3.And(z3.Or(ab + c > 3, ab == a), z3.ULT(ab, 100), z3.Not(ab + c == const), c != a)
    f.keep = keep  # type: ignore[attr-defined]
    return f


def test_identity_ignores_names_and_sharing_but_not_meaning() -> None:
    k1 = query_key([_formula(z3.Context(), ("a!1", "b!2", "c!3"), 0)])
    k2 = query_key([_formula(z3.Context(), ("p", "q", "r"), 40)])
    assert k1 is not None and k1 == k2
    assert query_key([_formula(z3.Context(), ("a!1", "b!2", "c!3"), 0, const=8)]) != k1
    assert query_key([_formula(z3.Context(), ("b!2", "a!1", "c!3"), 0)]) == k1  # swapped names: a renaming
    ctx = z3.Context()
    a, b, c = (z3.BitVec(n, 32, ctx) for n in ("a", "b", "c"))
    f = z3.And(z3.Or(b * a + c > 3, b * a == a), z3.ULT(b * a, 100), z3.Not(b * a + c == 7), c != a)
    assert query_key([f]) != k1  # a*b and b*a are different terms: the key is not modulo theory


TERMS = st.recursive(
    st.sampled_from(["x", "y", "z"]) | st.integers(0, 255),
    lambda kids: st.tuples(st.sampled_from(["+", "*", "&", "-"]), kids, kids),
    max_leaves=8,
)


def _term(t: Any, env: dict[str, Any], ctx: z3.Context) -> Any:
    if isinstance(t, str):
        return env[t]
    if isinstance(t, int):
        return z3.BitVecVal(t, 8, ctx)
    op, left, right = t
    a, b = _term(left, env, ctx), _term(right, env, ctx)
    return {"+": a + b, "*": a * b, "&": a & b, "-": a - b}[op]


@settings(max_examples=60, deadline=None)
@given(TERMS, TERMS, st.permutations(["u", "v", "w"]))
def test_equal_keys_only_for_renamings(t1: Any, t2: Any, perm: list[str]) -> None:
    def key(t: Any, names: list[str]) -> str | None:
        ctx = z3.Context()
        env = {v: z3.BitVec(n, 8, ctx) for v, n in zip(["x", "y", "z"], names, strict=True)}
        return query_key([_term(t, env, ctx) == z3.BitVecVal(5, 8, ctx)])

    xyz = ["x", "y", "z"]
    k1, k2 = key(t1, xyz), key(t2, xyz)
    assert key(t1, perm) == k1  # a consistent renaming has the same key
    if k1 == k2:
        assert _alpha_equal(t1, t2), "equal keys for formulas that are not renamings of each other"
    if _alpha_equal(t1, t2):
        assert k1 == k2


def _alpha_equal(t1: Any, t2: Any) -> bool:
    """t2 is t1 with its variables consistently renamed (what equal keys are allowed to mean)."""
    import itertools

    ctx = z3.Context()
    base = {v: z3.BitVec(v, 8, ctx) for v in ["x", "y", "z"]}
    a = _term(t1, base, ctx)
    for perm in itertools.permutations(["x", "y", "z"]):
        if a.eq(_term(t2, {v: base[p] for v, p in zip(["x", "y", "z"], perm, strict=True)}, ctx)):
            return True
    return False


# -- answers ----------------------------------------------------------------------------------------


@pytest.fixture
def memory_cache(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(querycache, "RECORD_MIN_S", 0.0)
    qc = QueryCache()
    monkeypatch.setattr(querycache, "_MEMORY_ONLY", qc)
    with querycache.session(None):
        yield qc


def _sat_query(ctx: z3.Context) -> Any:
    x, y = z3.BitVec("x", 32, ctx), z3.BitVec("y", 32, ctx)
    return z3.And(x * y == 391, x > 1, y > 1, x < y)


def test_unsat_is_answered_from_the_cache(memory_cache: QueryCache) -> None:
    ctx = z3.Context()
    x = z3.BitVec("x", 32, ctx)
    f = z3.And(x * x == 2, x > 0)
    first = lookup([f])
    assert first.status is None
    record(first, "unsat", elapsed_s=1.0)
    ctx2 = z3.Context()  # the same query built again elsewhere (another job, another process)
    x2 = z3.BitVec("x", 32, ctx2)
    again = lookup([z3.And(x2 * x2 == 2, x2 > 0)])
    assert again.status == "unsat"
    assert memory_cache.hits == 1
    # the index is z3's structural hash, which sees names: a renamed constant is looked up afresh
    assert lookup([z3.substitute(f, (x, z3.BitVec("renamed", 32, ctx)))]).status is None


def test_sat_model_is_rebuilt_and_checked(memory_cache: QueryCache) -> None:
    ctx = z3.Context()
    f = _sat_query(ctx)
    s = z3.Solver(ctx=ctx)
    s.add(f)
    assert s.check() == z3.sat
    first = lookup([f])
    record(first, "sat", s.model(), elapsed_s=1.0)
    ctx2 = z3.Context()
    again = lookup([_sat_query(ctx2)])
    assert again.status == "sat"
    x, y = z3.BitVec("x", 32, ctx2), z3.BitVec("y", 32, ctx2)
    vx, vy = (again.model.eval(v, model_completion=True).as_long() for v in (x, y))
    assert (vx * vy) % 2**32 == 391  # the values really satisfy the query (32-bit product)
    assert z3.is_true(again.model.eval(_sat_query(ctx2), model_completion=True))


def test_a_wrong_model_or_identity_in_the_store_is_refused(memory_cache: QueryCache) -> None:
    ctx = z3.Context()
    f = _sat_query(ctx)
    found = lookup([f])
    assert found.index is not None
    q = querycache.query_of([f])
    assert q is not None
    names = [canonical for _printed, canonical, _sort in q.constants or ()]
    memory_cache.put(found.index, json.dumps({"k": q.key, "a": {"sat": {n: 1 for n in names}}}))
    assert lookup([f]).status is None  # x = y = 1 does not satisfy f: never returned
    memory_cache.put(found.index, json.dumps({"k": "q:someone-else", "a": "unsat"}))
    assert lookup([f]).status is None  # same index, other formula: not this query's answer
    memory_cache.put(found.index, "not json")
    assert lookup([f]).status is None


# -- end to end: a renamed function in a new process ------------------------------------------------

SLOW_PROOF = """
int weighted(int a, int b, int c) {
  int s = 0;
  if (a > 0 && a < 1000 && b > 0 && b < 1000 && c > 0 && c < 1000) {
    s = a * b + b * c;
    s = s + a * c;
  }
  return s;
}
"""


def _verify(text: str, store: Path) -> tuple[list[tuple[str, str]], int]:
    """Results and the number of solver runs (any z3 solver's check) for one file."""
    calls = 0
    real = z3.Solver.check

    def counting(self: Any, *args: Any) -> Any:
        nonlocal calls
        calls += 1
        return real(self, *args)

    split = service.split_text(text, "t.c", Options())
    z3.Solver.check = counting  # type: ignore[method-assign]
    try:
        results = [service.verify_job(service.make_job(split, u, Options(), str(store)))
                   for u in service.functions_of(split)]
    finally:
        z3.Solver.check = real  # type: ignore[method-assign]
    return [(c.id, c.status.value) for r in results for c in r.checks], calls


def test_renamed_function_is_answered_from_the_persistent_store(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(querycache, "RECORD_MIN_S", 0.0)
    store = tmp_path / "results.sqlite3"
    cold, cold_calls = _verify(SLOW_PROOF, store)
    assert cold and all(status == "proved" for _id, status in cold)
    querycache._by_path.clear()  # a new process: nothing in memory, only the file
    renamed = SLOW_PROOF.replace("weighted", "total_weight")
    warm, warm_calls = _verify("\n\n/* moved */\n" + renamed, store)
    assert warm == cold
    assert warm_calls < cold_calls, (warm_calls, cold_calls)
    assert querycache.for_store(str(store)).hits > 0


# -- Spacer's answers: reused, never trusted ---------------------------------------------------------

LOOP = Path(__file__).parent / "programs" / "loop_late_bug.c"


@pytest.mark.parametrize("forged", [{"r": "safe", "inv": "(assert false)"},
                                    {"r": "safe", "inv": "(assert true)"},
                                    {"r": "reachable"}])
def test_forged_spacer_answers_change_no_result(forged: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever the store claims Spacer found -- an invariant that does not hold initially, one
    too weak to be inductive or to exclude the bad state, a reachable bad state -- every check
    keeps the answer it has without the cache: invariants are re-checked, and only BMC refutes."""
    text = LOOP.read_text()
    split = service.split_text(text, str(LOOP), Options())

    def results() -> list[tuple[str, str]]:
        return [(c.id, c.status.value) for u in service.functions_of(split)
                for c in service.verify_job(service.make_job(split, u, Options(), None, False)).checks]

    honest = results()
    asked: list[str] = []

    def lookup_answer(tag: str, facts: list[Any]) -> tuple[Any, dict[str, str]]:
        asked.append(tag)
        return querycache.Lookup(facts, "q:forged"), forged

    monkeypatch.setattr(querycache, "lookup_answer", lookup_answer)
    forged_results = [(c.id, c.status.value) for u in service.functions_of(split)
                      for c in service.verify_job(service.make_job(split, u, Options())).checks]
    assert asked, "the program no longer reaches Spacer: pick another"
    assert forged_results == honest
