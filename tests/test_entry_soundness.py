"""Entry-mode verdicts that rest on what a whole program run does: static locals keep their
value across calls (one object, initialised once), and a user's loop invariant that is not
proved never supports a "true" verdict. Every expectation was confirmed with gcc and UBSan."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis.options import Options
from analysis.svcomp import verdict_of, verify_entry
from tests.corpus import replay

needs_gcc = pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")

PRELUDE = """extern int __VERIFIER_nondet_int(void);
extern void __VERIFIER_assume(int);
extern void reach_error(void);
void __VERIFIER_assert(int c) { if (!c) reach_error(); }
"""

COUNTER = PRELUDE + """int counter(void) { static int c = 0; c++; return c; }
int calls(void) { static int k; return ++k; }
int main(void) {
    int a = counter();
    int b = counter();
    int x = calls();
    int y = calls();
    __VERIFIER_assert(%s);
    return 0;
}
"""

WRONG_INVARIANT = PRELUDE + """int main(void) {
    int n = __VERIFIER_nondet_int();
    __VERIFIER_assume(n >= 0 && n < 100);
    int i = 0;
    /*@ loop invariant i == 0; */
    while (i < n) i++;
    if (i != 0) reach_error();
    return 0;
}
"""


def _verdict(tmp_path: Path, text: str, prop: str = "unreach-call") -> tuple[str, object, Path]:
    path = tmp_path / "task.c"
    path.write_text(text)
    result = verify_entry(str(path), text, Options(), "main", prop)
    verdict, check = verdict_of(prop, result.functions[0])
    assert verdict == result.verdict
    return verdict, check, path


def test_static_local_is_initialised_once(tmp_path: Path) -> None:
    # the second call sees the first call's increment: the program runs clean
    verdict, _check, _ = _verdict(tmp_path, COUNTER % "a == 1 && b == 2 && x == 1 && y == 2")
    assert verdict == "true"


@needs_gcc
def test_static_local_shared_violation_replays(tmp_path: Path) -> None:
    # b is 2, never 1: reach_error is reached, and the counterexample replays
    text = COUNTER % "a == 1 && b == 1"
    verdict, check, path = _verdict(tmp_path, text)
    assert verdict == "false"
    outcome = replay(text, path, "main", check, Options())  # type: ignore[arg-type]
    assert outcome.reproduced, outcome.detail


@pytest.mark.parametrize("prop", ["unreach-call", "no-overflow"])
def test_unproved_user_invariant_gives_no_true_verdict(tmp_path: Path, prop: str) -> None:
    # i == 0 is not preserved (n = 1 reaches reach_error): the proofs that assumed it do not count
    verdict, _check, _ = _verdict(tmp_path, WRONG_INVARIANT, prop)
    assert verdict != "true"


BROKEN_REQUIRES = PRELUDE + """/*@ requires x > 0; */
int f(int x) { if (x <= 0) reach_error(); return x; }
int main(void) {
    int x = __VERIFIER_nondet_int();
    f(x);
    return 0;
}
"""


@needs_gcc
def test_a_callee_requires_main_breaks_is_no_assumption(tmp_path: Path) -> None:
    # a whole program means what its code does: f runs with x = 0 and reaches reach_error (the
    # requires was assumed after its check, and the abstract run used the contract: "true")
    verdict, check, path = _verdict(tmp_path, BROKEN_REQUIRES)
    assert verdict == "false"
    outcome = replay(BROKEN_REQUIRES, path, "main", check, Options())  # type: ignore[arg-type]
    assert outcome.reproduced, outcome.detail
