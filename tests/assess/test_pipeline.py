"""The step catalogue: STEPS, STEP_FUNCTIONS and STEP_OF_COLUMN agree with the code."""

from __future__ import annotations

import importlib
import re
from dataclasses import fields
from datetime import date

import pandas as pd
import pytest

from civaudit.assess import STEP_FUNCTIONS, STEP_OF_COLUMN, STEPS, _Steps, assess
from civaudit.assess.household import KEYS
from civaudit.policy import EXAMPLE_POLICY

AS_OF = date(2019, 10, 1)
STRING = pd.StringDtype("pyarrow")


def every_key_household() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "hh": [0, 1],
            "file": "a.xlsx",
            "sheet": "S",
            "row": [3, 4],
            "household": pd.array(["H1", "H2"], dtype=STRING),
            "county": pd.array(["康保县"] * 2, dtype=STRING),
            "town": pd.array(["镇"] * 2, dtype=STRING),
            "village": pd.array(["村"] * 2, dtype=STRING),
            "household_size": pd.array([2, 1], dtype="Int64"),
            "gross_income_year": [3000.0, 9000.0],
            "head_id_region": pd.array(["130723", "130723"], dtype=STRING),
        }
    )


def test_steps_are_the_step_functions_in_order():
    assert tuple(STEP_FUNCTIONS) == STEPS
    assert len(set(STEPS)) == len(STEPS)


@pytest.mark.parametrize("name", STEPS)
def test_every_step_function_says_which_step_it_is_and_why(name):
    doc = STEP_FUNCTIONS[name].__doc__ or ""
    assert f"Step ``{name}``" in doc
    assert len(doc.split()) > 15  # more than a name: the reason


def test_step_of_column_names_only_known_steps():
    assert set(STEP_OF_COLUMN.values()) <= set(STEPS)
    assert [c for c, step in STEP_OF_COLUMN.items() if step == "keys"] == list(KEYS)


def test_step_of_column_covers_every_column_in_table_order():
    members = pd.DataFrame({"hh": [0, 0, 1], "row": [3, 4, 5]})
    table = assess(every_key_household(), members, EXAMPLE_POLICY, as_of=AS_OF)
    assert list(table.columns) == list(STEP_OF_COLUMN)


@pytest.mark.parametrize("members", [None, pd.DataFrame()])
def test_without_keys_or_members_the_columns_are_the_rest_in_the_same_order(members):
    households = every_key_household().drop(columns=list(KEYS))
    table = assess(households, members, EXAMPLE_POLICY, as_of=AS_OF)
    assert list(table.columns) == [c for c, s in STEP_OF_COLUMN.items() if s != "keys"]
    empty = assess(households.iloc[:0], members, EXAMPLE_POLICY, as_of=AS_OF)
    assert list(empty.columns) == list(table.columns)


def test_the_package_docstring_lists_every_step_and_its_function():
    # ``civaudit.assess`` as an attribute is the function (civaudit/__init__ imports it).
    package = importlib.import_module("civaudit.assess")
    rows = re.findall(r"^([a-z-]+) +(\w+)\.(\w+)", package.__doc__, re.MULTILINE)
    listed = {step: (module, function) for step, module, function in rows if step != "step"}
    assert tuple(listed) == STEPS
    for step, function in STEP_FUNCTIONS.items():
        module = function.__module__.removeprefix("civaudit.assess.")
        assert listed[step] == (module, function.__name__), step


def test_one_result_per_step():
    assert [f.name for f in fields(_Steps)] == [step.replace("-", "_") for step in STEPS]
