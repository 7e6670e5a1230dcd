"""The layers import downward only: fiscalpdf core ← normalize ← {extract, validate} ← pipelines ← tools.

- core (fiscalpdf's model, schema, errors, flags, options) imports nothing of ours but core;
- normalize (and the table specs, which the normalizers read and which match titles with their text rules)
  imports core;
- extract and validate import core and normalize, never each other;
- pipelines may import all of these; the tools (the command line, the data dictionary) anything.
Read from the source (every import, also those inside functions), and checked where it matters at run time:
loading the normalizers loads no PDF reader, and `fiscalpdf query --help` loads no extraction module.
"""

from __future__ import annotations

import ast
import subprocess
import sys

from tests.paths import ROOT

PACKAGE_DIRS = {"fiscalpdf": ROOT / "fiscalpdf", "fiscalpdf.extract": ROOT / "extract",
                "fiscalpdf.normalize": ROOT / "normalize", "fiscalpdf.validate": ROOT / "validate",
                "fiscalpdf.pipelines": ROOT / "pipelines"}
CORE = {"fiscalpdf", "fiscalpdf.model", "fiscalpdf.schema", "fiscalpdf.errors", "fiscalpdf.flags",
        "fiscalpdf.options"}
TOOLS = {"fiscalpdf.cli", "fiscalpdf.dictionary"}
ALLOWED = {
    "core": {"core"},
    "normalize": {"core", "normalize"},
    "extract": {"core", "normalize", "extract"},
    "validate": {"core", "normalize", "validate"},
    "pipelines": {"core", "normalize", "extract", "validate", "pipelines"},
    "tools": {"core", "normalize", "extract", "validate", "pipelines", "tools"},
}


def layer(module: str) -> str:
    if module in CORE:
        return "core"
    if module in TOOLS:
        return "tools"
    if module.startswith(("fiscalpdf.normalize", "fiscalpdf.specs")):
        return "normalize"
    for name in ("extract", "validate", "pipelines"):
        if module.startswith(f"fiscalpdf.{name}"):
            return name
    raise AssertionError(f"{module}: no layer assigned (add it to tests/test_architecture.py)")


def modules() -> dict[str, ast.Module]:
    out = {}
    for package, folder in PACKAGE_DIRS.items():
        for path in sorted(folder.glob("*.py")):
            name = package if path.stem == "__init__" else f"{package}.{path.stem}"
            out[name] = ast.parse(path.read_text(encoding="utf-8"))
    for path in sorted((ROOT / "fiscalpdf" / "specs").glob("*.py")):
        out["fiscalpdf.specs"] = ast.parse(path.read_text(encoding="utf-8"))
    return out


def imported(module: str, tree: ast.Module) -> set[str]:
    """Our modules imported anywhere in `tree`, resolved to absolute names."""
    is_package = module in PACKAGE_DIRS or module == "fiscalpdf.specs"
    base = module.split(".") if is_package else module.split(".")[:-1]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                target = ".".join(base[: len(base) - node.level + 1] + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [target] if node.module else [f"{target}.{a.name}" for a in node.names]
            found.update(n for n in names if n.startswith("fiscalpdf"))
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("fiscalpdf"))
    return found


def test_every_module_has_a_layer_and_imports_downward_only():
    found = modules()
    assert len(found) > 40
    wrong = []
    for module, tree in found.items():
        own = layer(module)
        for target in imported(module, tree):
            target = target if target in found else target.rsplit(".", 1)[0]
            if layer(target) not in ALLOWED[own]:
                wrong.append(f"{module} ({own}) imports {target} ({layer(target)})")
    assert wrong == []


def loaded_after(code: str) -> set[str]:
    probe = code + "\nimport sys\nprint('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_the_normalizers_load_no_pdf_reader():
    loaded = loaded_after("import fiscalpdf.normalize.table")
    assert not {"pdfplumber", "pypdfium2", "camelot", "pdfminer"} & loaded
    assert not {m for m in loaded if m.startswith(("fiscalpdf.extract", "fiscalpdf.pipelines"))}


def test_query_help_loads_no_extraction_module():
    loaded = loaded_after("import fiscalpdf.cli\ntry:\n    fiscalpdf.cli.main(['query', '--help'])\n"
                          "except SystemExit:\n    pass")
    assert not {m for m in loaded if m.startswith(("fiscalpdf.extract", "fiscalpdf.pipelines"))}
    assert not {"pdfplumber", "pypdfium2", "camelot", "pyarrow"} & loaded


def test_the_command_line_imports_only_core_modules_at_import_time():
    ours = {m for m in loaded_after("import fiscalpdf.cli") if m.startswith("fiscalpdf")}
    assert ours <= CORE | {"fiscalpdf.cli"}, ours - CORE
