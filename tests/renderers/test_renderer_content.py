"""What a scene shows is worked out once per complex and content (``renderers.content``): the
cached selections (residue labels included) must follow a complex whose atoms, bonds or pocket
coordinates are replaced, never leak into another complex, never be written through, and go away
with their complex."""

from __future__ import annotations

import gc
from dataclasses import replace

import numpy as np
import pytest

from misi_bench.renderers import Scene, render_array
from misi_bench.renderers import content

SCENE = Scene(size=128)


def _fresh(complex_, **pocket_changes):
    """A new Complex object (and pocket) equal to ``complex_`` but for ``pocket_changes``."""
    return replace(complex_, pocket=replace(complex_.pocket, **pocket_changes))


def test_replacing_a_complexs_bonds_changes_what_is_drawn_as_for_a_new_complex(by_id):
    complex_ = _fresh(by_id["1s3v"])
    with_bonds = render_array(complex_, SCENE)
    complex_.pocket = replace(complex_.pocket, bonds=np.zeros((0, 2), dtype=np.int64))
    without = render_array(complex_, SCENE)
    assert np.array_equal(without, render_array(_fresh(by_id["1s3v"], bonds=np.zeros((0, 2), dtype=np.int64)), SCENE))
    assert not np.array_equal(without, with_bonds)


def test_two_complexes_never_share_a_selection(by_id):
    for pdb_id in ("1a28", "1s3v"):
        first = render_array(by_id[pdb_id], SCENE)
        assert np.array_equal(first, render_array(_fresh(by_id[pdb_id]), SCENE))
    assert not np.array_equal(render_array(by_id["1a28"], SCENE), render_array(by_id["1s3v"], SCENE))


def test_shown_arrays_are_read_only_and_leave_with_their_complex(by_id):
    complex_ = _fresh(by_id["1uou"])
    shown = content.displayed(complex_, SCENE)
    with pytest.raises(ValueError):
        shown.colors[0, 0] = 1.0
    key = id(complex_)
    assert key in content._SELECTIONS
    del complex_, shown
    gc.collect()
    assert key not in content._SELECTIONS


def test_moved_pocket_atoms_move_the_residue_labels(by_id):
    """Residue labels sit at their residue's center, so the cached labels follow new coordinates."""
    complex_ = _fresh(by_id["1s3v"])
    before = [label.anchor for label in content.displayed(complex_, SCENE).labels if label.kind == content.RESIDUE]
    complex_.pocket.coords = complex_.pocket.coords + np.array([1.0, -2.0, 0.5])  # same pocket object
    after = [label.anchor for label in content.displayed(complex_, SCENE).labels if label.kind == content.RESIDUE]
    assert len(before) == len(after) > 0
    assert np.allclose(np.array(after) - np.array(before), [1.0, -2.0, 0.5])
    with pytest.raises(ValueError):
        after[0][0] = 0.0  # shared by every render of the complex
