"""Tabs whose content is built when first shown: a staff page is usable as soon as its first
tab is, the others cost nothing until someone opens them (or the code asks for them)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import ipywidgets as w

__all__ = ["LazyTabs"]


class LazyTabs:
    """``builders``: one function per tab, making an object with a ``root`` widget."""

    def __init__(self, titles: Sequence[str], builders: Sequence[Callable[[], object]]) -> None:
        self.builders = list(builders)
        self.built: dict[int, object] = {}
        self.widget = w.Tab(children=[w.VBox() for _b in self.builders])
        for index, title in enumerate(titles):
            self.widget.set_title(index, title)
        self.widget.observe(lambda change: self.tab(change["new"]), "selected_index")
        self.tab(0)

    def tab(self, index: int | None):
        """The tab's object, built (and shown in its place) the first time."""
        if index is None:
            return None
        if index not in self.built:
            self.built[index] = made = self.builders[index]()
            children = list(self.widget.children)
            children[index] = made.root
            selected = self.widget.selected_index
            self.widget.children = children
            self.widget.selected_index = selected
        return self.built[index]
