"""The layout's contracts, checked statically: no Qt in the core, no import cycles, one cv2."""

import ast
from importlib import metadata
from pathlib import Path

import plq_desktop

PACKAGE = Path(plq_desktop.__file__).parent


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Every plq_desktop module -> the plq_desktop modules it imports, lazy (in-function) imports included."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        targets = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("plq_desktop"):
                for alias in node.names:
                    sub = f"{node.module}.{alias.name}"
                    targets.add(sub if sub in modules else node.module)
            elif isinstance(node, ast.Import):
                targets |= {a.name for a in node.names if a.name.startswith("plq_desktop")}
        # A package's __init__ runs before its modules; importing a parent package is not a cycle.
        graph[name] = {t for t in targets if t in modules and t != name and not name.startswith(t + ".")}
    return graph


def test_no_import_cycles():
    graph = _imports()
    state, stack, cycles = {}, [], []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_core_never_imports_qt():
    offenders = []
    for path in (PACKAGE / "core").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in ("PySide6", "PyQt5", "PyQt6",
                                                                                     "pyqtgraph", "plq_desktop.gui")]
            offenders += [f"{path.name}: {n}" for n in names if n.startswith("plq_desktop.gui")]
    assert not offenders


def test_exactly_one_cv2_provider():
    providers = sorted({d.metadata["Name"] for d in metadata.distributions()
                        if "cv2" in (d.read_text("top_level.txt") or "").split()
                        or any(str(f).startswith("cv2/__init__") for f in (d.files or []))})
    assert providers == ["opencv-python"], providers


def test_evaluation_tools_write_to_the_folder_named(tmp_path):
    """An evaluation tool writes under --out and leaves the shipped resources alone."""
    import importlib.resources as resources

    from plq_desktop.eval import reference_profile
    shipped = resources.files("plq_desktop.resources").joinpath("reference_profile_dlib-resnet.json")
    before = shipped.read_bytes()
    photo = tmp_path / "portrait.png"
    from plq_desktop.core.io.samples import sample_path
    photo.write_bytes(sample_path("grace_hopper").read_bytes())
    assert reference_profile.main(["--images", str(photo), "--out", str(tmp_path / "out"), "--device", "cpu"]) == 0
    written = tmp_path / "out" / "reference_profile_dlib-resnet.json"
    assert written.is_file() and written.read_bytes() != before
    assert shipped.read_bytes() == before
