"""ID-number cells: cleaned to one comparable form, with the traces of number cells kept.

An ID typed into a number cell keeps 15 significant digits, so its last digits
are gone for good. That damage has to stay visible (``id_numeric``) rather than
be "repaired": the reader may hand over ``'1.30102E+17'``, ``'…1234.0'`` or the
exact binary value of the double (``'130723197206220992'``), and a CSV saved from
Excel may hold the rounded display (``'130102199003071000'``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from civaudit.normalize.arrow import (
    arrow_mask,
    digit_matrix,
    digits_of_length,
    string_series,
    to_arrow,
)
from civaudit.normalize.text import clean_text

WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int32)
"""GB 11643-1999 weights of the first 17 digits."""
CHECK_CHARS = "10X98765432"
"""The check character is ``CHECK_CHARS[sum(digit * weight) % 11]``."""
_WEIGHT_SUM = int(WEIGHTS.sum())
_CHECK_BYTES = np.frombuffer(CHECK_CHARS.encode("ascii"), dtype=np.uint8)

SCIENTIFIC = r"^[+-]?\d+(\.\d*)?[Ee][+-]?\d+$"
"""Excel's display of a long number (``1.30102E+17``): only 6-15 digits survive."""


def parse_ids(
    raw: pd.Series, *, numeric: pd.Series | None = None, numeric_known: bool = False
) -> pd.DataFrame:
    """Cleaned ID numbers plus where they came from, one row per cell (index kept).

    Columns: ``id_number`` (the 18-digit form used for every comparison:
    whitespace anywhere, full-width forms, a lowercase x and a trailing ``.0``
    removed; legacy 15-digit IDs converted), ``id_original`` (the cleaned text
    before conversion), ``id_numeric`` (the cell was stored as a number; see
    ``numeric_id_mask``) and ``id_legacy`` (the cell held a 15-digit ID).

    ``numeric`` is an optional reader-supplied mask of cells known to be
    numbers; it is OR-ed with what the text itself gives away.
    """
    index = raw.index
    arr = pc.ascii_upper(to_arrow(clean_text(raw, squeeze_spaces=True)))
    point_zero = arrow_mask(pc.match_substring(arr, ".0"))
    if point_zero.any():  # rare: the regexes run only when some cell has '.0'
        point_zero &= arrow_mask(pc.match_substring_regex(arr, r"^\d+\.0+$"))
        arr = pc.replace_substring_regex(arr, r"^(\d+)\.0+$", r"\1")

    legacy = digits_of_length(arr, 15, 15)
    converted = _convert_legacy(arr, legacy)

    is_numeric = (
        point_zero | scientific_mask(arr) | numeric_id_mask(arr, exact_double=not numeric_known)
    )
    if numeric is not None:
        aligned = numeric if numeric.index.equals(index) else numeric.reindex(index)
        is_numeric |= aligned.astype("boolean").fillna(False).to_numpy(dtype=bool)
    # 15 digits survive a number cell intact: a legacy ID lost nothing.
    is_numeric &= ~legacy

    return pd.DataFrame(
        {
            "id_number": string_series(converted, index),
            "id_original": string_series(arr, index),
            "id_numeric": is_numeric,
            "id_legacy": legacy,
        },
        index=index,
    )


MASKED = r"[*~～⋯—]|\.\.|--|X.*X"
"""What publicity lists hide ID digits with: stars, ellipses, dashes, two or more X."""


def masked_id_mask(arr: pa.Array) -> np.ndarray:
    """IDs a publicity list (公示) masked, in every common style.

    Stars of any length (``130723********1234``, ``1307231972****1234``,
    ``130723****``, ``1****************4``); x's used the same way (two or more: a
    lone X is a check character, or a typing error); the middle digits dropped with
    an ellipsis or dashes (``130723…1234``; NFKC turns … into ``...``); or only the
    first 6 and last 4 digits left (10 digits, the usual "前6后4"). ``arr`` is
    cleaned, upper-cased text (``parse_ids``' ``id_number``). The regex runs only on
    the few values that are not all digits.
    """
    decimal = arrow_mask(pc.ascii_is_decimal(arr))
    length = pc.fill_null(pc.binary_length(arr), 0).to_numpy(zero_copy_only=False)
    found = decimal & (length == 10)
    rest = ~decimal & (length > 0)
    if rest.any():
        found[rest] = arrow_mask(pc.match_substring_regex(pc.filter(arr, pa.array(rest)), MASKED))
    return found


HIDDEN = 0
"""A hidden character in ``visible_id_chars``' matrix."""


def visible_id_chars(arr: pa.Array, masked: np.ndarray) -> np.ndarray:
    """An (n, 18) matrix of the characters each ID shows, at their places (ASCII bytes;
    ``HIDDEN`` where a character is masked, and for every character of an ID that is
    neither masked nor 18 characters long).

    An 18-character mask keeps its characters in place (``1307231972****1234``); a
    shorter one shows its leading digits at the start and its trailing ones at the
    end, the middle being what was dropped (``130723…1234``, ``130723****``, and 10
    bare digits as the first 6 and last 4). X is a mask character only in an ID that
    uses it as one (``masked_id_mask``); otherwise a final X is the check character.
    """
    out = np.zeros((len(arr), 18), dtype=np.uint8)
    full, fits = digit_matrix(arr, 18)
    plain = fits & ~masked
    out[plain] = full[plain]
    if not masked.any():
        return out
    sub = pc.filter(arr, pa.array(masked))
    x_marks = pc.fill_null(pc.count_substring(sub, "X"), 0).to_numpy(zero_copy_only=False) >= 2
    marked = pc.replace_substring_regex(sub, r"[^0-9X]", "?")
    marked = pc.if_else(pa.array(x_marks), pc.replace_substring(marked, "X", "?"), marked)
    ten = digits_of_length(marked, 10, 10)  # the first 6 and last 4: the middle dropped
    marked = pc.if_else(
        pa.array(ten),
        pc.binary_join_element_wise(
            pc.utf8_slice_codeunits(marked, 0, 6),
            pc.utf8_slice_codeunits(marked, 6, 10),
            pa.scalar("?", marked.type),
        ),
        marked,
    )
    same, in_place = digit_matrix(marked, 18)
    lead = pc.extract_regex(marked, r"^(?P<v>[0-9X]*)").field("v")
    trail = pc.extract_regex(marked, r"(?P<v>[0-9X]*)$").field("v")
    fit = pc.less_equal(pc.add(pc.utf8_length(lead), pc.utf8_length(trail)), 18)
    fit = pc.fill_null(fit, False).to_numpy(zero_copy_only=False)
    front, _ = digit_matrix(pc.utf8_slice_codeunits(pc.utf8_rpad(lead, 18, "?"), 0, 18), 18)
    back, _ = digit_matrix(pc.utf8_slice_codeunits(pc.utf8_lpad(trail, 18, "?"), -18), 18)
    ends = np.where(front != ord("?"), front, back)
    shown = np.where(in_place[:, None], same, np.where(fit[:, None], ends, ord("?")))
    out[masked] = np.where(shown == ord("?"), HIDDEN, shown).astype(np.uint8)
    return out


def numeric_id_mask(arr: pa.Array, *, exact_double: bool = True) -> np.ndarray:
    """18-digit strings that can only have come from a number cell.

    Two traces: the string is the exact value of a double that has at most 15
    significant digits (what a reader prints for the number cell
    1.30723197206221E+17: ``'130723197206220992'``), or it ends in ``000`` with
    a wrong check character (the 15-digit display saved as text or CSV).

    The first test also matches about one genuine text ID in a thousand (the
    one integer nearest each multiple of 1,000 that a double can hold), so a
    reader that knows cell types should say so through ``numeric``.
    """
    eighteen = digits_of_length(arr, 18, 18)
    result = np.zeros(len(arr), dtype=bool)
    if not eighteen.any():
        return result
    candidates = pc.filter(arr, pa.array(eighteen))
    value = pc.cast(candidates, pa.int64()).to_numpy(zero_copy_only=False)
    as_float = value.astype(np.float64)
    exact = as_float.astype(np.int64) == value
    fifteen_digits = np.round(as_float / 1000) * 1000 == as_float
    matrix, _ = digit_matrix(candidates, 18)
    rounded_display = (value % 1000 == 0) & (check_bytes(matrix[:, :17]) != matrix[:, 17])
    result[eighteen] = (exact & fifteen_digits & exact_double) | rounded_display
    return result


def _convert_legacy(arr: pa.Array, legacy: np.ndarray) -> pa.Array:
    """``arr`` with each 15-digit ID replaced by its 18-digit form (GB 11643)."""
    if not legacy.any():
        return arr
    old = pc.filter(arr, pa.array(legacy))
    # id15[:6] + "19" + id15[6:]: the century is the join separator.
    first17 = pc.binary_join_element_wise(
        pc.utf8_slice_codeunits(old, 0, 6),
        pc.utf8_slice_codeunits(old, 6, 15),
        pa.scalar("19", old.type),
    )
    matrix, _ = digit_matrix(first17, 17)
    check = pa.array(check_bytes(matrix).view("S1"), pa.binary(1))
    new = pc.binary_join_element_wise(first17, check.cast(old.type), pa.scalar("", old.type))
    return pc.replace_with_mask(arr, pa.array(legacy), new.cast(arr.type))


def check_bytes(first17: np.ndarray) -> np.ndarray:
    """GB 11643 check characters (ASCII bytes) for an (n, 17) matrix of digit bytes.

    Here rather than in ``civaudit.idcard`` because converting legacy IDs and
    spotting rounded number cells both need it while normalising.
    """
    # einsum accumulates in int32 without materialising an (n, 17) int64 copy.
    total = np.einsum("ij,j->i", first17, WEIGHTS, dtype=np.int32) - 48 * _WEIGHT_SUM
    return _CHECK_BYTES[total % 11]


def scientific_mask(arr: pa.Array) -> np.ndarray:
    """Cells in scientific notation; the regex runs only where an E occurs."""
    result = arrow_mask(pc.match_substring(arr, "E", ignore_case=True))
    if result.any():
        subset = pc.filter(arr, pa.array(result))
        result[result] = arrow_mask(pc.match_substring_regex(subset, SCIENTIFIC))
    return result
