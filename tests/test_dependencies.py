"""The lock files pin what pyproject.toml declares, so CI and production install exactly what was audited.

requirements/prod.lock holds the runtime dependencies only (application servers); requirements/dev.lock adds the
test and lint tools at the same versions, so CI tests the versions production runs.
"""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement: str) -> str:
    return re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _pins(lock: str) -> dict[str, str]:
    pinned = re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+)$", (ROOT / "requirements" / lock).read_text(), re.M)
    return {name.lower().replace("_", "-"): version for name, version in pinned}


def _declared() -> tuple[set[str], set[str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {_name(r) for r in project["dependencies"]}, {_name(r) for r in project["optional-dependencies"]["dev"]}


def test_every_declared_dependency_is_pinned_in_the_lock_files():
    runtime, dev = _declared()
    prod_pins, dev_pins = _pins("prod.lock"), _pins("dev.lock")
    assert runtime <= set(prod_pins), f"regenerate requirements/prod.lock: {sorted(runtime - set(prod_pins))} missing"
    assert runtime | dev <= set(dev_pins), (
        f"regenerate requirements/dev.lock: {sorted((runtime | dev) - set(dev_pins))} missing"
    )
    assert "locust" not in prod_pins | dev_pins  # the load test has its own environment


def test_production_lock_has_no_development_tools():
    _, dev = _declared()
    prod_pins = _pins("prod.lock")
    assert not dev & set(prod_pins), f"development tools in requirements/prod.lock: {sorted(dev & set(prod_pins))}"
    assert not {"pytest", "playwright", "ruff"} & set(prod_pins)


def test_development_lock_pins_every_production_package_at_the_same_version():
    prod_pins, dev_pins = _pins("prod.lock"), _pins("dev.lock")
    differing = {
        name: (version, dev_pins.get(name)) for name, version in prod_pins.items() if dev_pins.get(name) != version
    }
    assert differing == {}, (
        f"(prod.lock, dev.lock) versions differ, so CI would not test what production runs: {differing}"
    )
