"""Loops written with backward gotos, rewritten as ``while (1)`` loops right after parsing.

::

    again:                         while (1) {
      S1;                            S1;
      if (c) { ...; goto again; }    if (c) { ...; continue; }
      S2;                            S2;
    rest;                            break;
                                   }
                                   rest;

Why here: the engine and the certificate checker both get their AST from ``parse_job``, so both
see one loop, with one (line, column) that a certificate names: the label's. Why this is exact:
entering ``again`` runs S1..Sk; a ``goto again`` restarts at S1, which ``continue`` does (the
condition is 1); falling off Sk goes on with ``rest``, which the final ``break`` does.

The rewrite is made only where nothing else can change meaning, and the function otherwise
stays unknown (the engine reports a backward goto): every ``goto`` to the label is inside S1..Sk
and not inside a loop or switch there (its ``continue`` would bind to that one); no ``break``
or ``continue`` in S1..Sk binds to an enclosing statement (it would bind to the new loop); no
declaration or typedef stands directly in S1..Sk (its scope would end at the loop); no ``case`` label
stands directly in S1..Sk; every other label in S1..Sk is reached only from inside them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from pycparser import c_ast

__all__ = ["rewrite_goto_loops"]

_LOOPS = (c_ast.While, c_ast.DoWhile, c_ast.For)


def rewrite_goto_loops(fd: c_ast.FuncDef) -> int:
    """Rewrite each backward-goto loop of ``fd`` in place; the number rewritten."""
    done = 0
    changed = True
    while changed:  # one at a time: a rewrite changes the gotos the next one counts
        changed = False
        targets = Counter(g.name for g in _walk(fd.body) if isinstance(g, c_ast.Goto))
        if not targets:  # most functions: one walk, nothing to do (every parse_job, engine and checker)
            break
        for block in [n for n in _walk(fd.body) if isinstance(n, c_ast.Compound)]:
            if _rewrite_in(block, targets):
                done += 1
                changed = True
                break
    return done


def _rewrite_in(block: c_ast.Compound, targets: Counter[str]) -> bool:
    items = block.block_items or []
    for i, item in enumerate(items):
        if not isinstance(item, c_ast.Label) or targets[item.name] == 0:
            continue
        name = item.name
        inside = [k for k in range(i, len(items)) if any(_is_goto(n, name) for n in _walk(items[k]))]
        if not inside:
            continue
        k = inside[-1]
        span = [item.stmt, *items[i + 1:k + 1]]
        if sum(1 for s in span for n in _walk(s) if _is_goto(n, name)) != targets[name]:
            continue  # a goto from outside S1..Sk (before the label: a forward jump to it)
        if not _safe(span, name, targets):
            continue
        # (a goto standing as a statement of S1..Sk is not under any of them: replaced here)
        span = [c_ast.Continue(coord=s.coord) if _is_goto(s, name) else s for s in span]
        for s in span:
            _replace_gotos(s, name)
        body = c_ast.Compound([*span, c_ast.Break(coord=item.coord)], coord=item.coord)
        loop = c_ast.While(c_ast.Constant("int", "1", coord=item.coord), body, coord=item.coord)
        block.block_items = [*items[:i], loop, *items[k + 1:]]
        return True
    return False


def _safe(span: list[c_ast.Node], name: str, targets: Counter[str]) -> bool:
    for s in span:
        if isinstance(s, c_ast.Decl | c_ast.Typedef):
            return False
        outside_loops = list(_walk(s, stop=_LOOPS + (c_ast.Switch,)))
        if any(isinstance(n, c_ast.Break) for n in outside_loops):
            return False
        if any(isinstance(n, c_ast.Continue) for n in _walk(s, stop=_LOOPS)):
            return False
        if any(isinstance(n, c_ast.Case | c_ast.Default) for n in _walk(s, stop=(c_ast.Switch,))):
            return False
        if sum(1 for n in _walk(s) if _is_goto(n, name)) != sum(1 for n in outside_loops if _is_goto(n, name)):
            return False  # a goto inside a nested loop or switch
    labels = [n.name for s in span for n in _walk(s) if isinstance(n, c_ast.Label) and n.name != name]
    for other in labels:
        from_inside = sum(1 for s in span for n in _walk(s) if _is_goto(n, other))
        if from_inside != targets[other]:
            return False  # reached from outside: it would become a jump into the loop
    return True


def _is_goto(n: c_ast.Node, name: str) -> bool:
    return isinstance(n, c_ast.Goto) and n.name == name


def _replace_gotos(node: c_ast.Node, name: str) -> None:
    """Every ``goto name`` under ``node`` (none inside a nested loop or switch) becomes ``continue``."""
    for parent in _walk(node):
        for attr in getattr(parent, "__slots__", ()):
            child = getattr(parent, attr, None)
            if isinstance(child, c_ast.Node) and _is_goto(child, name):
                setattr(parent, attr, c_ast.Continue(coord=child.coord))
            elif isinstance(child, list):
                for j, c in enumerate(child):
                    if isinstance(c, c_ast.Node) and _is_goto(c, name):
                        child[j] = c_ast.Continue(coord=c.coord)


def _walk(node: c_ast.Node, stop: tuple[type, ...] = ()) -> Iterator[c_ast.Node]:
    """``node`` and everything under it, not entering nodes of the ``stop`` types (``node`` included)."""
    stack = [node]
    while stack:
        n = stack.pop()
        if stop and isinstance(n, stop):
            continue
        yield n
        stack.extend(c for _, c in n.children())
