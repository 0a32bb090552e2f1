"""Size limits for the package, run by ``make lint`` (and by the tests): a newcomer reads it in
small pieces. No function or method over :data:`FUNCTION_LINES` lines or of complexity C or
worse by radon's ranks (:data:`MOST_COMPLEX`), no module over :data:`MODULE_LINES` lines."""

from __future__ import annotations

import sys
from pathlib import Path

from radon.complexity import cc_rank
from radon.visitors import ComplexityVisitor, Function

PACKAGE = Path(__file__).resolve().parent.parent / "psp_static"
FUNCTION_LINES = 60
MODULE_LINES = 300
MOST_COMPLEX = 10  # radon's rank B ends here; 11 is C
# Allowed past a limit, each for a reason (``module.py`` or ``module.py:function``): none now.
EXEMPT: set[str] = set()


def problems(package: Path = PACKAGE) -> list[str]:
    """One line per function or module over a limit."""
    found = []
    for path in sorted(package.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        lines = text.count("\n")
        if lines > MODULE_LINES and path.name not in EXEMPT:
            found.append(f"{path.name}: {lines} lines; split it (at most {MODULE_LINES})")
        for block in ComplexityVisitor.from_code(text).blocks:
            if not isinstance(block, Function) or f"{path.name}:{block.name}" in EXEMPT:
                continue
            name = f"{path.name}:{block.lineno}: {block.fullname}"
            length = block.endline - block.lineno + 1
            if length > FUNCTION_LINES:
                found.append(f"{name} is {length} lines long; split it (at most {FUNCTION_LINES})")
            if block.complexity > MOST_COMPLEX:
                found.append(f"{name} has complexity {block.complexity} ({cc_rank(block.complexity)}); simplify it")
    return found


def main() -> None:
    found = problems()
    for line in found:
        print(line)
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
