"""A table's columns as numpy arrays, read for the rows a search asks about.

Every filter reads the loader's columns through ``Columns`` (booleans with NA as False, "is it stated",
floats, ints, text), so a search is numpy from start to end and never a Python loop over rows.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

_Whole = Callable[[pd.Series], np.ndarray]  # a whole column, converted
_Gathered = Callable[[pd.Series, np.ndarray | slice], np.ndarray]  # some rows of a column, converted


class Columns:
    """Reads a table's columns as numpy arrays for the rows a search asks about.

    ``keep=True`` (the finder: one per served table, shared by every search of every session, see
    ``dashboard.web.finder_cache``) converts each column once, whole, and keeps it read-only: converting
    some forty columns from pandas on every search cost more than the filtering (~5 ms of a ~240-row
    search, 2 ms with kept columns). ``keep=False`` (a one-off search) gathers the rows first and converts
    only those, so its cost follows the candidate rows, not the size of the table (bench/bench_search.py).
    Two sessions converting the same column at once store equal arrays; either may win, no lock needed.
    """

    def __init__(self, df: pd.DataFrame, keep: bool = True) -> None:
        self.df = df
        self.keep = keep
        self._arrays: dict[tuple[str, str], np.ndarray] = {}

    def _get(self, kind: str, col: str, idx: np.ndarray | slice, whole: _Whole, gathered: _Gathered) -> np.ndarray:
        if not self.keep:
            return gathered(self.df[col], idx)
        arr = self._arrays.get((kind, col))
        if arr is None:
            arr = np.asarray(whole(self.df[col]))
            arr.flags.writeable = False
            self._arrays[(kind, col)] = arr
        return arr[idx]

    def has(self, col: str) -> bool:
        return col in self.df.columns

    def bool(self, col: str, idx: np.ndarray | slice) -> np.ndarray:
        """Rows ``idx`` of a boolean column; NA (unknown) becomes False."""
        return self._get("bool", col, idx, lambda s: s.to_numpy(dtype=bool, na_value=False), _gather_bool)

    def known(self, col: str, idx: np.ndarray) -> np.ndarray:
        """Rows ``idx`` of a column: True where the fact is stated (not NA)."""
        return self._get(
            "known",
            col,
            idx,
            lambda s: ~np.asarray(pd.isna(s.array), dtype=bool),
            lambda s, i: ~np.asarray(pd.isna(s.array[i]), dtype=bool),
        )

    def floats(self, col: str, idx: np.ndarray | slice) -> np.ndarray:
        return self._get("float", col, idx, lambda s: s.to_numpy(dtype=float), lambda s, i: s.to_numpy(dtype=float)[i])

    def ints(self, col: str, idx: np.ndarray) -> np.ndarray:
        return self._get("int", col, idx, lambda s: s.to_numpy(), lambda s, i: s.to_numpy()[i])

    def text(self, col: str, idx: np.ndarray) -> np.ndarray:
        return self._get(
            "text",
            col,
            idx,
            lambda s: np.asarray(s.array, dtype=object),
            lambda s, i: np.asarray(s.array.take(i), dtype=object),
        )

    def equals(self, col: str, value: str, idx: np.ndarray) -> np.ndarray:
        """Rows ``idx`` of a text column: True where it is exactly ``value``."""
        return self._get(
            f"eq:{value}",
            col,
            idx,
            lambda s: (s == value).to_numpy(dtype=bool, na_value=False),
            lambda s, i: _gather_equals(s, value, i),
        )


def _gather_bool(s: pd.Series, idx: np.ndarray | slice) -> np.ndarray:
    if s.dtype == bool:
        return s.to_numpy()[idx]
    return s.array[idx].to_numpy(dtype=bool, na_value=False)  # nullable "boolean": NA -> False


def _gather_equals(s: pd.Series, value: str, idx: np.ndarray) -> np.ndarray:
    if len(idx) * 8 < len(s):  # gathered first when that is cheaper
        return np.asarray(s.array.take(idx), dtype=object) == value
    return np.asarray((s == value).to_numpy(dtype=bool, na_value=False))[idx]
