"""memory.leak (issue 11 item 3): a block allocated by the function, live when it returns and
reachable from nothing it hands back. Refutations replay under LeakSanitizer; what the engine
cannot follow (a pointer stored in memory, a block per iteration of a summarised loop) is
unknown, never refuted or proved; a leak is not undefined behaviour."""

from __future__ import annotations

from pathlib import Path

from analysis.model import Status
from analysis.options import Options
from analysis.testgen import harness_for
from tests.test_library_models import Verified, verify

LEAKS = r"""
struct box { int *item; };

int stored_in_memory(struct box *b) {
  int *p = malloc(sizeof *p);
  if (p == NULL) return 0;
  b->item = p; // the caller's struct holds it: not followed, so never a refuted leak
  return 1;
}

int forgets_in_loop(int n) {
  int made = 0;
  for (int i = 0; i < n; i++) { // @loop
    char *line = malloc(16); // @per-line
    if (line == NULL) return made;
    made++;
  }
  return made;
}

int counts_then_leaks(unsigned n) {
  unsigned k = 0;
  while (k < n) // @count
    k++;
  char *tmp = malloc(4); // @tmp
  if (tmp == NULL) return 0;
  tmp[0] = 1;
  return (int)k; // tmp is never freed
}

int unchecked(void) {
  int *p = malloc(sizeof *p);
  *p = 1; // @unchecked: malloc may return NULL
  free(p);
  return 0;
}

void *keep_global(int n);
static void *registry;
void *keep_global(int n) {
  registry = malloc(n); // @registry
  return 0;
}
"""


def leaks(tmp_path: Path) -> Verified:
    return verify(tmp_path, LEAKS)


def test_a_pointer_stored_in_memory_is_not_a_refuted_leak(tmp_path: Path) -> None:
    v = leaks(tmp_path)
    (c,) = v.checks("stored_in_memory", "memory.leak")
    assert c.status is Status.UNKNOWN, (c.status, c.reason)


def test_a_block_per_iteration_of_a_summarised_loop_is_unknown(tmp_path: Path) -> None:
    v = leaks(tmp_path)
    (c,) = v.checks("forgets_in_loop", "memory.leak", "@per-line")
    # the exact run may refute it (it leaks every block but the last); it must never be proved
    assert c.status is not Status.PROVED, c.reason
    if c.status is Status.REFUTED:
        v.refuted_and_replays("forgets_in_loop", "memory.leak", "@per-line")


def test_a_leak_after_a_loop_is_refuted_and_replays_under_leaksanitizer(tmp_path: Path) -> None:
    v = leaks(tmp_path)
    c = v.refuted_and_replays("counts_then_leaks", "memory.leak", "@tmp")
    harness = harness_for(v.text, str(v.path), "counts_then_leaks", c, Options())
    assert "__lsan_do_leak_check" in harness
    # a leak is not undefined behaviour: the loop's termination proof is not qualified by it
    (t,) = v.checks("counts_then_leaks", "termination.loop", "@count")
    assert t.status is Status.PROVED and "refuted" not in (t.witness or ""), t.witness


def test_a_global_pointer_keeps_its_block(tmp_path: Path) -> None:
    v = leaks(tmp_path)
    (c,) = v.checks("keep_global", "memory.leak")
    assert c.status is not Status.REFUTED, c.reason


def test_only_a_leak_harness_runs_the_leak_check(tmp_path: Path) -> None:
    v = leaks(tmp_path)
    c = v.refuted_and_replays("unchecked", "memory.null", "@unchecked")
    assert "__lsan_do_leak_check" not in harness_for(v.text, str(v.path), "unchecked", c, Options())
    (leak,) = v.checks("unchecked", "memory.leak")
    assert leak.status is Status.PROVED, leak.reason  # freed on the only way out


CONTRACT = r"""
/*@ ensures \true; */
void drop(int *p) { free(p); }
int after_drop(void) {
  int *p = malloc(sizeof *p);
  if (!p) return 0;
  *p = 1;
  drop(p);
  return *p; // @after
}
"""


def test_memory_passed_to_a_contract_callee_may_be_freed(tmp_path: Path) -> None:
    """The abstract run uses drop()'s contract, which says nothing of memory: the block may be freed
    there, so `*p` after it is never proved (the exact run, which runs drop's body, refutes it)."""
    v = verify(tmp_path, CONTRACT)
    assert v.status("after_drop", "memory.use-after-free", "@after") is not Status.PROVED
    (passed,) = v.checks("after_drop", "memory.unmodelled")
    assert "used through its contract" in (passed.reason or "")
    assert v.status("after_drop", "memory.leak") is not Status.PROVED
