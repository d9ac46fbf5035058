"""Writes scenarios and experiments given as dicts to TOML for the engine, remembering the
key each line sets, so that the engine's "FILE:LINE:COLUMN: ..." messages about a written
file can name the key the user gave instead of a temporary file."""

import json
import math
import numbers
import os
import re

_BARE = re.compile(r"[A-Za-z0-9_-]+")


class Unwritable(TypeError):
    """A value that TOML (or the engine) cannot take; the message names its key."""


def _key(k):
    return k if _BARE.fullmatch(k) else _string(k)


def _string(s):
    # A TOML basic string escapes like JSON, except that DEL must be escaped too.
    return json.dumps(s, ensure_ascii=False).replace("\x7f", "\\u007f")


def value(v, where):
    """One TOML value: a boolean, number, string, path or a list of them."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, numbers.Integral):
        return str(int(v))
    if isinstance(v, numbers.Real):
        f = float(v)
        if math.isnan(f):
            return "nan"
        if math.isinf(f):
            return "inf" if f > 0 else "-inf"
        text = repr(f)
        return text if any(c in text for c in ".en") else text + ".0"
    if isinstance(v, (str, os.PathLike)):
        return _string(os.fspath(v))
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(value(x, f"{where}[{i}]") for i, x in enumerate(v)) + "]"
    raise Unwritable(f"{where}: a value of type {type(v).__name__} cannot be a setting. Give a number, a boolean, "
                     "a string, or a list of them.")


class Document:
    """TOML text built line by line; labels[n] is the dotted key set on line n (from 1)."""

    def __init__(self):
        self.lines, self.labels = [], {}

    def line(self, text, label=None):
        self.lines.append(text)
        if label is not None:
            self.labels[len(self.lines)] = label

    def text(self):
        return "\n".join(self.lines) + "\n"

    def table(self, table, keys=(), labels=()):
        """Writes `table` (a dict): plain keys first, then sub-tables, then arrays of tables.
        `keys` is the table's TOML path, `labels` the same with the index of each array item."""
        subtables, arrays = [], []
        for k, v in table.items():
            if not isinstance(k, str):
                raise Unwritable(f"{'.'.join(labels) or 'the top level'}: key {k!r} is not a string")
            label = ".".join(labels + (k,))
            if isinstance(v, dict):
                subtables.append((k, v))
            elif isinstance(v, (list, tuple)) and v and all(isinstance(x, dict) for x in v):
                arrays.append((k, v))
            else:
                self.line(f"{_key(k)} = {value(v, label)}", label)
        for k, v in subtables:
            self.line("")
            self.line("[" + ".".join(_key(p) for p in keys + (k,)) + "]", ".".join(labels + (k,)))
            self.table(v, keys + (k,), labels + (k,))
        for k, items in arrays:
            for i, item in enumerate(items):
                self.line("")
                self.line("[[" + ".".join(_key(p) for p in keys + (k,)) + "]]", ".".join(labels + (f"{k}[{i}]",)))
                self.table(item, keys + (k,), labels + (f"{k}[{i}]",))
