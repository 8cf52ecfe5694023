"""Masking of ID and account numbers."""

import pandas as pd

from civaudit.privacy import mask_accounts, mask_ids


def test_mask_ids_keeps_first_6_last_4_and_index():
    values = pd.Series(["130102199003071234", "12345", "130102900307123", None], index=[5, 6, 7, 8])
    out = mask_ids(values)
    assert out.tolist()[:3] == ["130102********1234", "12345", "130102*****7123"]
    assert pd.isna(out.iloc[3]) and list(out.index) == [5, 6, 7, 8]


def test_mask_accounts_keeps_last_4():
    out = mask_accounts(pd.Series(["6228480012345678901", "123", None], index=[1, 2, 3]))
    assert out.tolist()[:2] == ["***************8901", "123"]
