"""No shell anywhere: every subprocess gets an argument list, so no file name, flag or
compile_commands.json entry can run a command."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHELL = re.compile(r"shell\s*=\s*True|os\.system\s*\(|os\.popen\s*\(|subprocess\.getoutput|commands\.getoutput")


def test_no_shell_in_python_sources() -> None:
    offenders = []
    for base in ("analysis", "server", "bench", "tests"):
        for py in (ROOT / base).rglob("*.py"):
            if py.name == "test_security.py":
                continue
            for n, line in enumerate(py.read_text().splitlines(), start=1):
                if SHELL.search(line):
                    offenders.append(f"{py.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_compile_commands_cannot_run_anything(tmp_path: Path) -> None:
    from analysis.frontend.split import split_file
    from analysis.options import Options

    marker = tmp_path / "pwned"
    src = tmp_path / "a.c"
    src.write_text("int f(int x) { return x; }\n")
    cc = tmp_path / "compile_commands.json"
    cc.write_text(json.dumps([{"directory": str(tmp_path), "file": "a.c", "command": f"gcc -c a.c; touch {marker}",
                               "arguments": ["sh", "-c", f"touch {marker}"]}]))
    split_file(src.read_text(), str(src), Options(compile_commands=str(cc)))
    assert not marker.exists()
