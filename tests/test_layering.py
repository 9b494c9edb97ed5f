"""Layering is a tested contract: the core never imports Textual; screens never touch SQL."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import citizen

PACKAGE = Path(citizen.__file__).parent
CORE = ["citizen.model", "citizen.safeyaml", "citizen.content", "citizen.engine",
        "citizen.store", "citizen.classroom", "citizen.paths", "citizen.cli", "citizen.auth",
        "citizen.roster", "citizen.reports", "citizen.staffroom", "citizen.settings",
        "citizen.admin", "citizen.launch"]


@pytest.mark.parametrize("module", CORE)
def test_core_module_does_not_pull_in_textual(module):
    code = f"import sys, {module}; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_lessons_check_does_not_import_textual():
    code = ("import sys; from citizen.cli import main; main(['lessons', 'check', '--no-lint']); "
            "print('textual' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip().endswith("False")


def test_no_ui_module_imports_sqlite3_or_the_store():
    offenders = []
    for path in (PACKAGE / "ui").rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                if name.split(".")[0] == "sqlite3" or name == "citizen.store":
                    offenders.append(f"{path.name}: {name}")
    assert offenders == []
