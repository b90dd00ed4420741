"""Loops of backward gotos become while (1) loops: where the rewrite is made, the compiled program
computes what the original does (gcc runs both on many inputs); where it would change meaning,
it is not made."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from pycparser import c_ast, c_generator, c_parser

from analysis.frontend.goto_loops import rewrite_goto_loops

REWRITTEN = {
    "closed_by_a_bare_goto": """int closed_by_a_bare_goto(int n) {
  int i = 0;
again:
  if (i >= n) return i;
  i++;
  goto again;
}""",
    "count": """int count(int n) {
  int i = 0;
again:
  i++;
  if (i < n) goto again;
  return i;
}""",
    "retry": """int retry(int n) {
  int tries = 0, x = n;
again:
  tries++;
  if (tries > 3) goto fail;
  x = x / 2;
  if (x > 10) goto again;
  return tries;
fail:
  return -tries;
}""",
    "two_gotos": """int two_gotos(int n) {
  int s = 0;
top:
  if (n > 0) { n -= 3; s += 1; goto top; }
  if (n < -1) { n += 1; s += 10; goto top; }
  return s * 100 + n;
}""",
    "inside_loop": """int inside_loop(int n) {
  int s = 0;
  for (int i = 0; i < n && i < 6; i++) {
  inner:
    s += i;
    if (s % 4 != 0 && s < 40) goto inner;
    if (s > 30) break;
  }
  return s;
}""",
    "nested_own_loop": """int nested_own_loop(int n) {
  int s = 0, k = 0;
again:
  for (int j = 0; j < 3; j++) { if (j == n) break; s += j; }
  k++;
  if (k < 4) goto again;
  return s + k;
}""",
    "two_labels": """int two_labels(int n) {
  int a = 0;
outer:
  a += 2;
inner:
  a += 1;
  if (a % 5 == 0) goto inner;
  if (a < n) goto outer;
  return a;
}""",
}

KEPT = {  # the rewrite would change what these do (or has no single loop to make): left alone
    "break_outer": """int break_outer(int n) {
  int s = 0;
  while (n > 0) {
  l:
    n--;
    s++;
    if (n == 5) break;
    if (n > 100) goto l;
  }
  return s;
}""",
    "declaration": """int declaration(int n) {
again:
  n--;
  int k = n * 2;
  if (n > 0) goto again;
  return k;
}""",
    "typedef_inside": """int typedef_inside(int n) {
again:
  n--;
  typedef int cell;
  if (n > 0) goto again;
  return (cell)n;
}""",
    "from_inner_loop": """int from_inner_loop(int n) {
  int i = 0;
again:
  for (int k = 0; k < 2; k++) { if (i < n) { i++; goto again; } }
  return i;
}""",
    "forward_too": """int forward_too(int n) {
  int i = 0;
  if (n > 5) goto again;
  i = 3;
again:
  i++;
  if (i < n) goto again;
  return i;
}""",
    "into_from_outside": """int into_from_outside(int n) {
  int i = 0;
  if (n > 7) goto mid;
again:
  i++;
mid:
  i += 2;
  if (i < n) goto again;
  return i;
}""",
    "case_inside": """int case_inside(int n) {
  int s = 0;
  switch (n % 3) {
  case 0:
  again:
    s++;
  case 1:
    s += 2;
    if (s < n) goto again;
  }
  return s;
}""",
}


def _parse(src: str) -> c_ast.FuncDef:
    ext = c_parser.CParser().parse(src).ext[0]
    assert isinstance(ext, c_ast.FuncDef)
    return ext


def _gotos(fd: c_ast.FuncDef) -> int:
    return c_generator.CGenerator().visit(fd).count("goto ")


@pytest.mark.parametrize("name", sorted(KEPT))
def test_left_alone_where_meaning_would_change(name: str) -> None:
    fd = _parse(KEPT[name])
    before = c_generator.CGenerator().visit(fd)
    assert rewrite_goto_loops(fd) == 0
    assert c_generator.CGenerator().visit(fd) == before


@pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")
def test_rewritten_programs_compute_what_the_originals_do() -> None:
    """Every rewritten function, compiled, returns what the original returns for n in -5..60."""
    originals, rewritten = [], []
    for name, src in REWRITTEN.items():
        fd = _parse(src)
        assert rewrite_goto_loops(fd) >= 1, name
        text = c_generator.CGenerator().visit(fd)
        if name != "retry":  # retry's forward `goto fail` stays a goto
            assert _gotos(fd) == 0, text
        originals.append(src.replace(f"int {name}(", f"int orig_{name}(", 1))
        rewritten.append(text)
    calls = "\n".join(f'    printf("%d %d\\n", orig_{n}(n), {n}(n));' for n in REWRITTEN)
    main = f"#include <stdio.h>\nint main(void) {{\n  for (int n = -5; n <= 60; n++) {{\n{calls}\n  }}\n  return 0;\n}}\n"
    with tempfile.TemporaryDirectory(prefix="prooflens-goto-") as d:
        src = Path(d) / "both.c"
        src.write_text("\n".join([*originals, *rewritten]) + "\n" + main)
        exe = Path(d) / "both"
        subprocess.run(["gcc", "-std=gnu11", "-O0", "-fsanitize=undefined", "-fno-sanitize-recover=all", str(src),
                        "-o", str(exe)], check=True, capture_output=True, timeout=60)
        out = subprocess.run([str(exe)], check=True, capture_output=True, text=True, timeout=60).stdout
    pairs = [line.split() for line in out.splitlines()]
    assert len(pairs) == 66 * len(REWRITTEN)
    assert all(a == b for a, b in pairs), [p for p in pairs if p[0] != p[1]][:5]
