"""C declarations of one parsed job -> :mod:`analysis.ctypes` types, and the program's inventory.

The checker's own reading of the declarations (it shares only the front end and the type sizes
with the engine). Anything outside the fragment raises :class:`Unsupported`; a global or typedef
we cannot type is remembered and only rejected when it is actually used.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pycparser import c_ast

from analysis.ctypes import ArrayType, CType, DataModel, IntType, PointerType, StructType, VoidType, split_int_literal

CONTRACT = "__pl_contract"
Pos = tuple[int, int]


class Unsupported(Exception):
    """A construct outside the checker's fragment: the certificate is rejected (always safe)."""

    def __init__(self, what: str, node: c_ast.Node | None = None) -> None:
        line = node.coord.line if node is not None and getattr(node, "coord", None) else 0
        super().__init__(f"checker: unsupported {what} at line {line}")


def leaf(t: CType) -> CType:
    """The element type under all the array dimensions of ``t``."""
    while isinstance(t, ArrayType):
        t = t.elem
    return t


def string_bytes(c: c_ast.Constant) -> bytes:
    """A plain string literal's bytes and its NUL (escapes as Python reads them, the rare others refused)."""
    body = c.value[1:-1] if c.type == "string" and c.value.startswith('"') else "\\u"
    if any(esc in body for esc in ("\\u", "\\U", "\\N", "\\?", "\\x")) or not body.isascii():
        raise Unsupported("string literal", c)
    return body.encode("latin-1").decode("unicode_escape").encode("latin-1") + b"\0"


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
    assigns: list[tuple[Pos | None, list[c_ast.Node]]] = field(default_factory=list)  # [] : no clause
    frees: bool = False

    def replaces_call(self, defined: bool) -> bool:
        """A call is read through the contract (the engine's rule: ``assigns`` alone only for a
        function declared without a body)."""
        return bool(self.requires or self.ensures or (self.assigns and not defined))


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
        self.structs: dict[str, StructType] = {}  # by tag
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
            call = item.name.name if isinstance(item, c_ast.FuncCall) and isinstance(item.name, c_ast.ID) else ""
            args = item.args.exprs if call and item.args else []
            if call == "__pl_assigns" and args:
                c.assigns.append((self.annotation_pos(args[0]), list(args[1:])))
            elif call == "__pl_frees":
                c.frees = True
            elif call in ("__pl_requires", "__pl_ensures") and len(args) == 2:
                (c.requires if call == "__pl_requires" else c.ensures).append(Clause(self.annotation_pos(args[0]),
                                                                                      args[1]))
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
        t: CType | None = None
        try:
            if not isinstance(leaf(got := self.resolve(d.type, d.init)), IntType):  # integers and arrays of them
                raise Unsupported(f"global of type {leaf(got).describe()}", d)
            t, err = got, ""
        except Unsupported as e:
            err = str(e)
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
                return self._enum(inner, t)
            if isinstance(inner, c_ast.Struct):
                return self._struct(inner)
            raise Unsupported(type(inner).__name__.lower(), t)
        if isinstance(t, c_ast.ArrayDecl):
            elem = self.resolve(t.type)
            if not isinstance(elem, IntType | ArrayType | StructType):
                raise Unsupported("array element type", t)
            if t.dim is None:
                if isinstance(init, c_ast.InitList) and isinstance(elem, IntType):
                    return ArrayType(elem, len(init.exprs))
                if isinstance(init, c_ast.Constant) and isinstance(elem, IntType) and elem.bits == 8:
                    return ArrayType(elem, len(string_bytes(init)))
                raise Unsupported("array without size", t)
            n = self.const_int(t.dim)
            if n <= 0 or n > 1 << 20:
                raise Unsupported("array size", t)
            return ArrayType(elem, n)
        if isinstance(t, c_ast.PtrDecl):
            if isinstance(t.type, c_ast.FuncDecl) or "volatile" in (t.quals or []):
                raise Unsupported("pointer to a function or volatile pointer", t)
            inner = t.type.type if isinstance(t.type, c_ast.TypeDecl) else None
            if isinstance(inner, c_ast.Struct) and inner.decls is None and inner.name not in self.structs:
                # a pointer to a struct not (yet) defined (``struct node *next`` inside struct
                # node): a tag without members, completed by name where it is dereferenced
                return PointerType(StructType(inner.name or "", ()))
            return PointerType(self.resolve(t.type))
        if isinstance(t, c_ast.FuncDecl):
            return self.resolve(t.type)
        raise Unsupported(type(t).__name__, t)

    def complete(self, t: CType) -> CType:
        """A struct tag named before its definition, as defined now (else as it is)."""
        if isinstance(t, StructType) and not t.fields and t.name in self.structs:
            return self.structs[t.name]
        return t

    def _struct(self, s: c_ast.Struct) -> StructType:
        """A struct of integers, pointers, arrays and structs (a pointer member's bytes are not
        followed: loading one gives an arbitrary pointer)."""
        if s.decls is None:
            if s.name not in self.structs:
                raise Unsupported(f"incomplete struct {s.name}", s)
            return self.structs[s.name]
        fields = []
        for d in s.decls:
            t = self.resolve(d.type)
            if d.name is None or d.bitsize is not None or \
                    not isinstance(t, IntType | ArrayType | StructType | PointerType):
                raise Unsupported("struct member", d)
            fields.append((d.name, t))
        st = StructType(s.name or f"<anonymous@{s.coord.line if s.coord else 0}>", tuple(fields))
        if s.name and self.structs.get(s.name, st) != st:
            raise Unsupported(f"struct {s.name} defined again in an inner scope", s)
        if s.name:
            self.structs[s.name] = st
        return st

    def _enum(self, en: c_ast.Enum, node: c_ast.Node) -> IntType:
        """Register a definition's enumerators; the enum's type is gcc's ``unsigned int`` when no
        enumerator is negative, else ``int`` (DataModel.enum_type). An enum needing a wider type
        (a gcc extension) is unsupported, and so are its enumerators (they are left out)."""
        key = "enum " + en.name if en.name else None  # the tag's type: 0 int, 1 unsigned, 2 wider
        if en.values is None:
            code = self.enums.get(key) if key else None
            if code is None or code == 2:
                raise Unsupported("incomplete enum" if code is None else "enum wider than int", node)
            return self.model.int_type("int", code == 0)
        nxt = 0
        values: list[int] = []
        try:
            for e in en.values.enumerators:
                if e.value is not None:
                    nxt = self.const_int(e.value)
                self.enums[e.name] = nxt
                values.append(nxt)
                nxt += 1
            t = self.model.enum_type(values)
        except Unsupported:
            t = None
        if t is None:
            for e in en.values.enumerators:
                self.enums.pop(e.name, None)
        if key:
            self.enums[key] = 2 if t is None else 0 if t.signed else 1
        if t is None:
            raise Unsupported("enum wider than int", node)
        return t

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
        if isinstance(e, c_ast.UnaryOp) and e.op == "sizeof" and isinstance(e.expr, c_ast.Typename):
            return self.size(self.resolve(e.expr), e)
        if isinstance(e, c_ast.UnaryOp) and e.op == "sizeof" and isinstance(e.expr, c_ast.Constant) and \
                e.expr.type == "string":
            return len(string_bytes(e.expr))  # a string literal is a char array of its bytes and NUL
        if isinstance(e, c_ast.Cast):
            t = self.resolve(e.to_type)
            v = self.const_int(e.expr)
            if isinstance(t, IntType) and t.min <= v <= t.max:
                return v
        raise Unsupported("constant expression", e)

    def members(self, s: StructType) -> list[tuple[str, CType, int]]:
        """Each member's name, type and byte offset (C11 6.7.2.1: at its alignment, in order)."""
        out, where = [], 0
        for name, t in s.fields:
            align = self.model.alignof(t) or 1
            where = (where + align - 1) // align * align
            out.append((name, t, where))
            where += self.size(t)
        return out

    def dense(self, t: CType) -> bool:
        """Has ``t`` no padding bytes (its members are dense and fill it)?"""
        if isinstance(t, StructType):
            parts = [mt for _, mt, _ in self.members(t)]
            return all(map(self.dense, parts)) and sum(map(self.size, parts)) == self.size(t)
        return not isinstance(t, ArrayType) or self.dense(t.elem)

    def size(self, t: CType, node: c_ast.Node | None = None) -> int:
        size = self.model.sizeof(t)
        if not size:
            raise Unsupported(f"size of {t.describe()}", node)
        return size

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
