"""One pass over a condition's DAG through z3's C API: what the checker's rewrites need to know.

Why: walking a condition with z3's Python wrappers costs an object per visited node, which made
three separate walks (purity, divisions by constants, products) a third of the checker's time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import z3
from z3 import z3core

DIVISIONS = frozenset([z3.Z3_OP_BSREM, z3.Z3_OP_BSREM_I, z3.Z3_OP_BSDIV, z3.Z3_OP_BSDIV_I, z3.Z3_OP_BUREM,
                       z3.Z3_OP_BUREM_I, z3.Z3_OP_BUDIV, z3.Z3_OP_BUDIV_I])
OVERFLOW_PREDICATES = frozenset([z3.Z3_OP_BSMUL_NO_OVFL, z3.Z3_OP_BSMUL_NO_UDFL])


@dataclass
class Scan:
    pure_bv: bool = True  # only Booleans and bit-vectors: the SAT-based solvers apply
    products: list[Any] = field(default_factory=list)  # bvmul with two or more non-constant operands
    predicates: list[Any] = field(default_factory=list)  # bvsmul_noovfl / bvsmul_noudfl
    divisions: list[Any] = field(default_factory=list)  # div / rem by a non-zero constant


def scan(goal: Any) -> Scan:
    ctx, ref = goal.ctx, goal.ctx.ref()
    out, seen, todo = Scan(), set(), [goal.as_ast()]
    numeral, app = z3.Z3_NUMERAL_AST, z3.Z3_APP_AST
    while todo:
        a = todo.pop()
        ident = z3core.Z3_get_ast_id(ref, a)
        if ident in seen:
            continue
        seen.add(ident)
        kind = z3core.Z3_get_ast_kind(ref, a)
        if kind == numeral:
            continue
        if kind != app:
            out.pure_bv = False  # quantifiers, variables
            continue
        sort = z3core.Z3_get_sort_kind(ref, z3core.Z3_get_sort(ref, a))
        if sort not in (z3.Z3_BOOL_SORT, z3.Z3_BV_SORT):
            out.pure_bv = False
        op = z3core.Z3_get_decl_kind(ref, z3core.Z3_get_app_decl(ref, a))
        n = z3core.Z3_get_app_num_args(ref, a)
        args = [z3core.Z3_get_app_arg(ref, a, i) for i in range(n)]
        if op == z3.Z3_OP_BMUL and sum(z3core.Z3_get_ast_kind(ref, x) != numeral for x in args) >= 2:
            out.products.append(z3.z3._to_expr_ref(a, ctx))
        elif op in OVERFLOW_PREDICATES:
            out.predicates.append(z3.z3._to_expr_ref(a, ctx))
        elif op in DIVISIONS and n == 2 and z3core.Z3_get_ast_kind(ref, args[1]) == numeral:
            t = z3.z3._to_expr_ref(a, ctx)
            if t.arg(1).as_long() != 0:
                out.divisions.append(t)
        todo.extend(args)
    return out
