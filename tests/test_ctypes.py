"""C11 integer rules of analysis.ctypes, checked against what gcc does on x86-64 (LP64) and i386 (ILP32)."""

from __future__ import annotations

import pytest

from analysis.ctypes import DataModel, int_literal_value, split_int_literal

LP64, ILP32 = DataModel("LP64"), DataModel("ILP32")


def describe(dm: DataModel, literal: str) -> str:
    digits, suffix = split_int_literal(literal)
    decimal = not (digits.startswith("0") and len(digits) > 1)
    t = dm.constant_type(digits, suffix, decimal)
    assert t is not None
    return t.describe()


@pytest.mark.parametrize(("literal", "lp64", "ilp32"), [
    ("2147483647", "int", "int"),
    ("2147483648", "long", "long long"),       # decimal: never unsigned without a suffix
    ("0x7FFFFFFF", "int", "int"),
    ("0xFFFFFFFF", "unsigned int", "unsigned int"),  # hex: unsigned int before long
    ("0x80000000", "unsigned int", "unsigned int"),
    ("4294967296", "long", "long long"),
    ("1u", "unsigned int", "unsigned int"),
    ("1L", "long", "long"),
    ("4294967296UL", "unsigned long", "unsigned long long"),
    ("9223372036854775807", "long", "long long"),
    ("0xFFFFFFFFFFFFFFFF", "unsigned long", "unsigned long long"),
    ("010", "int", "int"),
])
def test_integer_constant_types(literal: str, lp64: str, ilp32: str) -> None:
    assert describe(LP64, literal) == lp64
    assert describe(ILP32, literal) == ilp32


def test_decimal_too_large_for_any_signed_type_has_no_type() -> None:
    assert LP64.constant_type("18446744073709551615", "", True) is None


def test_literal_values() -> None:
    assert int_literal_value("0x10") == 16
    assert int_literal_value("017") == 15
    assert int_literal_value("0") == 0


@pytest.mark.parametrize(("a", "b", "lp64", "ilp32"), [
    (("char", True), ("char", True), "int", "int"),               # promotion
    (("short", False), ("int", True), "int", "int"),              # unsigned short fits in int
    (("int", True), ("int", False), "unsigned int", "unsigned int"),
    (("long", True), ("int", False), "long", "unsigned long"),     # ILP32: long cannot hold all unsigned
    (("long long", True), ("long", False), "unsigned long long", "long long"),
    (("_Bool", False), ("char", False), "int", "int"),
])
def test_usual_arithmetic_conversions(a: tuple[str, bool], b: tuple[str, bool], lp64: str, ilp32: str) -> None:
    for dm, want in ((LP64, lp64), (ILP32, ilp32)):
        assert dm.usual(dm.int_type(*a), dm.int_type(*b)).describe() == want


def test_sizes() -> None:
    assert LP64.sizeof(LP64.int_type("long")) == 8
    assert ILP32.sizeof(ILP32.int_type("long")) == 4
    assert LP64.sizeof(LP64.int_type("char")) == 1


def test_ptrdiff_t() -> None:
    """gcc's ptrdiff_t: long on x86-64, int on i386 (sizeof(p - q) is 8, resp. 4)."""
    lp, ilp = DataModel("LP64"), DataModel("ILP32")
    assert (lp.ptrdiff_t.describe(), lp.sizeof(lp.ptrdiff_t)) == ("long", 8)
    assert (ilp.ptrdiff_t.describe(), ilp.sizeof(ilp.ptrdiff_t)) == ("int", 4)
