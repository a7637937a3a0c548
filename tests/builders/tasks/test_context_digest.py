"""ComplexContext.digest: each image's sha256, computed once per PNG however many rows hold it."""

from __future__ import annotations

import hashlib

from misi_bench.builders.tasks.base import ComplexContext
from misi_bench.renderers import Scene


def test_digests_are_the_sha256_of_each_png(sample_complexes):
    context = ComplexContext(sample_complexes[0], image_size=64)
    pngs = [context.render(Scene(view=view)) for view in ("front", "left")]
    assert pngs[0] != pngs[1]
    for png in pngs:
        assert context.digest(png) == hashlib.sha256(png).hexdigest()
        assert context.digest(png) == hashlib.sha256(png).hexdigest()  # from the memo now
        copy = bytes(bytearray(png))  # an equal PNG in another object
        assert copy is not png and context.digest(copy) == hashlib.sha256(png).hexdigest()
    assert len(context._digests) == 4  # one entry per PNG object hashed


def test_a_new_object_is_never_given_an_old_digest(sample_complexes):
    """The memo holds each hashed PNG, so no later object can take its id."""
    context = ComplexContext(sample_complexes[0], image_size=64)
    for number in range(200):
        data = number.to_bytes(4, "big") * 1000
        assert context.digest(data) == hashlib.sha256(data).hexdigest()
        del data
