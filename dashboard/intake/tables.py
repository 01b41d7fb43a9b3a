"""The plain table both summary renderers draw (the scores, the screen, the check-ins), kept apart from the
summary's content so the progress page can build one without importing the whole summary."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Table:
    """Columns and rows of text; ``widths`` are relative column widths; ``strong`` rows are set in bold."""

    columns: tuple[str, ...]
    rows: list[tuple[str, ...]] = field(default_factory=list)
    widths: tuple[float, ...] = ()
    strong: set[int] = field(default_factory=set)
