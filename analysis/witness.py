"""SV-COMP verification witnesses, format 2.0 (YAML), for the verdict mode (``--witness FILE``).

* verdict "true": a correctness witness, one ``invariant_set`` entry whose ``loop_invariant``s are
  the loop invariants of the certificates of the proved checks, translated from SMT-LIB to C;
* verdict "false": a violation witness, one ``violation_sequence`` entry: a ``function_return``
  waypoint per value returned by a ``__VERIFIER_nondet_*`` call (``\\result == v``), an
  ``assumption`` waypoint for the entry function's inputs, and the final ``target`` waypoint at
  the failing check.

The SMT-LIB -> C translation is exact: every bit-vector term of width w becomes a C expression of
type ``unsigned int`` (w <= 32) or ``unsigned long long`` (w <= 64) whose value is the term's
unsigned value, with explicit casts and masks so that wrap-around and signedness do not depend on
the C types of the variables. Signed views use conversions to the signed type of that width, whose
result gcc (and every SV-COMP validator) defines as reduction modulo 2^w. Anything else (wider
terms, ``x@entry``, uninterpreted functions...) drops that invariant: a witness with fewer
invariants is still a valid witness.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import z3

from analysis import __version__
from analysis.model import CheckResult, Counterexample, FileResult, Status
from analysis.options import Options

SPECIFICATIONS = {
    "unreach-call": "G ! call(reach_error())",
    "no-overflow": "G ! overflow",
    "termination": "F end",
}
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


class Untranslatable(Exception):
    """The term has something the translator does not express exactly in C."""


# -- SMT-LIB -> C ----------------------------------------------------------------------------------


def _utype(w: int) -> str:
    if w <= 32:
        return "unsigned int"
    if w <= 64:
        return "unsigned long long"
    raise Untranslatable(f"{w}-bit term")


def _lit(v: int, w: int) -> str:
    return f"{v}u" if w <= 32 else f"{v}ull"


def _mask(w: int) -> int:
    return (1 << w) - 1


_SIGNED = {8: "signed char", 16: "short", 32: "int", 64: "long long"}
_LEAF = {1: "(unsigned int){x}", 8: "(unsigned int)(unsigned char){x}", 16: "(unsigned int)(unsigned short){x}",
         32: "(unsigned int){x}", 64: "(unsigned long long){x}"}


class _ToC:
    """One z3 term -> one C expression (see the module docstring for the representation)."""

    def __init__(self) -> None:
        self.vars: dict[str, int] = {}
        self.memo: dict[int, str] = {}

    def norm(self, code: str, w: int) -> str:
        """``code`` (computed in _utype(w), wrapping modulo 2^32 or 2^64) reduced modulo 2^w."""
        return code if w in (32, 64) else f"({code} & {_lit(_mask(w), w)})"

    def signed(self, e: Any) -> str:
        """The signed value of bit-vector ``e`` as a C expression of a signed type."""
        w = e.size()
        if z3.is_bv_value(e):
            v = e.as_signed_long()
            if v == -(1 << 63):
                return "(-9223372036854775807ll - 1)"
            return f"{v}ll" if w > 32 else f"({v})" if v < 0 else str(v)
        if w in _SIGNED:
            if z3.is_const(e) and e.decl().kind() == z3.Z3_OP_UNINTERPRETED:
                self.bv(e)  # records the variable
                return f"({_SIGNED[w]}){e.decl().name()}"
            return f"({_SIGNED[w]}){self.bv(e)}"
        if w < 64:
            sb = 1 << (w - 1)
            return f"((long long)({self.bv(e)} ^ {_lit(sb, w)}) - {sb}ll)"
        raise Untranslatable(f"signed view of a {w}-bit term")

    def boolean(self, e: Any) -> str:
        if not z3.is_app(e):
            raise Untranslatable("quantifier or variable binder")
        k = e.decl().kind()
        args = e.children()
        if k == z3.Z3_OP_TRUE:
            return "1"
        if k == z3.Z3_OP_FALSE:
            return "0"
        if k == z3.Z3_OP_AND:
            return "(" + " && ".join(self.boolean(a) for a in args) + ")" if args else "1"
        if k == z3.Z3_OP_OR:
            return "(" + " || ".join(self.boolean(a) for a in args) + ")" if args else "0"
        if k == z3.Z3_OP_NOT:
            return f"!{self.boolean(args[0])}"
        if k == z3.Z3_OP_IMPLIES:
            return f"(!{self.boolean(args[0])} || {self.boolean(args[1])})"
        if k == z3.Z3_OP_XOR:
            return f"({self.boolean(args[0])} != {self.boolean(args[1])})"
        if k == z3.Z3_OP_ITE:
            return f"({self.boolean(args[0])} ? {self.boolean(args[1])} : {self.boolean(args[2])})"
        if k in (z3.Z3_OP_EQ, z3.Z3_OP_DISTINCT):
            op = " == " if k == z3.Z3_OP_EQ else " != "
            conv = self.boolean if z3.is_bool(args[0]) else self.bv if z3.is_bv(args[0]) else None
            if conv is None:
                raise Untranslatable(f"equality over {args[0].sort()}")
            if k == z3.Z3_OP_EQ and len(args) == 2:
                return f"({conv(args[0])}{op}{conv(args[1])})"
            pairs = [(a, b) for i, a in enumerate(args) for b in args[i + 1:]] if k == z3.Z3_OP_DISTINCT else \
                list(zip(args, args[1:], strict=False))
            return "(" + " && ".join(f"({conv(a)}{op}{conv(b)})" for a, b in pairs) + ")"
        cmp = {z3.Z3_OP_ULEQ: "<=", z3.Z3_OP_ULT: "<", z3.Z3_OP_UGEQ: ">=", z3.Z3_OP_UGT: ">"}
        if k in cmp:
            return f"({self.bv(args[0])} {cmp[k]} {self.bv(args[1])})"
        scmp = {z3.Z3_OP_SLEQ: "<=", z3.Z3_OP_SLT: "<", z3.Z3_OP_SGEQ: ">=", z3.Z3_OP_SGT: ">"}
        if k in scmp:
            return f"({self.signed(args[0])} {scmp[k]} {self.signed(args[1])})"
        raise Untranslatable(f"Boolean operator {e.decl().name()}")

    def bv(self, e: Any) -> str:
        key = e.get_id()
        if key not in self.memo:
            self.memo[key] = self._bv(e)
        return self.memo[key]

    def _bv(self, e: Any) -> str:  # noqa: C901 - one case per operator
        if not z3.is_bv(e):
            raise Untranslatable(f"term of sort {e.sort()}")
        w = e.size()
        ut = _utype(w)
        if z3.is_bv_value(e):
            return _lit(e.as_long(), w)
        if not z3.is_app(e):
            raise Untranslatable("bound variable")
        k = e.decl().kind()
        args = e.children()
        if k == z3.Z3_OP_UNINTERPRETED:
            name = e.decl().name()
            if args or not _IDENT.match(name) or w not in _LEAF:
                raise Untranslatable(f"symbol {name}")
            self.vars[name] = w
            return "(" + _LEAF[w].format(x=name) + ")"
        if k == z3.Z3_OP_ITE:
            return f"({self.boolean(args[0])} ? {self.bv(args[1])} : {self.bv(args[2])})"
        nary = {z3.Z3_OP_BADD: "+", z3.Z3_OP_BMUL: "*", z3.Z3_OP_BSUB: "-"}
        if k == z3.Z3_OP_BADD:  # x + 0 -> x
            args = [a for a in args if not (z3.is_bv_value(a) and a.as_long() == 0)] or args[:1]
            if len(args) == 1:
                return self.bv(args[0])
        if k == z3.Z3_OP_BMUL and len(args) == 2 and z3.is_bv_value(args[0]) and args[0].as_long() == _mask(w):
            return self.norm(f"({_lit(0, w)} - {self.bv(args[1])})", w)  # -1 * x -> -x
        if k in nary:
            return self.norm("(" + f" {nary[k]} ".join(self.bv(a) for a in args) + ")", w)
        bitwise = {z3.Z3_OP_BAND: "&", z3.Z3_OP_BOR: "|", z3.Z3_OP_BXOR: "^"}
        if k in bitwise:
            return "(" + f" {bitwise[k]} ".join(self.bv(a) for a in args) + ")"
        negated = {z3.Z3_OP_BNAND: "&", z3.Z3_OP_BNOR: "|", z3.Z3_OP_BXNOR: "^"}
        if k in negated:
            return self.norm("~(" + f" {negated[k]} ".join(self.bv(a) for a in args) + ")", w)
        if k == z3.Z3_OP_BNOT:
            return self.norm(f"(~{self.bv(args[0])})", w)
        if k == z3.Z3_OP_BNEG:
            return self.norm(f"({_lit(0, w)} - {self.bv(args[0])})", w)
        if k == z3.Z3_OP_BUDIV:
            a, b = self.bv(args[0]), self.bv(args[1])
            return f"({b} == {_lit(0, w)} ? {_lit(_mask(w), w)} : {a} / {b})"
        if k == z3.Z3_OP_BUREM:
            a, b = self.bv(args[0]), self.bv(args[1])
            return f"({b} == {_lit(0, w)} ? {a} : {a} % {b})"
        if k in (z3.Z3_OP_BSDIV, z3.Z3_OP_BSREM, z3.Z3_OP_BSMOD):
            return self._signed_div(k, args, w)
        if k in (z3.Z3_OP_BSHL, z3.Z3_OP_BLSHR, z3.Z3_OP_BASHR):
            a, b = self.bv(args[0]), self.bv(args[1])
            small = f"{b} < {_lit(w, w)}"
            if k == z3.Z3_OP_BSHL:
                return f"({small} ? {self.norm(f'({a} << {b})', w)} : {_lit(0, w)})"
            if k == z3.Z3_OP_BLSHR:
                return f"({small} ? ({a} >> {b}) : {_lit(0, w)})"
            # arithmetic shift without implementation-defined >> of a negative value:
            # floor(s / 2^n) = ((a ^ SB) >> n) - (SB >> n) modulo 2^w, n at most w - 1
            sb, n = _lit(1 << (w - 1), w), f"({small} ? {b} : {_lit(w - 1, w)})"
            return self.norm(f"((({a} ^ {sb}) >> {n}) - ({sb} >> {n}))", w)
        if k == z3.Z3_OP_CONCAT:
            out, ow = self.bv(args[0]), args[0].size()
            for nxt in args[1:]:
                nw = ow + nxt.size()
                t = _utype(nw)
                out = f"((({t}){out} << {nxt.size()}) | ({t}){self.bv(nxt)})"
                ow = nw
            return out
        if k == z3.Z3_OP_EXTRACT:
            hi, lo = e.params()
            src, sw = self.bv(args[0]), args[0].size()
            code = f"({src} >> {lo})" if lo else src
            if _utype(sw) != ut:
                code = f"(({ut}){code})"
            return code if w == sw or w in (32, 64) else self.norm(code, w)
        if k == z3.Z3_OP_ZERO_EXT:
            src = self.bv(args[0])
            return src if _utype(args[0].size()) == ut else f"(({ut}){src})"
        if k == z3.Z3_OP_SIGN_EXT:
            return self.norm(f"(({ut}){self.signed(args[0])})", w)
        if k == z3.Z3_OP_BCOMP:
            return f"({self.bv(args[0])} == {self.bv(args[1])} ? 1u : 0u)"
        raise Untranslatable(f"bit-vector operator {e.decl().name()}")

    def _signed_div(self, k: int, args: list[Any], w: int) -> str:
        """SMT-LIB bvsdiv/bvsrem/bvsmod: C's truncating / and % on the signed views, with the
        SMT-LIB results for a zero divisor and the divisor -1 (no INT_MIN / -1 in C)."""
        if w not in _SIGNED:
            raise Untranslatable(f"signed division on {w} bits")
        ut = _utype(w)
        a, sa, sb = self.bv(args[0]), self.signed(args[0]), self.signed(args[1])
        if k == z3.Z3_OP_BSDIV:
            zero = f"({sa} < 0 ? {_lit(1, w)} : {_lit(_mask(w), w)})"
            minus1 = self.norm(f"({_lit(0, w)} - {a})", w)
            return f"({sb} == 0 ? {zero} : {sb} == -1 ? {minus1} : {self.norm(f'(({ut})({sa} / {sb}))', w)})"
        rem = f"({sa} % {sb})"
        if k == z3.Z3_OP_BSREM:
            return f"({sb} == 0 ? {a} : {sb} == -1 ? {_lit(0, w)} : {self.norm(f'(({ut}){rem})', w)})"
        # bvsmod: the remainder with the divisor's sign
        adj = f"({rem} == 0 || ({rem} < 0) == ({sb} < 0) ? {rem} : {rem} + {sb})"
        return f"({sb} == 0 ? {a} : {sb} == -1 ? {_lit(0, w)} : {self.norm(f'(({ut}){adj})', w)})"


def term_to_c(term: Any) -> str:
    """A z3 Boolean term over bit-vector constants -> an equivalent C expression (0 or 1)."""
    if not z3.is_bool(term):
        raise Untranslatable("not a Boolean term")
    return _ToC().boolean(term)


def smt_to_c(text: str, widths: dict[str, int]) -> str | None:
    """The SMT-LIB Boolean term ``text`` over the C variables ``widths`` (name -> bits) as a C
    expression, or None if it cannot be expressed exactly (or mentions anything else)."""
    if "@" in text:  # x@entry: the value at loop entry, which a C expression cannot name
        return None
    tokens = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text))
    try:
        ctx = z3.Context()
        decls = {n: z3.BitVec(n, w, ctx) for n, w in widths.items() if n in tokens}
        got = z3.parse_smt2_string(f"(assert {text})", decls=decls, ctx=ctx)
        if len(got) != 1:
            return None
        return term_to_c(got[0])
    except (z3.Z3Exception, Untranslatable, RecursionError):
        return None


# -- what the witness needs from the C source ------------------------------------------------------


@dataclass
class _Source:
    loops: dict[tuple[int, int], str] = field(default_factory=dict)  # loop position -> function
    widths: dict[str, dict[str, set[int]]] = field(default_factory=dict)  # function -> name -> bits
    globals: dict[str, set[int]] = field(default_factory=dict)
    nondet: list[tuple[str, int, int, str]] = field(default_factory=list)  # (callee, line, col of ')', function)
    first_stmt: dict[str, tuple[int, int]] = field(default_factory=dict)
    params: dict[str, list[str]] = field(default_factory=dict)
    spans: list[tuple[str, tuple[int, int], tuple[int, int]]] = field(default_factory=list)

    def function_at(self, line: int, column: int) -> str | None:
        for name, start, end in self.spans:
            if start <= (line, column) <= end:
                return name
        return None

    def scope(self, function: str) -> dict[str, int]:
        """Name -> width of the integer variables of ``function`` and the globals (names
        declared with two different widths are left out: which one a name means is unclear)."""
        merged: dict[str, set[int]] = {n: set(ws) for n, ws in self.globals.items()}
        for n, ws in self.widths.get(function, {}).items():
            merged.setdefault(n, set()).update(ws)
        return {n: next(iter(ws)) for n, ws in merged.items() if len(ws) == 1}


def _close_paren(lines: list[str], line: int, col: int) -> tuple[int, int] | None:
    """The position (1-based) of the ')' that closes the call whose name starts at (line, col)."""
    depth, started = 0, False
    for ln in range(line, min(len(lines), line + 50) + 1):
        text = lines[ln - 1]
        for c in range(col - 1 if ln == line else 0, len(text)):
            ch = text[c]
            if ch == "(":
                depth, started = depth + 1, True
            elif ch == ")" and started:
                depth -= 1
                if depth == 0:
                    return ln, c + 1
    return None


def _source(path: str, text: str, options: Options, entry: str) -> _Source | None:
    from pycparser import c_ast

    from analysis.certify.cdecl import Program, Unsupported
    from analysis.ctypes import DataModel, IntType
    from analysis.engine.parse import parse_job
    from analysis.service import functions_of, make_job, split_text

    split = split_text(text, path, options)
    units = functions_of(split)
    unit = next((u for u in units if u.name == entry), None)
    if unit is None:
        return None
    ast = parse_job(make_job(split, unit, options).context, unit).ast
    if ast is None:
        return None
    src = _Source()
    src.spans = [(u.name or "", (u.span.start.line, u.span.start.column), (u.span.end.line, u.span.end.column))
                 for u in units]
    prog = Program(ast, DataModel(options.data_model), {})
    lines = text.splitlines()

    def bits(t: Any) -> int | None:
        try:
            ct = prog.resolve(t)
        except (Unsupported, KeyError, AttributeError, TypeError, ValueError):
            return None
        return ct.bits if isinstance(ct, IntType) else None

    for name, g in prog.globals.items():
        if isinstance(g.ctype, IntType):
            src.globals.setdefault(name, set()).add(g.ctype.bits)

    class Walk(c_ast.NodeVisitor):  # type: ignore[misc]
        def __init__(self, fn: str) -> None:
            self.fn = fn
            self.names: dict[str, set[int]] = {}

        def generic_visit(self, node: Any) -> None:
            coord = getattr(node, "coord", None)
            if isinstance(node, (c_ast.While, c_ast.DoWhile, c_ast.For)) and coord is not None:
                src.loops[(coord.line, coord.column)] = self.fn
            elif isinstance(node, c_ast.Decl) and node.name and not isinstance(node.type, c_ast.FuncDecl):
                b = bits(node.type)
                if b is not None:
                    self.names.setdefault(node.name, set()).add(b)
            elif isinstance(node, c_ast.FuncCall) and isinstance(node.name, c_ast.ID) and \
                    node.name.name.startswith("__VERIFIER_nondet_") and coord is not None:
                close = _close_paren(lines, coord.line, coord.column)
                if close is not None:
                    src.nondet.append((node.name.name, close[0], close[1], self.fn))
            for _, child in node.children():
                self.visit(child)

    for ext in ast.ext:
        if isinstance(ext, c_ast.FuncDef):
            fn = ext.decl.name
            walk = Walk(fn)
            walk.visit(ext)
            src.widths[fn] = walk.names
            args = getattr(ext.decl.type, "args", None)
            src.params[fn] = [p.name for p in (args.params if args else []) if getattr(p, "name", None)]
            items = ext.body.block_items or []
            if items and items[0].coord is not None:
                src.first_stmt[fn] = (items[0].coord.line, items[0].coord.column)
    src.nondet.sort(key=lambda s: (s[1], s[2]))
    return src


# -- the witness entries ----------------------------------------------------------------------------


def _metadata(path: str, text_bytes: bytes, options: Options, prop: str) -> dict[str, Any]:
    return {
        "format_version": "2.0",
        "uuid": str(uuid.uuid4()),
        "creation_time": datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat(),
        "producer": {"name": "prooflens", "version": __version__},
        "task": {
            "input_files": [path],
            "input_file_hashes": {path: hashlib.sha256(text_bytes).hexdigest()},
            "specification": SPECIFICATIONS[prop],
            "data_model": options.data_model,
            "language": "C",
        },
    }


def loop_invariants(checks: Iterable[CheckResult], src: _Source) -> list[tuple[int, int, str, str]]:
    """(line, column, function, C expression) of every loop invariant of the proved checks'
    certificates that translates exactly; several entries for one loop in one certificate are a
    disjunction (as the certificate checker reads them)."""
    out: list[tuple[int, int, str, str]] = []
    seen: set[tuple[int, int, str]] = set()
    for c in checks:
        cert = c.certificate
        if c.status is not Status.PROVED or not isinstance(cert, dict) or cert.get("method") != "invariants":
            continue
        by_loop: dict[tuple[int, int], list[str | None]] = {}
        for loop in cert.get("loops", []):
            if not isinstance(loop, dict) or not isinstance(loop.get("invariant"), str):
                continue  # "unroll" entries: executed exactly, no invariant to give
            pos = (loop.get("line"), loop.get("column"))
            if not all(type(p) is int for p in pos) or pos not in src.loops:
                continue
            fn = src.loops[pos]  # type: ignore[index]
            by_loop.setdefault(pos, []).append(smt_to_c(loop["invariant"], src.scope(fn)))  # type: ignore[arg-type]
        for (line, col), alts in by_loop.items():
            if any(a is None for a in alts):
                continue
            value = alts[0] if len(alts) == 1 else "(" + " || ".join(str(a) for a in alts) + ")"
            assert value is not None
            key = (line, col, value)
            if key not in seen:
                seen.add(key)
                out.append((line, col, src.loops[(line, col)], value))
    return out


def _location(path: str, line: int, column: int, function: str | None) -> dict[str, Any]:
    loc: dict[str, Any] = {"file_name": path, "line": line, "column": column}
    if function:
        loc["function"] = function
    return loc


def _c_int(v: int) -> str:
    if v > (1 << 63) - 1:
        return f"{v}ull"
    if v < -(1 << 63) + 1:
        return f"({v + 1} - 1)"
    return str(v)


def _nondet_sites(cx: Counterexample, src: _Source) -> list[tuple[str, int, int, str]] | None:
    """The call site of each nondet value, in execution order, or None if not sure."""
    by_name: dict[str, list[tuple[str, int, int, str]]] = {}
    for site in src.nondet:
        by_name.setdefault(site[0], []).append(site)
    if all(len(by_name.get(fn, [])) == 1 for fn, _ in cx.nondet):
        return [by_name[fn][0] for fn, _ in cx.nondet]
    # otherwise: the trace's steps, each executing the calls on its line (column order)
    out: list[tuple[str, int, int, str]] = []
    for step in cx.trace:
        out.extend(s for s in src.nondet if s[1] == step.line)
    if len(out) != len(cx.nondet) or any(s[0] != fn for s, (fn, _) in zip(out, cx.nondet, strict=True)):
        return None
    return out


def violation_content(cx: Counterexample, failing: CheckResult, entry: str, path: str,
                      src: _Source) -> tuple[list[dict[str, Any]], list[str]]:
    """The segments of the violation sequence, and notes about what had to be left out."""
    notes: list[str] = []
    segments: list[dict[str, Any]] = []
    params = set(src.params.get(entry, []))
    inputs = [(n, v) for n, v in cx.inputs if n in params and _IDENT.match(n)]
    if len(inputs) != len(cx.inputs):
        notes.append("some inputs are not parameters of the entry function and are left out")
    if inputs and entry in src.first_stmt:
        line, col = src.first_stmt[entry]
        segments.append({"segment": [{"waypoint": {
            "type": "assumption", "action": "follow", "location": _location(path, line, col, entry),
            "constraint": {"value": " && ".join(f"{n} == {_c_int(v)}" for n, v in inputs),
                           "format": "c_expression"}}}]})
    sites = _nondet_sites(cx, src) if cx.nondet else []
    if sites is None:
        notes.append("the nondet calls of the counterexample could not be located: only the target is given")
        sites = []
    for (_, line, col, fn), (_, value) in zip(sites, cx.nondet, strict=False):
        segments.append({"segment": [{"waypoint": {
            "type": "function_return", "action": "follow", "location": _location(path, line, col, fn),
            "constraint": {"value": f"\\result == {_c_int(value)}", "format": "acsl_expression"}}}]})
    line, col = failing.span.start.line, failing.span.start.column
    segments.append({"segment": [{"waypoint": {
        "type": "target", "action": "follow",
        "location": _location(path, line, col, src.function_at(line, col))}}]})
    return segments, notes


def build_witness(path: str, text: str, options: Options, entry: str, prop: str,
                  result: FileResult) -> tuple[str | None, list[str]]:
    """The witness YAML text for ``result`` (a verdict-mode FileResult), or None; and notes."""
    from analysis.svcomp import verdict_of

    if result.verdict not in ("true", "false") or not result.functions:
        return None, [f"verdict {result.verdict or 'unknown'}: no witness written"]
    src = _source(path, text, options, entry)
    if src is None:
        return None, ["the program could not be parsed again: no witness written"]
    meta = _metadata(path, text.encode(), options, prop)
    fn = next((f for f in result.functions if f.name == entry), result.functions[0])
    if result.verdict == "true":
        invs = loop_invariants(fn.checks, src)
        content = [{"invariant": {"type": "loop_invariant", "location": _location(path, line, col, func),
                                  "value": value, "format": "c_expression"}}
                   for line, col, func, value in invs]
        return to_yaml([{"entry_type": "invariant_set", "metadata": meta, "content": content}]), []
    if prop == "termination":
        return None, ["a nontermination witness needs cycle waypoints (not in format 2.0): no witness written"]
    _, failing = verdict_of(prop, fn)
    cx = result.verdict_counterexample
    if failing is None or cx is None:
        return None, ["no counterexample: no witness written"]
    segments, notes = violation_content(cx, failing, entry, path, src)
    return to_yaml([{"entry_type": "violation_sequence", "metadata": meta, "content": segments}]), notes


# -- YAML (block style; every string double-quoted, JSON escapes are YAML escapes) ------------------


def _scalar(v: Any) -> str:
    if isinstance(v, dict):
        return "{}"
    if isinstance(v, list):
        return "[]"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    return json.dumps(str(v), ensure_ascii=True)


def _emit(v: Any, indent: int, out: list[str]) -> None:
    """Block-style YAML of ``v`` (dicts with identifier keys, lists, ints, strings)."""
    pad = " " * indent
    nested = (isinstance(v, (dict, list)) and bool(v))
    if not nested:
        out.append(pad + _scalar(v))
    elif isinstance(v, dict):
        for k, x in v.items():
            if isinstance(x, (dict, list)) and x:
                out.append(f"{pad}{k}:")
                _emit(x, indent + 2, out)
            else:
                out.append(f"{pad}{k}: {_scalar(x)}")
    else:
        for x in v:
            sub: list[str] = []
            _emit(x, 0, sub)
            out.append(f"{pad}- {sub[0]}")
            out.extend(f"{pad}  {line}" for line in sub[1:])


def to_yaml(doc: Any) -> str:
    out: list[str] = []
    _emit(doc, 0, out)
    return "\n".join(out) + "\n"
