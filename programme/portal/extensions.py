"""Extension points through which later apps add to shared pages without programme importing them.

measures and reporting register their menu items, home-page cards and organisation-page sections in
their AppConfig.ready(); programme only knows these registries, so dependencies keep pointing
reporting -> measures -> programme.
"""

from collections.abc import Callable
from dataclasses import dataclass

from ..access import Scope


@dataclass(frozen=True)
class MenuItem:
    label: str  # lazily translated
    url_name: str
    visible: Callable[[Scope], bool]
    order: int = 100


@dataclass(frozen=True)
class PageSection:
    """A block on a shared page: `build(request, obj)` returns (template_name, context) or None."""

    build: Callable
    order: int = 100


menu_items: list[MenuItem] = []
home_sections: list[PageSection] = []
organisation_sections: list[PageSection] = []
measure_sections: list[PageSection] = []  # blocks on a measure's page, e.g. the weaknesses it acts on


def register_menu_item(item: MenuItem) -> None:
    if item.url_name not in {existing.url_name for existing in menu_items}:
        menu_items.append(item)
        menu_items.sort(key=lambda i: i.order)


def register_home_section(section: PageSection) -> None:
    home_sections.append(section)
    home_sections.sort(key=lambda s: s.order)


def register_organisation_section(section: PageSection) -> None:
    organisation_sections.append(section)
    organisation_sections.sort(key=lambda s: s.order)


def register_measure_section(section: PageSection) -> None:
    if section not in measure_sections:
        measure_sections.append(section)
        measure_sections.sort(key=lambda s: s.order)


def render_sections(sections: list[PageSection], request, obj=None) -> list[tuple[str, dict]]:
    built = (section.build(request, obj) for section in sections)
    return [item for item in built if item is not None]


# Goal actuals: `provider(request, goals) -> {goal_id: {"value": ..., "label": ..., "trend": ...}}`.
# reporting registers one that reads the latest figure of each goal's indicator.
goal_actuals_providers: list[Callable] = []


def register_goal_actuals_provider(provider: Callable) -> None:
    if provider not in goal_actuals_providers:
        goal_actuals_providers.append(provider)


def goal_actuals(request, goals) -> dict:
    actuals: dict = {}
    for provider in goal_actuals_providers:
        actuals.update(provider(request, goals))
    return actuals
