"""Several cities in one app: a folder of city folders and a switcher between them.

``--params-dir`` (``SIM_PARAMS_DIR``) may name one parameter folder (it has ``base.yaml``)
or a folder whose subfolders are parameter folders. In the second case every page gets a
city picker (CSS class ``sim-city``); picking a city builds the page anew from that
city's folder and closes the widgets of the one shown before. The picker's label and the
city names follow the page's language toggle (``language``, when the page has one).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as w

from ...io.errors import ScenarioError
from ...io.yamlfile import read_yaml
from ...labels import Lang, tr


def city_folders(root: str | Path) -> dict[str, Path]:
    """The parameter folders under ``root`` (each with ``base.yaml``), by folder name.

    Returns an empty dict when ``root`` is itself a parameter folder or holds none.
    """
    root = Path(root)
    if (root / "base.yaml").is_file() or not root.is_dir():
        return {}
    return {p.name: p for p in sorted(root.iterdir()) if (p / "base.yaml").is_file()}


def city_name(folder: Path, lang: Lang) -> str:
    """The city's name in ``lang`` from the folder's ``base.yaml`` (the folder name if none)."""
    try:  # the safe reader: its limits hold here too, and it is cached
        city = read_yaml(folder / "base.yaml").get("city", {})
    except (OSError, ScenarioError, AttributeError):
        return folder.name
    return str(city.get("name_zh" if lang == "zh" else "name_en") or folder.name)


def _close(widget: Any) -> None:
    """Close a widget and everything inside it (frees the kernel's and the page's models)."""
    for child in getattr(widget, "children", ()):
        _close(child)
    widget.close()


class CitySwitcher:
    """A page with a city picker above it.

    Parameters
    ----------
    make : callable
        ``make(params_dir=..., lang=...)`` builds the page (an object with ``.widget``).
    root : path
        The folder of city folders.
    lang : {"zh", "en"}
    first : str, optional
        The folder shown first (default: the first by name).
    query : str, optional
        A pathway link's query, read by the first page only (a city picked later opens on
        its own baseline).
    """

    def __init__(
        self,
        make: Callable[..., Any],
        root: str | Path,
        lang: Lang = "zh",
        first: str = "",
        query: str | None = None,
    ):
        self.folders = city_folders(root)
        if not self.folders:
            raise ValueError(f"{root}: no parameter folders (subfolders with base.yaml) in it")
        self._make = make
        self.lang: Lang = lang
        self._syncing = False
        start = first if first in self.folders else next(iter(self.folders))
        self.picker = w.Dropdown(options=self._options(), value=start)
        self.picker.add_class("sim-city")
        self.label = w.HTML()
        link = {"query": query} if query else {}
        self.page = make(params_dir=self.folders[start], lang=lang, **link)
        self._follow(self.page)
        self._relabel(getattr(self.page, "lang", lang))  # a link may set the language
        bar = w.HBox([self.label, self.picker], layout=w.Layout(padding="4px 8px"))
        self.widget = w.VBox([bar, self.page.widget])
        self.picker.observe(self._on_city, names="value")

    def _options(self) -> list[tuple[str, str]]:
        return [(city_name(p, self.lang), n) for n, p in self.folders.items()]

    def _relabel(self, lang: Lang) -> None:
        """The picker's label and the city names in ``lang`` (the same city stays picked)."""
        self.lang = lang
        self.label.value = html.escape(tr("city_picker", lang))
        picked, self._syncing = self.picker.value, True
        try:
            self.picker.options = self._options()
            self.picker.value = picked
        finally:
            self._syncing = False

    def _follow(self, page: Any) -> None:
        """Relabel when the page's own language toggle changes."""
        toggle = getattr(page, "language", None)
        if isinstance(toggle, w.ValueWidget):
            toggle.observe(lambda change: self._relabel(change["new"]), names="value")

    def _on_city(self, change: dict) -> None:
        if self._syncing:
            return
        old = self.page
        lang = getattr(old, "lang", self.lang)  # keep the language the visitor chose
        self.page = self._make(params_dir=self.folders[change["new"]], lang=lang)
        self._follow(self.page)
        self.widget.children = (self.widget.children[0], self.page.widget)
        _close(old.widget)


def city_of_query(query: str | None, folders: dict[str, Path]) -> str:
    """The city folder a link names (``city=`` a city's code or a folder's name), or ""."""
    from urllib.parse import parse_qsl

    wanted = [v for k, v in parse_qsl(query or "", keep_blank_values=True) if k == "city"]
    if len(wanted) != 1:
        return ""
    for name, folder in folders.items():
        try:
            code = str(read_yaml(folder / "base.yaml").get("city", {}).get("code", ""))
        except (OSError, ScenarioError, AttributeError):
            code = ""
        if wanted[0] in (name, code):
            return name
    return ""


def page_from_environment(cls: Any, settings: dict[str, Any]) -> Any:
    """``cls(**settings)``, or a :class:`CitySwitcher` of ``cls`` when ``params_dir`` is a
    folder of city folders: a pathway link (``settings["query"]``) opens the city it names
    and is read by that city's page; a link naming no city here goes to the first city's
    page, which says so."""
    root = settings.get("params_dir")
    folders = city_folders(root) if root else {}
    if folders:
        query = settings.get("query")
        first = city_of_query(query, folders)
        return CitySwitcher(cls, root, settings.get("lang", "zh"), first=first, query=query)
    return cls(**settings)
