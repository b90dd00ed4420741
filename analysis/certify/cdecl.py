"""C declarations of one parsed job -> :mod:`analysis.ctypes` types, and the program's inventory.

The checker's own reading of the declarations (it shares only the front end and the type sizes
with the engine). Anything outside the fragment raises :class:`Unsupported`; a global or typedef
we cannot type is remembered and only rejected when it is actually used.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pycparser import c_ast

from analysis.ctypes import ArrayType, CType, DataModel, IntType, VoidType, split_int_literal

CONTRACT = "__pl_contract"
Pos = tuple[int, int]


class Unsupported(Exception):
    """A construct outside the checker's fragment: the certificate is rejected (always safe)."""

    def __init__(self, what: str, node: c_ast.Node | None = None) -> None:
        line = node.coord.line if node is not None and getattr(node, "coord", None) else 0
        super().__init__(f"checker: unsupported {what} at line {line}")


def pos_of(node: c_ast.Node) -> Pos | None:
    c = getattr(node, "coord", None)
    return None if c is None or c.column is None else (c.line, c.column)


@dataclass
class Clause:
    """One contract clause: its annotation position (the check's span start) and expression."""

    pos: Pos | None
    expr: c_ast.Node


@dataclass
class Contract:
    requires: list[Clause] = field(default_factory=list)
    ensures: list[Clause] = field(default_factory=list)


@dataclass
class Global:
    name: str
    ctype: CType | None  # None: not in the fragment (``error`` says why)
    init: c_ast.Node | None
    const: bool
    error: str = ""


class Program:
    """Typedefs, enumerators, globals, function definitions/prototypes and contracts of the AST."""

    def __init__(self, ast: c_ast.FileAST, model: DataModel, annotations: dict[int, Pos]) -> None:
        self.model = model
        self.ann = annotations
        self.typedefs: dict[str, CType | str] = {}  # str: why the typedef is unsupported
        self.enums: dict[str, int] = {}
        self.globals: dict[str, Global] = {}
        self.funcs: dict[str, c_ast.FuncDef] = {}
        self.protos: dict[str, c_ast.Node] = {}  # name -> FuncDecl
        self.contracts: dict[str, Contract] = {}
        pending: Contract | None = None
        for ext in ast.ext:
            if isinstance(ext, c_ast.FuncDef):
                name = ext.decl.name
                if name == CONTRACT:
                    pending = self._contract(ext)
                    continue
                self.funcs[name] = ext
                self.protos[name] = ext.decl.type
                if pending is not None:
                    self.contracts[name] = pending
            elif isinstance(ext, c_ast.Decl):
                self._decl(ext, pending)
            elif isinstance(ext, c_ast.Typedef):
                self._typedef(ext)
            pending = None

    # -- top level ------------------------------------------------------------------------
    def _contract(self, fd: c_ast.FuncDef) -> Contract:
        c = Contract()
        for item in fd.body.block_items or []:
            if not (isinstance(item, c_ast.FuncCall) and isinstance(item.name, c_ast.ID)):
                continue
            args = item.args.exprs if item.args else []
            if len(args) != 2:
                continue
            clause = Clause(self.annotation_pos(args[0]), args[1])
            if item.name.name == "__pl_requires":
                c.requires.append(clause)
            elif item.name.name == "__pl_ensures":
                c.ensures.append(clause)
        return c

    def annotation_pos(self, node: c_ast.Node) -> Pos | None:
        """Where the user wrote annotation number ``node`` (a constant)."""
        if isinstance(node, c_ast.Constant) and node.value.isdigit():
            return self.ann.get(int(node.value))
        return None

    def _typedef(self, td: c_ast.Typedef) -> None:
        try:
            self.typedefs[td.name] = self.resolve(td.type)
        except Unsupported as e:
            self.typedefs[td.name] = str(e)

    def _decl(self, d: c_ast.Decl, pending: Contract | None) -> None:
        if isinstance(d.type, c_ast.FuncDecl):
            self.protos.setdefault(d.name, d.type)
            if pending is not None:
                self.contracts[d.name] = pending
            return
        if d.name is None:  # struct/enum declaration alone: register enumerators
            try:
                self.resolve(c_ast.TypeDecl(None, [], None, d.type))
            except Unsupported:
                pass
            return
        elem = d.type
        while isinstance(elem, c_ast.ArrayDecl):  # an array of const elements is a const object
            elem = elem.type
        quals = getattr(elem, "quals", None) or []
        const = isinstance(elem, c_ast.TypeDecl) and "const" in quals and "volatile" not in quals
        try:
            t: CType | None = self.resolve(d.type, d.init)
            err = ""
        except Unsupported as e:
            t, err = None, str(e)
        old = self.globals.get(d.name)
        init = d.init if d.init is not None else (old.init if old else None)
        self.globals[d.name] = Global(d.name, t, init, const, err)

    # -- types ----------------------------------------------------------------------------
    def resolve(self, t: c_ast.Node, init: c_ast.Node | None = None) -> CType:
        """The type a declarator denotes (``init`` sizes ``int a[] = {...}``)."""
        if isinstance(t, c_ast.Typename):
            return self.resolve(t.type)
        if isinstance(t, c_ast.TypeDecl):
            if "volatile" in (t.quals or []):
                raise Unsupported("volatile object", t)  # its value may change behind our back
            inner = t.type
            if isinstance(inner, c_ast.IdentifierType):
                names = list(inner.names)
                if len(names) == 1 and names[0] in self.typedefs:
                    found = self.typedefs[names[0]]
                    if isinstance(found, str):
                        raise Unsupported(f"type {names[0]} ({found})", t)
                    return found
                r = self.model.from_specifiers(names)
                if isinstance(r, IntType | VoidType):
                    return r
                raise Unsupported("type " + " ".join(names), t)
            if isinstance(inner, c_ast.Enum):
                self._enumerators(inner)
                return self.model.INT
            raise Unsupported(type(inner).__name__.lower(), t)
        if isinstance(t, c_ast.ArrayDecl):
            elem = self.resolve(t.type)
            if not isinstance(elem, IntType | ArrayType):
                raise Unsupported("array element type", t)
            if t.dim is None:
                if isinstance(init, c_ast.InitList) and isinstance(elem, IntType):
                    return ArrayType(elem, len(init.exprs))
                raise Unsupported("array without size", t)
            n = self.const_int(t.dim)
            if n <= 0 or n > 1 << 20:
                raise Unsupported("array size", t)
            return ArrayType(elem, n)
        if isinstance(t, c_ast.PtrDecl):
            raise Unsupported("pointer", t)
        if isinstance(t, c_ast.FuncDecl):
            return self.resolve(t.type)
        raise Unsupported(type(t).__name__, t)

    def _enumerators(self, en: c_ast.Enum) -> None:
        if en.values is None:
            return
        nxt = 0
        for e in en.values.enumerators:
            if e.value is not None:
                nxt = self.const_int(e.value)
            self.enums[e.name] = nxt
            nxt += 1

    def const_int(self, e: c_ast.Node) -> int:
        """An integer constant expression (array sizes, enumerators, case labels), exactly."""
        if isinstance(e, c_ast.Constant) and (e.type == "char" or e.type.endswith("int")):
            return int_constant(e, self.model)[0]
        if isinstance(e, c_ast.ID) and e.name in self.enums:
            return self.enums[e.name]
        if isinstance(e, c_ast.UnaryOp) and e.op in ("-", "+"):
            v = self.const_int(e.expr)
            return -v if e.op == "-" else v
        if isinstance(e, c_ast.BinaryOp) and e.op in ("+", "-", "*"):
            a, b = self.const_int(e.left), self.const_int(e.right)
            return a + b if e.op == "+" else a - b if e.op == "-" else a * b
        if isinstance(e, c_ast.Cast):
            t = self.resolve(e.to_type)
            v = self.const_int(e.expr)
            if isinstance(t, IntType) and t.min <= v <= t.max:
                return v
        raise Unsupported("constant expression", e)

    def ret_type(self, name: str) -> CType | None:
        p = self.protos.get(name)
        return None if p is None else self.resolve(p.type)


_ESCAPES = {"n": 10, "t": 9, "r": 13, "0": 0, "\\": 92, "'": 39, '"': 34, "a": 7, "b": 8, "f": 12, "v": 11, "?": 63}


def int_constant(c: c_ast.Constant, model: DataModel) -> tuple[int, IntType]:
    """Value and type of an integer or character constant (C11 6.4.4.1, 6.4.4.4)."""
    if c.type == "char":
        body = c.value[1:-1]
        if len(body) == 1:
            v = ord(body)
        elif body.startswith("\\x"):
            v = int(body[2:], 16)
        elif body.startswith("\\") and body[1:].isdigit():
            v = int(body[1:], 8)
        elif body.startswith("\\") and len(body) == 2 and body[1] in _ESCAPES:
            v = _ESCAPES[body[1]]
        else:
            raise Unsupported("character constant", c)
        if v > 255:
            raise Unsupported("character constant", c)
        return (v - 256 if v >= 128 else v), model.INT  # plain char is signed
    if not c.type.endswith("int"):  # pycparser: "int", "unsigned long int", ...
        raise Unsupported(f"{c.type} constant", c)
    digits, suffix = split_int_literal(c.value)
    from analysis.ctypes import int_literal_value

    t = model.constant_type(digits, suffix, decimal=not digits.startswith("0") or digits == "0")
    if t is None:
        raise Unsupported("integer constant too large", c)
    return int_literal_value(digits), t
