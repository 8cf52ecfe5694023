"""Masking of personal numbers in every output unless the user asks otherwise."""

from __future__ import annotations

import pandas as pd

_ID_LIKE = r"^(\d{17}[\dX]|\d{15})$"


def mask_ids(values: pd.Series) -> pd.Series:
    """ID numbers as ``130102********123X``: first 6 and last 4 characters kept.

    Only values shaped like an ID are masked, so a certificate number or a
    sheet reference in the same column stays readable.
    """
    text = values.astype("string")
    looks_like_id = text.str.fullmatch(_ID_LIKE).fillna(False).astype(bool)
    if not looks_like_id.any():
        return values
    masked = (
        text.str.slice(0, 6)
        + text.str.len().sub(10).map(lambda n: "*" * int(n))
        + text.str.slice(-4)
    )
    return text.where(~looks_like_id, masked)


def mask_accounts(values: pd.Series) -> pd.Series:
    """Bank accounts as ``***************1234``: only the last 4 characters kept."""
    text = values.astype("string")
    long_enough = text.str.len().fillna(0) > 4
    stars = text.str.len().sub(4).clip(lower=0).fillna(0).map(lambda n: "*" * int(n))
    return text.where(~long_enough, stars + text.str.slice(-4))
