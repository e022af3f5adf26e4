"""Ravine has one exception tree, rooted at RavineError, and ravine/errors.py draws it as it is."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import ravine.errors
from ravine.errors import RavineError

PACKAGES = ("ravine", "ingest", "api", "dashboard", "cli")
_NODE = re.compile(r"^(?P<indent>[ │├└─]*)(?P<name>[A-Z]\w+)")


def ravine_exceptions() -> dict[str, type[BaseException]]:
    """Every exception class defined in Ravine's packages, by name."""
    found: dict[str, type[BaseException]] = {}
    for package_name in PACKAGES:
        package = importlib.import_module(package_name)
        modules = [package_name] + [
            info.name for info in pkgutil.walk_packages(package.__path__, prefix=f"{package_name}.")
        ]
        for module_name in modules:
            module = importlib.import_module(module_name)
            for name, value in vars(module).items():
                if (
                    inspect.isclass(value)
                    and issubclass(value, BaseException)
                    and value.__module__ == module_name
                ):
                    found[name] = value
    return found


def drawn_tree() -> dict[str, str | None]:
    """Each class in the docstring's drawing and the class it hangs from."""
    parents: dict[str, str | None] = {}
    stack: list[tuple[int, str]] = []
    drawing = (ravine.errors.__doc__ or "").split("::", 1)[1]
    for line in drawing.splitlines():
        match = _NODE.match(line.strip("\n")[4:])
        if not match:
            continue
        depth = len(match["indent"])
        while stack and stack[-1][0] >= depth:
            stack.pop()
        parents[match["name"]] = stack[-1][1] if stack else None
        stack.append((depth, match["name"]))
    return parents


def test_every_exception_is_a_ravine_error() -> None:
    strays = [name for name, cls in ravine_exceptions().items() if not issubclass(cls, RavineError)]
    assert not strays, f"outside the RavineError tree: {strays}"


def test_the_docstring_draws_the_tree_as_it_is() -> None:
    classes = ravine_exceptions()
    actual = {
        name: next((base.__name__ for base in cls.__bases__ if issubclass(base, RavineError)), None)
        for name, cls in classes.items()
    }
    assert drawn_tree() == actual
