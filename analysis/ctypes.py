"""C types as the engine models them, with the C11 integer rules (promotions, usual
arithmetic conversions, constant typing) for the ILP32 and LP64 data models.

Pure Python (no z3, no pycparser) so that the rules can be unit-tested on their own.
"""

from __future__ import annotations

from dataclasses import dataclass

# rank order of the standard integer types (C11 6.3.1.1)
RANK = {"_Bool": 0, "char": 1, "short": 2, "int": 3, "long": 4, "long long": 5}


@dataclass(frozen=True)
class CType:
    """Base of every modelled C type."""

    def describe(self) -> str:
        return type(self).__name__


@dataclass(frozen=True)
class IntType(CType):
    kind: str  # one of RANK's keys
    signed: bool
    bits: int

    @property
    def rank(self) -> int:
        return RANK[self.kind]

    @property
    def is_bool(self) -> bool:
        return self.kind == "_Bool"

    @property
    def min(self) -> int:
        return -(1 << (self.bits - 1)) if self.signed else 0

    @property
    def max(self) -> int:
        if self.is_bool:
            return 1
        return (1 << (self.bits - 1)) - 1 if self.signed else (1 << self.bits) - 1

    def describe(self) -> str:
        if self.is_bool:
            return "_Bool"
        return ("" if self.signed else "unsigned ") + self.kind


@dataclass(frozen=True)
class ArrayType(CType):
    elem: CType
    size: int | None

    def describe(self) -> str:
        return f"{self.elem.describe()}[{'' if self.size is None else self.size}]"


@dataclass(frozen=True)
class StructType(CType):
    name: str
    fields: tuple[tuple[str, CType], ...]
    union: bool = False

    def field(self, name: str) -> CType | None:
        for n, t in self.fields:
            if n == name:
                return t
        return None

    def describe(self) -> str:
        return ("union " if self.union else "struct ") + self.name


@dataclass(frozen=True)
class PointerType(CType):
    target: CType

    def describe(self) -> str:
        return self.target.describe() + "*"


@dataclass(frozen=True)
class FloatType(CType):
    name: str

    def describe(self) -> str:
        return self.name


@dataclass(frozen=True)
class VoidType(CType):
    def describe(self) -> str:
        return "void"


@dataclass(frozen=True)
class FuncType(CType):
    ret: CType
    params: tuple[CType, ...]
    variadic: bool = False

    def describe(self) -> str:
        return f"{self.ret.describe()}(*)(...)"


@dataclass(frozen=True)
class OpaqueType(CType):
    """A type the engine does not model (its values are unknown)."""

    name: str

    def describe(self) -> str:
        return self.name


VOID = VoidType()


def _plain_int(t: CType) -> tuple[int, bool] | None:
    return (t.bits, t.is_bool) if isinstance(t, IntType) else None


def _holds(outer: CType, inner: CType) -> bool:
    """``outer`` is or contains (as a member or element, at any depth) an object of ``inner``'s type."""
    if outer == inner or (_plain_int(outer) is not None and _plain_int(outer) == _plain_int(inner)):
        return True
    if isinstance(outer, ArrayType):
        return _holds(outer.elem, inner)
    if isinstance(outer, StructType):
        return any(_holds(ft, inner) for _, ft in outer.fields)
    return False


def may_alias(a: CType, b: CType) -> bool:
    """May an ``a *`` and a ``b *`` reach the same object in a program without undefined
    behaviour (C11 6.5p7)? A character type reads any object; a struct or array holding the other
    type, or the type itself (signedness aside), shares its objects."""
    char = any(isinstance(t, IntType) and t.bits == 8 and not t.is_bool for t in (a, b))
    return char or _holds(a, b) or _holds(b, a)


class DataModel:
    """Integer widths of one data model; plain char is signed (x86/gcc)."""

    def __init__(self, name: str = "LP64") -> None:
        self.name = name
        long_bits = 64 if name == "LP64" else 32
        self.ptr_bits = 64 if name == "LP64" else 32
        self.types = {
            ("_Bool", False): IntType("_Bool", False, 1),
            ("char", True): IntType("char", True, 8),
            ("char", False): IntType("char", False, 8),
            ("short", True): IntType("short", True, 16),
            ("short", False): IntType("short", False, 16),
            ("int", True): IntType("int", True, 32),
            ("int", False): IntType("int", False, 32),
            ("long", True): IntType("long", True, long_bits),
            ("long", False): IntType("long", False, long_bits),
            ("long long", True): IntType("long long", True, 64),
            ("long long", False): IntType("long long", False, 64),
        }

    def int_type(self, kind: str, signed: bool = True) -> IntType:
        return self.types[(kind, signed if kind != "_Bool" else False)]

    @property
    def INT(self) -> IntType:  # noqa: N802 - reads like the C keyword
        return self.types[("int", True)]

    def enum_type(self, values: list[int]) -> IntType | None:
        """gcc's underlying type of an enum whose enumerators have ``values``: ``unsigned int``
        when none is negative, else ``int``; None when they do not fit those (gcc then picks a
        wider type, an extension the engine does not model)."""
        uint = self.int_type("int", False)
        if all(v >= 0 for v in values):
            return uint if all(v <= uint.max for v in values) else None
        return self.INT if all(self.INT.min <= v <= self.INT.max for v in values) else None

    def enumerator_type(self, value: int) -> IntType:
        """The type of an enumeration constant of a modelled enum: ``int`` when its value fits int
        (C11 6.7.2.2p3); otherwise gcc gives it the enum's type, which is then ``unsigned int``."""
        return self.INT if self.INT.min <= value <= self.INT.max else self.int_type("int", False)

    @property
    def size_t(self) -> IntType:
        return self.types[("long", False)]

    @property
    def ptrdiff_t(self) -> IntType:
        """The type of a pointer difference: gcc's ``long`` on LP64, ``int`` on i386."""
        return self.types[("long", True)] if self.name == "LP64" else self.INT

    def sizeof(self, t: CType) -> int | None:
        if isinstance(t, IntType):
            return 1 if t.is_bool else t.bits // 8
        if isinstance(t, ArrayType) and t.size is not None:
            s = self.sizeof(t.elem)
            return None if s is None else s * t.size
        if isinstance(t, PointerType):
            return self.ptr_bits // 8
        if isinstance(t, FloatType):
            return {"float": 4, "double": 8}.get(t.name, 16 if self.name == "LP64" else 12)
        if isinstance(t, StructType) and not t.union:
            places = self.offsets(t)
            if places is None:
                return None
            total = max((at + (self.sizeof(ft) or 0) for (_, ft), at in zip(t.fields, places, strict=True)), default=0)
            align_max = max([a for _, ft in t.fields if (a := self.alignof(ft))] or [1])
            return (total + align_max - 1) // align_max * align_max
        return None

    def offsets(self, t: StructType) -> list[int] | None:
        """Each member's byte offset, in the members' order (C11 6.7.2.1: at its alignment, in
        order); None if a member has no size."""
        out: list[int] = []
        where = 0
        for _, ft in t.fields:
            s, a = self.sizeof(ft), self.alignof(ft)
            if s is None or a is None:
                return None
            where = (where + a - 1) // a * a
            out.append(where)
            where += s
        return out

    def alignof(self, t: CType) -> int | None:
        if isinstance(t, ArrayType):
            return self.alignof(t.elem)
        if isinstance(t, StructType):
            als = [self.alignof(ft) for _, ft in t.fields]
            return None if any(a is None for a in als) else max([a for a in als if a] or [1])
        size = self.sizeof(t)
        if size is not None and self.name != "LP64" and isinstance(t, IntType | FloatType):
            # i386 System V: long long, double and long double are aligned to 4 (gcc -m32, also
            # _Alignof at top level); only 8-byte __alignof__ at top level differs (not modelled)
            return min(size, 4)
        return size

    def from_specifiers(self, names: list[str]) -> IntType | FloatType | VoidType | None:
        """Map a list of type specifier keywords (['unsigned', 'long', 'int']) to a type."""
        ns = [n for n in names if n not in ("signed", "unsigned", "int") or n == "int"]
        signed = "unsigned" not in names
        if "void" in names:
            return VOID
        if "_Bool" in names or "bool" in names:
            return self.int_type("_Bool")
        if "float" in names or "double" in names:
            return FloatType(" ".join(n for n in names if n in ("long", "double", "float")))
        if "_Complex" in names or "__int128" in names:
            return None
        longs = names.count("long")
        if "char" in names:
            return self.int_type("char", signed)
        if "short" in names:
            return self.int_type("short", signed)
        if longs >= 2:
            return self.int_type("long long", signed)
        if longs == 1:
            return self.int_type("long", signed)
        if "int" in ns or "signed" in names or "unsigned" in names:
            return self.int_type("int", signed)
        return None

    # -- C11 6.3.1 conversions ------------------------------------------------------------
    def promote(self, t: IntType) -> IntType:
        """Integer promotion: anything of rank below int becomes int (int holds all its values)."""
        if t.rank < RANK["int"]:
            return self.INT
        return t

    def usual(self, a: IntType, b: IntType) -> IntType:
        """The usual arithmetic conversions on two integer operands."""
        a, b = self.promote(a), self.promote(b)
        if a == b:
            return a
        if a.signed == b.signed:
            return a if a.rank >= b.rank else b
        u, s = (a, b) if not a.signed else (b, a)
        if u.rank >= s.rank:
            return u
        if s.bits > u.bits:
            return s
        return self.int_type(s.kind, False)

    def constant_type(self, digits: str, suffix: str, decimal: bool) -> IntType | None:
        """Type of an integer constant (C11 6.4.4.1), or None if no type can hold it."""
        value = int_literal_value(digits)
        suffix = suffix.lower()
        unsigned = "u" in suffix
        longs = suffix.count("l")
        kinds = ["int", "long", "long long"][min(longs, 2):]
        candidates: list[IntType] = []
        for k in kinds:
            if unsigned:
                candidates.append(self.int_type(k, False))
            elif decimal:
                candidates.append(self.int_type(k, True))
            else:
                candidates += [self.int_type(k, True), self.int_type(k, False)]
        for t in candidates:
            if t.min <= value <= t.max:
                return t
        return None


def int_literal_value(text: str) -> int:
    """Value of an integer literal without suffix: decimal, 0x hex, 0b binary, 0 octal."""
    t = text.lower().replace("'", "")
    if t.startswith("0x"):
        return int(t[2:], 16)
    if t.startswith("0b"):
        return int(t[2:], 2)
    if len(t) > 1 and t.startswith("0"):
        return int(t[1:], 8)
    return int(t)


def split_int_literal(text: str) -> tuple[str, str]:
    """Split '0x10UL' into ('0x10', 'UL')."""
    i = len(text)
    while i > 0 and text[i - 1] in "uUlL":
        i -= 1
    return text[:i], text[i:]
