"""App imports run one way through the clinical core (README, Architecture):

    patients  ←  programs  ←  painlogs  ←  review

An app of the core imports only the ones to its left (and the apps outside the core: common,
accounts, audit, exercises...). A lower app tells ``review`` that a patient's status inputs
changed through ``apps.common.signals.status_stale``, never by importing it.
"""

import ast
from pathlib import Path

APPS = Path(__file__).resolve().parent.parent / "apps"
CORE = ["patients", "programs", "painlogs", "review"]
# Imports against the direction that remain, each with its reason. Nothing else may join them.
KNOWN = {
    # The progression rule's sessions are read from the logged results; moving the suggestion
    # selectors above painlogs is the remaining step (the rule itself is pure, in programs).
    ("apps/programs/selectors.py", "apps.painlogs.models"),
}


def _imports(path: Path):
    """Every absolute ``apps.*`` module a file imports, at any depth (inside functions too)."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def violations() -> set[tuple[str, str]]:
    found = set()
    for rank, app in enumerate(CORE):
        above = set(CORE[rank + 1 :])
        for path in sorted((APPS / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for module in _imports(path):
                parts = module.split(".")
                if parts[0] == "apps" and len(parts) > 1 and parts[1] in above:
                    found.add((str(path.relative_to(APPS.parent)), module))
    return found


def test_core_apps_import_only_downwards():
    assert violations() - KNOWN == set()


def test_the_known_exceptions_are_still_real():
    """An exception that was fixed leaves the list, so that it cannot come back unnoticed."""
    assert KNOWN <= violations()


def test_the_check_sees_an_import_against_the_direction(tmp_path, monkeypatch):
    fake = tmp_path / "apps"
    for app in CORE:
        (fake / app).mkdir(parents=True)
    (fake / "patients" / "views.py").write_text("def f():\n    from apps.review import rules\n")
    monkeypatch.setitem(globals(), "APPS", fake)
    assert violations() == {("apps/patients/views.py", "apps.review")}
