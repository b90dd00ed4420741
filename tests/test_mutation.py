"""Mutation soundness: on one-token mutants of the proved programs, no "proved" check may fail
on a concrete input and every "refuted" counterexample must replay (issue 6).

A seeded sample of mutants keeps this under a few minutes; `bench/mutation.py` runs the whole
campaign. The generator itself is checked first, on small texts, because a generator that
silently mutated comments or annotations would make the campaign vacuous.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.mutation import Mutant, all_mutants, corpus_files, evaluate, mutants_of, sample, tokenize

SEED = 6
COUNT = 40
ALL = all_mutants(corpus_files())
MUTANTS = sample(ALL, COUNT, SEED)

# mutant ident -> reduced repro of a wrong answer that is not fixed yet (xfail, strict: a fix makes
# the test fail until the entry is removed). These run in addition to the sample. Empty: the one
# wrong answer the campaign found (a termination witness without the values of the nondet calls
# inside the loop) is fixed, and its mutants are kept below as regular tests.
KNOWN_WRONG: dict[str, str] = {}
# mutants that once had a wrong answer: always run
FIXED_WRONG = ("no_binsearch_mid_true:main:11:2->1", "term_nondet_step_true:main:12:>=-><=")


def test_tokenizer_skips_comments_annotations_literals_and_preprocessor() -> None:
    text = ('#define N (1 + 2)\n/*@ requires x < 10; */\nint f(int x) {\n'
            '  // x + 1\n  //@ assert x >= 0;\n  char *s = "a+b"; char c = \'-\';\n  return x + 1;\n}\n')
    toks = [t.text for t in tokenize(text)]
    assert "N" not in toks and "requires" not in toks and "assert" not in toks
    assert '"a+b"' in toks and "'-'" in toks
    got = [m.description for m in mutants_of(text, "t.c")]
    assert got == ["line 7: '+' -> '-'", "line 7: '+' -> '*'", "line 7: '+' -> '/'", "line 7: '+' -> '%'",
                   "line 7: '1' -> '2'", "line 7: '1' -> '0'"]


def test_generator_covers_each_operator_class_once_per_change() -> None:
    text = ("struct s { int a[3]; };\nint g[2] = {1, 2};\n"
            "int f(int x, int y) {\n  int r = -x + (int)-y;\n  if (x <= 0x10 && y != 0) r++;\n"
            "  r -= 3;\n  return r;\n}\n")
    ms = mutants_of(text, "t.c")
    assert {m.line for m in ms} == {4, 5, 6}  # nothing outside the function body
    assert all(len(m.apply(text)) - len(text) == len(m.replacement) - len(m.original) for m in ms)
    changes = {(m.original, m.replacement) for m in ms}
    assert ("-", "+") not in changes  # both minus signs on line 4 are unary
    assert ("+", "-") in changes and ("<=", "<") in changes and ("&&", "||") in changes
    assert ("0x10", "0x11") in changes and ("0x10", "0xf") in changes and ("0x10", "0x0") in changes
    assert ("0", "1") in changes and ("++", "--") in changes and ("-=", "+=") in changes
    assert ("3", "4") in changes and ("3", "2") in changes and ("3", "0") in changes
    assert len(ms) == len({(m.start, m.replacement) for m in ms})  # one change per mutant
    assert mutants_of(text, "t.c") == ms  # deterministic


def test_sample_is_spread_over_programs() -> None:
    assert len(MUTANTS) == COUNT
    assert len({m.file for m in MUTANTS}) >= COUNT * 3 // 4
    assert any(m.file.startswith("bench/") for m in MUTANTS)


def _param(m: Mutant) -> object:
    reason = KNOWN_WRONG.get(m.ident)
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(m, id=m.ident, marks=marks)


_WATCHED = set(KNOWN_WRONG) | set(FIXED_WRONG)
_EXTRA = [m for m in ALL if m.ident in _WATCHED and m not in MUTANTS]


def test_known_wrong_mutants_exist() -> None:
    assert len(_EXTRA) + sum(m.ident in _WATCHED for m in MUTANTS) == len(_WATCHED)


@pytest.mark.parametrize("mutant", [_param(m) for m in MUTANTS + _EXTRA])
def test_no_wrong_answer_on_mutant(mutant: Mutant) -> None:
    out = evaluate(mutant, timeout=2.0, samples=60, compare=False)
    assert not out.wrong, f"{mutant.file} {mutant.function} {mutant.description}:\n" + "\n".join(out.wrong)


NONDET_LOOP = """extern int __VERIFIER_nondet_int(void);

void f(void) {
  int n = __VERIFIER_nondet_int();
  int lo = 0;
  while (lo < n) {
    if (__VERIFIER_nondet_int()) lo = n;
  }
}
"""


def test_reduced_termination_witness_with_nondet_in_loop_replays(tmp_path: Path) -> None:
    from analysis.model import Status
    from analysis.options import Options
    from analysis.service import verify_text
    from tests.corpus import replay

    path = tmp_path / "nondet_loop.c"
    path.write_text(NONDET_LOOP)
    options = Options(timeout=2.0)
    result = verify_text(NONDET_LOOP, str(path), options)
    refuted = [c for fn in result.functions for c in fn.checks if c.status is Status.REFUTED]
    assert [c.id for c in refuted] == ["termination.loop"]
    r = replay(NONDET_LOOP, path, "f", refuted[0], options)
    assert r.reproduced, r.detail
