"""Spelling helpers of the medication check: deletion indexes for edit distance, and letters that sound alike."""

from __future__ import annotations

from collections.abc import Iterable

_SOUNDS_ALIKE = ({"c", "k", "q"}, {"f", "p"}, {"s", "c", "z"}, {"x", "z"}, {"i", "y"})
"""First letters that can sound alike ("ph" and "f"; "k" and "c"): a close name shares the first letter or sound."""


def sound(word: str) -> str:
    """*word* with "ph" written as it sounds ("f"), and "f" for "ph" ("morphine" and "morfine" → "morfine")."""
    return word.replace("ph", "f")


def same_start(a: str, b: str) -> bool:
    """The same first letter, or first letters that can sound alike ("fentanil" / "phentanyl")."""
    return a[0] == b[0] or any(a[0] in group and b[0] in group for group in _SOUNDS_ALIKE)


def deletion_index(keys: Iterable[str], *, depth: int) -> dict[str, tuple[str, ...]]:
    """Every deletion variant of each key → the keys it comes from, in the order given.

    Tuples, not sets: most variants come from one key, and the two-edit index of the bundled KB has ~26,000
    of them (a set per variant was ~6 MB of the search process's memory; a tuple is a quarter of a set)."""
    index: dict[str, list[str]] = {}
    for k in keys:
        for v in variants(k, depth):  # a set: each key once per variant
            index.setdefault(v, []).append(k)
    return {v: tuple(ks) for v, ks in index.items()}


def variants(word: str, depth: int) -> set[str]:
    """*word* and every string made by deleting up to *depth* characters."""
    out = {word}
    layer = {word}
    for _ in range(depth):
        layer = {w[:i] + w[i + 1 :] for w in layer for i in range(len(w))}
        out |= layer
    return out
