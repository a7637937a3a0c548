from __future__ import annotations

import json
import random

import pytest

from misi_bench.builders.source.splits import TEST_FRACTION, SplitFileError, assign_splits, hashed_split


def _ids(n):
    rng = random.Random(7)
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    return sorted({str(rng.randint(1, 9)) + "".join(rng.choice(alphabet) for _ in range(3)) for _ in range(n)})


def test_split_is_stable_across_order_and_case():
    ids = _ids(500)
    shuffled = list(ids)
    random.Random(1).shuffle(shuffled)
    a = assign_splits(ids)
    b = assign_splits([i.upper() for i in shuffled])
    assert a == b
    # an id's split does not depend on the other ids present
    assert {i: assign_splits([i])[i] for i in ids[:50]} == {i: a[i] for i in ids[:50]}


def test_split_fraction_close_to_paper():
    ids = _ids(4000)
    test_share = sum(hashed_split(i) == "test" for i in ids) / len(ids)
    # binomial sd at n~4000 is ~0.005; 4 sd
    assert abs(test_share - TEST_FRACTION) < 0.021


def test_split_file_overrides(tmp_path):
    ids = _ids(20)
    path = tmp_path / "splits.json"
    path.write_text(json.dumps({"train": ids[:5], "test": [i.upper() for i in ids[5:10]]}))
    assignment = assign_splits(ids, path)
    assert assignment == {**{i: "train" for i in ids[:5]}, **{i: "test" for i in ids[5:10]}}


def test_split_file_unknown_id_is_an_error(tmp_path):
    path = tmp_path / "splits.json"
    path.write_text(json.dumps({"train": ["9zzz"], "test": []}))
    with pytest.raises(SplitFileError, match="9zzz"):
        assign_splits(["1abc"], path)


def test_split_file_malformed(tmp_path):
    path = tmp_path / "splits.json"
    path.write_text(json.dumps({"validation": ["1abc"]}))
    with pytest.raises(SplitFileError):
        assign_splits(["1abc"], path)
