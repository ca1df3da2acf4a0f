"""The pages of the app, in one list: app.py registers them and a test checks every file is here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st


@dataclass(frozen=True)
class PageDef:
    file: str  # path under the repository root
    key: str  # i18n key in the "common" catalog for its title
    url_path: str
    icon: str
    section: str  # i18n key of its navigation section


PAGES: tuple[PageDef, ...] = (
    PageDef(
        "pages/overview.py", "common.nav_overview", "overview", ":material/dashboard:", "common.section_dashboards"
    ),
    PageDef("pages/cycles.py", "common.nav_cycles", "cycles", ":material/compare_arrows:", "common.section_dashboards"),
    PageDef("pages/status.py", "common.nav_status", "status", ":material/fact_check:", "common.section_dashboards"),
    PageDef("pages/themes.py", "common.nav_themes", "themes", ":material/category:", "common.section_dashboards"),
    PageDef("pages/states.py", "common.nav_states", "states", ":material/public:", "common.section_dashboards"),
    PageDef("pages/explorer.py", "common.nav_explorer", "explorer", ":material/search:", "common.section_dashboards"),
    PageDef("pages/plan.py", "common.nav_plan", "plan", ":material/checklist:", "common.section_dashboards"),
    PageDef(
        "pages/worklist.py", "common.nav_worklist", "worklist", ":material/assignment:", "common.section_dashboards"
    ),
    PageDef("pages/present.py", "common.nav_present", "present", ":material/slideshow:", "common.section_dashboards"),
    PageDef("pages/conflicts.py", "common.nav_conflicts", "conflicts", ":material/rule:", "common.section_data"),
    PageDef("pages/upload.py", "common.nav_upload", "upload", ":material/upload_file:", "common.section_data"),
    PageDef("pages/history.py", "common.nav_history", "history", ":material/history:", "common.section_data"),
)
DEFAULT = "overview"  # the url_path of the page served at the root
EXPLORER = "pages/explorer.py"
PRESENT = "pages/present.py"

# Streamlit serves the default page at the root only: its own url_path answers «Page not found».
# So the root is the Overview under an inner name and `/overview` a hidden page with the same file.
_ROOT_URL = "home"


def navigation_sections(tr: Callable[[str], str]) -> dict[str, list[st.Page]]:
    """The pages for st.navigation by translated section title: the Overview at `/` (the menu's entry)
    and at `/overview` (the same page, hidden from the menu), every other page at its url_path."""
    sections: dict[str, list[st.Page]] = {}
    for p in PAGES:
        default = p.url_path == DEFAULT
        sections.setdefault(tr(p.section), []).append(
            st.Page(
                p.file, title=tr(p.key), icon=p.icon, url_path=_ROOT_URL if default else p.url_path, default=default
            )
        )
        if default:
            sections[tr(p.section)].append(
                st.Page(p.file, title=tr(p.key), icon=p.icon, url_path=p.url_path, visibility="hidden")
            )
    return sections
