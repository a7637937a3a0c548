"""The scenes tasks ask for, in the renderer's vocabulary (``misi_bench.renderers.Scene``).

Scenes here carry the renderer's default size; the shared row assembly sets the build's
image size, so task modules never deal with pixels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from misi_bench.renderers import Scene

from .base import ImageSpec

if TYPE_CHECKING:
    from ..source.structure import Residue


def complex_views(views: tuple[str, ...], prefix: str = "") -> list[ImageSpec]:
    """The whole complex in each named view (roles ``prefix + view``)."""
    return [ImageSpec(prefix + view, Scene(show="complex", view=view)) for view in views]


def complex_after(commands: str) -> Scene:
    """The front view of the whole complex after camera commands."""
    return Scene(show="complex", ops=commands)


def residue_views(residue: Residue, views: tuple[str, ...]) -> list[ImageSpec]:
    """One residue + the ligand in each named view."""
    return [ImageSpec(view, Scene(show="residue", residue=residue.key, view=view)) for view in views]
