"""``guard.valued_extent`` (numpy over a sheet part's bytes) against the plain regex
it replaced: the same last row and widest column of the valued cells on any XML."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from civaudit.io.guard import valued_extent

_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"([^>]*)>')
# the same at every r=", also one inside a tag left open before it (the scan looks at
# each reference alone; the plain regex resumes past the tag's end)
_EACH_REF = re.compile(rb'(?=\br="([A-Z]{1,3})(\d+)"([^>]*)>)')


def _column(letters: bytes) -> int:
    col = 0
    for ch in letters:
        col = col * 26 + ch - 64
    return col


def _oracle(xml: bytes, pattern: re.Pattern = _EACH_REF) -> tuple[int, int]:
    found = [(int(r), _column(c)) for c, r, rest in pattern.findall(xml) if not rest.endswith(b"/")]
    return (max(r for r, _ in found), max(c for _, c in found)) if found else (0, 0)


_letters = st.text("ABCXZ", min_size=0, max_size=4)
_digits = st.text("0123456789", min_size=0, max_size=9)
_cell = st.builds(
    lambda pre, ref, attrs, close, body: f'{pre}r="{ref}"{attrs}{close}{body}'.encode(),
    st.sampled_from(["<c ", "<c\n", "<row ", "<c x", "<c _", "", '<c s="1" ']),
    st.builds(lambda a, b, c: a + b + c, _letters, _digits, st.sampled_from(["", "A", "1"])),
    st.sampled_from(["", ' s="3"', ' t="s"', " /", ' t="/"']),
    st.sampled_from([">", "/>", "", " />"]),
    st.sampled_from(["", "<v>1</v></c>", '<is><t>r="A1"</t></is></c>', "</row>", "><"]),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_cell, max_size=12), st.binary(max_size=6))
def test_the_extent_is_the_regex_s(cells, noise):
    xml = noise + b"".join(cells)
    rows, cols = valued_extent(xml)
    assert (rows, cols) == _oracle(xml)
    plain_rows, plain_cols = _oracle(xml, _CELL_REF)
    assert rows >= plain_rows and cols >= plain_cols  # never narrower than the regex


def test_a_village_sheet_and_the_edges():
    row = b"".join(
        b'<c r="%s%d" t="s"><v>1</v></c>' % (c, r) for r in (1, 2) for c in (b"A", b"AJ")
    )
    assert valued_extent(b'<sheetData><row r="1">' + row + b'<c r="AK2" s="1"/></row>') == (2, 36)
    assert valued_extent(b'<c r="XFD1048576"><v>1</v></c>') == (1048576, 16384)
    assert valued_extent(b'<c r="A1"/>') == (0, 0)
    assert valued_extent(b"") == (0, 0)
    # a row number longer than any sheet's counts as one past any limit
    assert valued_extent(b'<c r="A' + b"9" * 30 + b'"><v>1</v></c>')[0] >= 10**15
