"""Duplicates over the combined tables: one person listed twice, one account paid twice.

These are the cross-file checks (STYLE principle 7): they read every file's rows
at once. The first occurrence (file, sheet, row order) is taken as the listing
and every further one is a finding that names all the other places.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from civaudit.normalize.arrow import string_series, to_arrow
from civaudit.rules._common import (
    after_first,
    column,
    days,
    masked_only,
    other_places,
    place_records,
    places,
    text,
)
from civaudit.rules.registry import hits, no_hits, rule

COMPARABLE_IDS = ("valid", "checksum")
"""ID statuses compared for duplicates. Blank, masked and invalid IDs cannot be
compared; a precision-lost ID has lost its last digits, so two different people
(twins, say) can share what is left."""


@rule(
    id="dup.person",
    severity="error",
    needs=("members.id_number", "members.id_status"),
    title={"zh": "同一人重复享受", "en": "Same person listed more than once"},
    description={
        "zh": "同一身份证号（按18位号码比较）在花名册中出现不止一次："
        "同一花名册内，或跨文件、村、乡镇、城乡。第一次出现之后的每一处各报一条。",
        "en": "The same ID number (compared in its 18-digit form) appears more than once: "
        "within a roster or across files, villages, towns, urban and rural rosters. Each "
        "occurrence after the first is a finding.",
    },
    clause="GB 11643-1999; 国务院令第649号（社会救助暂行办法）",
    message={
        "zh": "身份证号 {id_number} 共出现 {count} 次，另见 {places}",
        "en": "ID number {id_number} appears {count} times; also at {places}",
    },
    skip=masked_only,
)
def duplicate_person(data) -> pd.DataFrame:
    m = data.members
    ids = text(m, "id_number").where(m["id_status"].isin(COMPARABLE_IDS).to_numpy(dtype=bool))
    dup = _repeated_ids(ids)
    if not dup.any():
        return no_hits()
    sub = m.loc[dup[dup].index]
    key = ids.loc[sub.index]
    extra = after_first(sub, key)
    others, where = other_places(
        key, sub, {"name": column(sub, "name"), "scheme": column(sub, "scheme")}
    )
    count = key.map(key.value_counts())
    schemes = column(sub, "scheme").astype("object").where(lambda v: v.notna(), None)
    return hits(
        "members",
        extra,
        field="id_number",
        id_number=key,
        count=count,
        scheme=schemes,
        others=others,
        _places=where,
    )


def _repeated_ids(ids: pd.Series) -> pd.Series:
    """IDs met more than once (NA never). The comparable statuses are 18 characters,
    17 digits and a check character, so each is compared as one integer: hashing a
    million strings is what took the time."""
    known = ids.dropna()
    arr = to_arrow(known)
    try:
        if not pc.all(pc.match_substring_regex(arr, r"^\d{17}[\dX]$")).as_py():
            raise pa.ArrowInvalid("not the 18-character shape")
        body = pc.cast(pc.utf8_slice_codeunits(arr, 0, 17), pa.int64())
        check = pc.replace_substring(pc.utf8_slice_codeunits(arr, 17, 18), "X", "10")
        key = pc.add(pc.multiply(body, 11), pc.cast(check, pa.int64()))
    except pa.ArrowInvalid:  # not that shape after all: compare the texts
        return ids.notna() & ids.duplicated(keep=False)
    key = key.to_numpy(zero_copy_only=False)
    repeated = pd.Series(pd.Series(key).duplicated(keep=False).to_numpy(), index=known.index)
    return repeated.reindex(ids.index, fill_value=False)


def _accounts(h: pd.DataFrame) -> pd.Series:
    """Accounts compared without spaces and dashes; blanks and texts with no digit
    (无, 现金, a dash) are not accounts."""
    raw = to_arrow(text(h, "bank_account"))
    clean = pc.replace_substring_regex(raw, r"[\s\-－—]", "")
    digits = pc.fill_null(pc.match_substring_regex(clean, r"\d"), False)
    return string_series(pc.if_else(digits, clean, None), h.index)


@rule(
    id="dup.bank-account",
    severity="error",
    needs=("households.bank_account",),
    title={"zh": "多户共用一个银行账号", "en": "One bank account for several households"},
    description={
        "zh": "同一银行账号用于不同家庭（代领、冒领的迹象）。第一户之外的每一户各报一条。",
        "en": "One bank account receives the benefit of different households (a sign of "
        "collection by someone else). Each household after the first is a finding.",
    },
    clause="国务院令第649号（社会救助暂行办法）",
    message={
        "zh": "银行账号 {bank_account} 共用于 {households} 户，另见 {places}",
        "en": "Bank account {bank_account} is used by {households} households; also at {places}",
    },
)
def shared_account(data) -> pd.DataFrame:
    account = _accounts(data.households)
    h = data.households.loc[account.notna() & account.duplicated(keep=False)]  # can be shared
    account = account.loc[h.index]
    household = text(h, "household").fillna(places(h).astype("string"))
    pair = pd.DataFrame({"account": account, "household": household}, index=h.index)
    # one row per (account, household): the same household listed twice is dup.person's
    first = place_records(h.loc[pair.index]).join(pair)
    first = first.sort_values(["file", "sheet", "row"], kind="stable", na_position="last")
    first = first.drop_duplicates(["account", "household"])
    shared = first["account"].duplicated(keep=False)
    if not shared.any():
        return no_hits()
    sub = h.loc[first.index[shared.to_numpy()]]
    key = account.loc[sub.index]
    extra = after_first(sub, key)
    others, where = other_places(key, sub, {"head_name": column(sub, "head_name")})
    count = key.map(key.value_counts())
    return hits(
        "households",
        extra,
        field="bank_account",
        bank_account=text(h, "bank_account"),
        households=count,
        others=others,
        _places=where,
    )


SIMILAR_STATUSES = ("valid", "checksum")


def _sounds(names: pd.Series) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Each row's distinct name (``codes``, -1 for none), each distinct name as a row
    of sound numbers (0 pads the shorter names), and the sounds (pinyin without tones,
    looked up once per distinct character; "" for the padding)."""
    from pypinyin import lazy_pinyin

    codes, distinct = pd.factorize(names, use_na_sentinel=True)
    text = np.asarray(distinct, dtype=str)
    points = text.view(np.uint32).reshape(len(text), -1)
    chars, where = np.unique(points, return_inverse=True)
    sounds = [lazy_pinyin(chr(c))[0] if c else "" for c in chars.tolist()]
    return codes, where.reshape(points.shape), sounds


def _pinyin_codes(names: pd.Series) -> np.ndarray:
    """An integer per name, equal for names that sound the same without tones
    (张三 and 章三: one spoken name, often misheard into a roster). Names are compared
    as rows of sound numbers."""
    if not names.notna().any():
        return np.full(len(names), -1)
    codes, where, sounds = _sounds(names)
    sound_of_char = pd.factorize(pd.Series(sounds, dtype=object))[0]
    spoken_rows = sound_of_char[where].astype(np.int64)
    base = int(spoken_rows.max()) + 1
    if base ** spoken_rows.shape[1] < 2**62:  # a row fits one integer: factorize that
        packed = spoken_rows @ (base ** np.arange(spoken_rows.shape[1], dtype=np.int64))
        spoken = pd.factorize(packed)[0]
    else:
        spoken = np.unique(spoken_rows, axis=0, return_inverse=True)[1].reshape(-1)
    return np.where(codes >= 0, spoken[np.maximum(codes, 0)], -1)


def _spoken_hashes(names: pd.Series) -> np.ndarray:
    """A 64-bit hash per name of its sounds: equal for names ``_pinyin_codes`` calls
    equal, whatever other names are hashed with it (so equal in every file)."""
    if not names.notna().any():
        return np.zeros(len(names), dtype=np.uint64)
    codes, where, sounds = _sounds(names)
    hashed = pd.util.hash_pandas_object(pd.Series(sounds, dtype=object), index=False).to_numpy(
        copy=True
    )
    hashed[np.asarray(sounds, dtype=object) == ""] = 0  # padding adds nothing
    weights = np.cumprod(np.full(where.shape[1], 1099511628211, dtype=np.uint64))
    spoken = (hashed[where] * weights).sum(axis=1, dtype=np.uint64)
    return np.where(codes >= 0, spoken[np.maximum(codes, 0)], np.uint64(0))


def _typo_pairs(ids: pd.Series) -> pd.DataFrame:
    """Pairs (typo row, other row) where an ID with a wrong check character becomes
    another listed ID by changing one digit or swapping two neighbours, keeping the
    region code (positions 1-6: the same county). Two valid IDs never differ in one
    digit (the check character would differ too), so the typo side is the invalid one.

    Done on the IDs' bytes: each typo's variants are rows of a byte matrix, looked up
    among the listed IDs (sorted, as 18-byte strings) with a binary search.
    """
    from civaudit.normalize.arrow import digit_matrix
    from civaudit.normalize.ids import check_bytes

    matrix, fits = digit_matrix(to_arrow(ids), 18)
    digits = (matrix >= ord("0")) & (matrix <= ord("9"))
    eighteen = fits & digits[:, :17].all(axis=1) & (digits[:, 17] | (matrix[:, 17] == ord("X")))
    rows = np.ascontiguousarray(matrix[eighteen])
    labels = ids.index[eighteen]
    wrong = check_bytes(rows[:, :17]) != rows[:, 17]
    if not wrong.any():
        return pd.DataFrame(columns=["typo", "other"])
    known, first = np.unique(rows.view("S18").ravel(), return_index=True)
    typos = rows[wrong]
    # variant v of every typo, v outer: each digit of positions 7-18 changed (the
    # check character may also be X), then each two neighbours of 7-18 swapped
    spots = [(pos, ch) for pos in range(6, 18) for ch in b"0123456789X"[: 11 if pos == 17 else 10]]
    swaps = np.arange(6, 17)
    variants = np.repeat(typos[None], len(spots) + len(swaps), axis=0)
    changed = np.arange(len(spots))
    at, to = np.array(spots).T
    variants[changed, :, at] = to[:, None]
    swapped = len(spots) + np.arange(len(swaps))
    variants[swapped, :, swaps] = typos[:, swaps + 1].T
    variants[swapped, :, swaps + 1] = typos[:, swaps].T
    texts = variants.reshape(-1, 18).view("S18").ravel()
    owners = np.tile(labels[wrong], len(variants))
    differs = texts != np.tile(typos.view("S18").ravel(), len(variants))
    found = np.minimum(np.searchsorted(known, texts), len(known) - 1)
    hit = differs & (known[found] == texts)
    pairs = pd.DataFrame({"typo": owners[hit], "other": labels[first[found[hit]]]})
    return pairs.drop_duplicates()


def _similar_inputs(m: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.Series]:
    """The comparable ID numbers, the names and the birth dates (the ID's, else the
    column's) of ``dup.similar-person``."""
    ids = text(m, "id_number").where(m["id_status"].isin(SIMILAR_STATUSES).to_numpy(dtype=bool))
    birth = days(m, "id_birth").fillna(days(m, "birth_date"))
    return ids, text(m, "name"), birth


def _name_keys(ids: pd.Series, names: pd.Series, birth: pd.Series) -> pd.DataFrame:
    """``key`` (one integer per spoken name and birth date) and ``id`` of the rows
    that have all three, in their order."""
    usable = ids.notna() & names.notna() & birth.notna()
    if not usable.any():
        return pd.DataFrame({"key": pd.Series(dtype="int64"), "id": pd.Series(dtype=object)})
    born = birth[usable].to_numpy(dtype="datetime64[D]").astype(np.int64)
    key = _pinyin_codes(names[usable]) * 1_000_000 + (born - born.min())
    return pd.DataFrame({"key": key, "id": ids[usable].to_numpy()}, index=names.index[usable])


def similar_person_keys(m: pd.DataFrame) -> dict[str, pd.Series]:
    """Keys that bound ``dup.similar-person``'s pairs, the same in every file: a pair
    by name shares ``spoken`` (a hash of the name's sounds and the birth date), a pair
    by typo shares ``region`` (the IDs' first six characters, which a typo keeps). NA:
    a row the variant cannot pair."""
    ids, names, birth = _similar_inputs(m)
    usable = (ids.notna() & names.notna() & birth.notna()).to_numpy(dtype=bool)
    spoken = pd.Series(pd.NA, index=m.index, dtype="object")
    if usable.any():
        born = birth[usable].to_numpy(dtype="datetime64[D]").view(np.int64).astype(np.uint64)
        mixed = _spoken_hashes(names[usable]) ^ (born * np.uint64(0x9E3779B97F4A7C15))
        spoken[usable] = mixed.astype(object)
    eighteen = ids.str.fullmatch(r"\d{17}[\dX]").fillna(False).astype(bool)
    return {"spoken": spoken, "region": ids.where(eighteen).str[:6]}


def similar_person_rows(m: pd.DataFrame, kind: str | None = None) -> pd.Series:
    """The rows ``dup.similar-person`` can pair: every row of a (spoken name, birth)
    group holding two ID numbers, and each mistyped ID with a near match together with
    every row of the ID it matches. On a part of the roster that holds whole groups of
    a key (``similar_person_keys``; ``kind`` names it, and only the pairs it bounds
    are looked for: ``spoken`` the names, ``region`` the typos) it marks each such row
    of that key; the rule, run on all rows so marked, finds exactly what it finds on the
    whole roster (its leads, the first rows of an ID or a group, are marked with them)."""
    ids, names, birth = _similar_inputs(m)
    marked = pd.Series(False, index=m.index)
    sub = _name_keys(ids, names, birth) if kind != "region" else []
    if len(sub):
        two = sub.groupby("key")["id"].transform("nunique").to_numpy() > 1
        marked.loc[sub.index[two]] = True
    pairs = _typo_pairs(ids.dropna()) if kind != "spoken" else []
    if len(pairs):
        marked.loc[pairs["typo"].to_numpy()] = True
        marked |= ids.isin(ids.loc[pairs["other"].to_numpy()]).fillna(False).astype(bool)
    return marked


@rule(
    id="dup.similar-person",
    severity="warning",
    needs=("members.id_number", "members.id_status", "members.name"),
    title={"zh": "疑似同一人（号码或姓名相近）", "en": "Possibly the same person twice"},
    description={
        "zh": "身份证号不同，但姓名（或读音）和出生日期相同；或一个校验码错误的身份证号只差一位数字"
        "或两位相邻数字颠倒就与花名册中另一号码相同（同一县内）。每对只报一次，列出两处位置。",
        "en": "Different ID numbers but the same name (or the same pinyin) and birth date; or an "
        "ID with a wrong check character that is one digit or one swap of neighbours away from "
        "another listed ID in the same county. Each pair is reported once, with both places.",
    },
    clause="国务院令第649号（社会救助暂行办法）; GB 11643-1999",
    message={
        "name": {
            "zh": "{name}（{id_number}）与 {other_name}（{other_id}）姓名读音和出生日期相同，"
            "另见 {places}",
            "en": "{name} ({id_number}) and {other_name} ({other_id}) share the name's "
            "pinyin and the birth date; also at {places}",
        },
        "typo": {
            "zh": "身份证号 {id_number} 校验码错误，与 {other_id}（{other_name}）"
            "只差一位或两位颠倒，另见 {places}",
            "en": "ID number {id_number} has a wrong check character and is one digit or one swap "
            "away from {other_id} ({other_name}); also at {places}",
        },
    },
    skip=masked_only,
)
def similar_person(data) -> pd.DataFrame:
    m = data.members
    ids, names, birth = _similar_inputs(m)
    frames = []

    sub = _name_keys(ids, names, birth)
    sub = sub[sub["key"].duplicated(keep=False)]  # a key met once has no pair
    if len(sub):
        # members are in file, sheet, row order already, so "first" is the first listing
        first = sub.drop_duplicates(["key", "id"])
        lead_id = first["id"].groupby(first["key"].to_numpy()).transform("first")
        lead_row = (
            first.index.to_series(index=first.index)
            .groupby(first["key"].to_numpy())
            .transform("first")
        )
        later = first["id"] != lead_id
        if later.any():
            frames.append(
                pd.DataFrame(
                    {
                        "typo": first.index[later],
                        "other": lead_row[later].to_numpy(),
                        "variant": "name",
                    }
                )
            )

    pairs = _typo_pairs(ids.dropna())
    if len(pairs):
        frames.append(pairs.assign(variant="typo"))
    if not frames:
        return no_hits()
    pairs = pd.concat(frames, ignore_index=True).drop_duplicates(["typo", "other"])
    # each pair once: the same two rows found both ways keep the first finding
    pair_key = pairs[["typo", "other"]].apply(sorted, axis=1).map(tuple)
    pairs = pairs[~pair_key.duplicated()]
    # one finding per row: a row paired with several others (same name and birth as
    # one, a typo away from another) names the first of them
    pairs = pairs.drop_duplicates("typo").set_index("typo")
    other = pairs["other"]
    where = place_records(m.loc[other.to_numpy()])
    where.index = other.index
    mask = pd.Series(m.index.isin(pairs.index), index=m.index)
    return hits(
        "members",
        mask,
        field="id_number",
        variant=pairs["variant"],
        id_number=ids.fillna(text(m, "id_number")),
        name=names,
        other_id=text(m, "id_number").reindex(other.to_numpy()).set_axis(other.index),
        other_name=names.reindex(other.to_numpy()).set_axis(other.index),
        others=pd.Series(
            [[r] for r in where.astype("object").to_dict("records")], index=where.index
        ),
        _places=places(where),
    )


MASKED_MIN_DIGITS = 8
"""Digits two IDs must both show, at the same places and equal, for a masked match:
more than a region code (6), so 130723********1234 and 130723****** never match
on the county alone, and "1****************4" (2 digits) never matches at all."""
NAME_MASKS = "*×Xx某○"
"""Characters that hide part of a name on a publicity list (张*, 张某, *三)."""


def _visible_names(names: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Each name as a row of code points (0 where masked or past its end), and its length."""
    text_ = np.asarray(names.fillna("").astype(str).to_numpy(), dtype=str)
    width = max(text_.dtype.itemsize // 4, 1)
    points = np.ascontiguousarray(text_.astype(f"<U{width}")).view(np.uint32)
    points = points.reshape(len(text_), width).copy()
    for ch in NAME_MASKS:
        points[points == ord(ch)] = 0
    return points, np.char.str_len(text_)


def _masked_blocks(m: pd.DataFrame):
    """The rows a masked match can pair (a masked or comparable ID, and a name), with
    what each shows: the ID's characters (``HIDDEN`` where masked), the name's letters,
    and the blocking keys (``tail``: the last 4 characters where shown, else -1;
    ``head``: the first 10; ``size``: the name's length). None: no such row."""
    from civaudit.normalize.ids import HIDDEN, visible_id_chars

    status = m["id_status"].astype("object")
    masked = status.eq("masked").to_numpy(dtype=bool)
    names = text(m, "name")
    usable = (masked | status.isin(COMPARABLE_IDS).to_numpy(dtype=bool)) & names.notna().to_numpy(
        dtype=bool
    )
    if not usable.any():
        return None
    ids = text(m, "id_number")[usable]
    shown = visible_id_chars(to_arrow(ids), masked[usable])
    letters, length = _visible_names(names[usable])
    visible = (shown != HIDDEN).astype(np.int64)
    tail = shown[:, 14:].astype(np.int64) @ (256 ** np.arange(4))
    tail = np.where(visible[:, 14:].all(axis=1), tail, -1)
    digits = shown[:, :10].astype(np.int64) - 48
    head = np.where(visible[:, :10].all(axis=1), digits @ (10 ** np.arange(10)), -1)
    rows = pd.DataFrame(
        {"at": np.arange(len(ids)), "masked": masked[usable], "tail": tail, "head": head}
    )
    rows["size"] = length
    return ids.index, shown, letters, rows


def _masked_pairs(m: pd.DataFrame, keys: tuple[str, ...] = ("tail", "head")) -> pd.DataFrame:
    """Every masked match: ``ref`` (a masked row), ``other`` (the row it matches),
    ``shared`` (the digits both show), in the order found. A pair must share a blocking
    key of ``keys`` (``_masked_blocks``) to be compared."""
    from civaudit.normalize.ids import HIDDEN

    none = pd.DataFrame({"ref": [], "other": [], "shared": []})
    blocks = None
    if (m["id_status"].astype("object") == "masked").any():
        blocks = _masked_blocks(m)
    if blocks is None or not blocks[3]["masked"].any():
        return none
    index, shown, letters, rows = blocks
    pairs = []
    for key in keys:
        keyed = rows[rows[key] >= 0]
        left = keyed[keyed["masked"]]
        pair = left.merge(keyed, on=[key, "size"], suffixes=("", "_other"))
        pair = pair[(pair["at"] != pair["at_other"])]
        # both masked: once, from the later row; masked and full: from the masked row
        pair = pair[~pair["masked_other"] | (pair["at"] > pair["at_other"])]
        pairs.append(pair[["at", "at_other"]])
    pair = pd.concat(pairs, ignore_index=True).drop_duplicates()
    if not len(pair):
        return none
    a, b = pair["at"].to_numpy(), pair["at_other"].to_numpy()
    both = (shown[a] != HIDDEN) & (shown[b] != HIDDEN)
    digits_agree = ~(both & (shown[a] != shown[b])).any(axis=1)
    shared = both.sum(axis=1)
    named = (letters[a] != 0) & (letters[b] != 0)
    names_agree = ~(named & (letters[a] != letters[b])).any(axis=1) & named.any(axis=1)
    keep = digits_agree & names_agree & (shared >= MASKED_MIN_DIGITS)
    return pd.DataFrame({"ref": index[a[keep]], "other": index[b[keep]], "shared": shared[keep]})


def masked_match_keys(m: pd.DataFrame) -> dict[str, pd.Series]:
    """Keys that bound ``dup.masked-match``'s pairs, the same in every file: each
    blocking key with the name's length (NA: a row no pair can reach that way)."""
    blocks = _masked_blocks(m)
    out = {}
    for key in ("tail", "head"):
        value = pd.Series(pd.NA, index=m.index, dtype="object")
        if blocks is not None:
            index, _, _, rows = blocks
            shown = rows[key].to_numpy() >= 0
            joined = rows[key].to_numpy() * 64 + rows["size"].to_numpy()
            value.loc[index[shown]] = joined[shown].astype(object)
        out[key] = value
    return out


def masked_match_rows(m: pd.DataFrame, kind: str | None = None) -> pd.Series:
    """The rows of every masked match among ``m``'s (both sides): on a part of the
    roster holding every row of a blocking key (``kind``: ``tail`` or ``head``, else
    both), each row of that key's matches; the rule, run on all rows so marked, finds
    exactly what it finds on the whole roster."""
    found = _masked_pairs(m, (kind,) if kind else ("tail", "head"))
    return pd.Series(m.index.isin(np.concatenate([found["ref"], found["other"]])), index=m.index)


@rule(
    id="dup.masked-match",
    severity="info",
    needs=("members.id_number", "members.id_status", "members.name"),
    title={"zh": "脱敏号码疑似同一人", "en": "Masked IDs that may be one person"},
    description={
        "zh": "脱敏的身份证号（公示名单：以 * 或 x 遮盖、只留前后几位）从不视为相同号码；"
        "只有当两处的姓名（含脱敏的姓名，如“张*”）一致、两个号码可见的数字在相同位置上"
        f"全部相同且至少有 {MASKED_MIN_DIGITS} 位时，才作为弱匹配报告，供人工核对。"
        "每对只报一次，列出两处位置。",
        "en": "Masked ID numbers (publicity lists: digits hidden by * or x, or only the "
        "first and last kept) never count as the same number. Only where the names agree "
        "(masked names such as 张* included) and the digits both IDs show agree, at the same "
        f"places and at least {MASKED_MIN_DIGITS} of them, is the pair reported, as a weak "
        "match for a person to check. Each pair once, with both places.",
    },
    clause="国务院令第649号（社会救助暂行办法）; GB 11643-1999",
    message={
        "zh": "{name}（{id_number}）与 {other_name}（{other_id}）姓名一致，身份证号可见的 "
        "{shared_digits} 位数字相同，可能是同一人（号码已脱敏，无法确认），另见 {places}",
        "en": "{name} ({id_number}) and {other_name} ({other_id}) agree in name and in the "
        "{shared_digits} digits both IDs show: possibly one person (the IDs are masked, so "
        "this cannot be confirmed); also at {places}",
    },
)
def masked_match(data) -> pd.DataFrame:
    m = data.members
    found = _masked_pairs(m)
    if not len(found):
        return no_hits()
    found = found.drop_duplicates("ref")  # one finding per row, naming its first match
    found = found.set_index("ref")
    other = found["other"]
    where = place_records(m.loc[other.to_numpy()])
    where.index = other.index
    id_text, names = text(m, "id_number"), text(m, "name")
    return hits(
        "members",
        pd.Series(m.index.isin(found.index), index=m.index),
        field="id_number",
        id_number=id_text,
        name=names,
        other_id=id_text.reindex(other.to_numpy()).set_axis(other.index),
        other_name=names.reindex(other.to_numpy()).set_axis(other.index),
        shared_digits=found["shared"],
        others=pd.Series(
            [[r] for r in where.astype("object").to_dict("records")], index=where.index
        ),
        _places=places(where),
    )
