"""Masking of personal numbers in every output unless the user asks otherwise."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

_ID_LIKE = r"^(\d{17}[\dX]|\d{15})$"


def mask_ids(values: pd.Series) -> pd.Series:
    """ID numbers as ``130102********123X``: first 6 and last 4 characters kept.

    Only values shaped like an ID are masked, so a certificate number or a
    sheet reference in the same column stays readable.
    """
    text = values.astype("string")
    looks_like_id = text.str.fullmatch(_ID_LIKE).fillna(False).to_numpy(dtype=bool)
    if not looks_like_id.any():
        return values
    return text.where(~looks_like_id, _keep_ends(text, 6, 4))


def mask_ids_in_text(values: pd.Series) -> pd.Series:
    """Every ID number inside a text masked as ``mask_ids`` does (a member list in one
    cell: ``张三（130723********1234）、李四（…）``); other text is left as it is."""
    text = values.astype("string")
    text = text.str.replace(r"(\d{6})\d{8}(\d{3}[\dXx])", r"\1********\2", regex=True)
    return text.str.replace(r"(\d{6})\d{5}(\d{4})", r"\1*****\2", regex=True)


def mask_accounts(values: pd.Series) -> pd.Series:
    """Bank accounts as ``***************1234``: only the last 4 characters kept."""
    text = values.astype("string")
    long_enough = text.str.len().fillna(0).to_numpy() > 4
    if not long_enough.any():
        return values
    return text.where(~long_enough, _keep_ends(text, 0, 4))


def _keep_ends(text: pd.Series, head: int, tail: int) -> pd.Series:
    """Each value with all but ``head`` leading and ``tail`` trailing characters as '*'."""
    arr = pa.array(text.fillna("").astype(str).to_numpy(dtype=object), pa.string())
    hidden = pc.max_element_wise(pc.subtract(pc.utf8_length(arr), head + tail), 0)
    stars = pc.binary_repeat(pa.scalar("*"), hidden)
    joined = pc.binary_join_element_wise(
        pc.utf8_slice_codeunits(arr, 0, head),
        stars,
        pc.utf8_slice_codeunits(arr, -tail) if tail else pa.scalar(""),
        "",
    )
    return pd.Series(joined.to_pandas().to_numpy(), index=text.index, dtype="string")
