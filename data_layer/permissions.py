"""The permission matrix: role × resource × operation, in one place, read by the scoping function and the Admin page."""
from __future__ import annotations

RESOURCES = ("incident", "sensitive_incident", "survey", "action", "meeting", "import", "user", "audit")
OPERATIONS = ("list", "read_detail", "precise_location", "free_text", "export", "edit", "administer")

_ALL = frozenset(OPERATIONS)
_READ = frozenset({"list", "read_detail", "precise_location", "free_text", "export"})

# Sensitive incidents: every role counts them inside aggregates ("list"); detail is for the reporting
# organisation (enforced in scope.py) and for the roles granted read_detail here.
MATRIX: dict[str, dict[str, frozenset[str]]] = {
    "admin": {
        "incident": _READ | {"edit"},
        "sensitive_incident": frozenset({"list"}),
        "survey": _ALL,
        "action": _ALL,
        "meeting": _ALL,
        "import": _ALL,
        "user": _ALL,
        "audit": frozenset({"list", "read_detail", "export"}),
    },
    "samordnare": {
        "incident": _READ | {"edit"},
        "sensitive_incident": frozenset({"list", "read_detail", "precise_location", "free_text"}),
        "survey": _READ | {"edit"},
        "action": _READ | {"edit"},
        "meeting": _READ | {"edit"},
        "import": frozenset({"list", "read_detail", "edit"}),
        "user": frozenset({"list"}),
        "audit": frozenset(),
    },
    "analytiker": {
        "incident": _READ,
        "sensitive_incident": frozenset({"list"}),
        "survey": _READ,
        "action": _READ | {"edit"},
        "meeting": _READ | {"edit"},
        "import": frozenset({"list", "read_detail", "edit"}),
        "user": frozenset(),
        "audit": frozenset(),
    },
    "medlem": {
        "incident": frozenset({"list", "read_detail", "precise_location", "export"}),
        "sensitive_incident": frozenset({"list"}),
        # area managers act on places: they see where residents feel unsafe and own (and edit) actions there
        "survey": frozenset({"list", "read_detail", "precise_location", "export"}),
        "action": frozenset({"list", "read_detail", "precise_location", "free_text", "export", "edit"}),
        "meeting": frozenset({"list", "read_detail"}),
        "import": frozenset(),
        "user": frozenset(),
        "audit": frozenset(),
    },
    "rapportor": {
        "incident": frozenset({"list", "edit"}),  # detail only of the reporter's own reports (scope.py)
        "sensitive_incident": frozenset({"list"}),
        "survey": frozenset({"list"}),
        "action": frozenset({"list", "read_detail"}),
        "meeting": frozenset(),
        "import": frozenset(),
        "user": frozenset(),
        "audit": frozenset(),
    },
    "lasare": {
        "incident": frozenset({"list"}),
        "sensitive_incident": frozenset({"list"}),
        "survey": frozenset({"list"}),
        "action": frozenset({"list", "read_detail"}),
        "meeting": frozenset({"list", "read_detail"}),
        "import": frozenset(),
        "user": frozenset(),
        "audit": frozenset(),
    },
}


def allowed(role: str, resource: str, operation: str) -> bool:
    """True when `role` may perform `operation` on `resource`; unknown names are never allowed."""
    return operation in MATRIX.get(role, {}).get(resource, frozenset())
