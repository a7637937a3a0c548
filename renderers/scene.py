"""``Scene``: a hashable, JSON-serialisable description of one image.

A scene says what is shown, what the camera is fitted to, the view, the camera operations after
the view, the ligand-only operations (docking), the image size and whether labels are drawn.
Records store ``scene.to_json()`` so every image can be re-rendered from its row.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass

from .operations import Operations

CONTENTS = ("complex", "pocket", "ligand", "residue")

# The six views from the front (docs/conventions.md, Commands and views): the face named ends up toward the viewer.
VIEW_OPERATIONS: dict[str, str] = {
    "front": "",
    "left": "roll y 90",
    "right": "roll y -90",
    "top": "roll x 90",
    "bottom": "roll x -90",
    "back": "roll y 180",
}
VIEWS = tuple(VIEW_OPERATIONS)


class SceneError(ValueError):
    """A scene that cannot describe an image (unknown view or content, bad size, ...)."""


@dataclass(frozen=True)
class Scene:
    """One image of one complex.

    - ``show``: ``complex`` (pocket + ligand), ``pocket``, ``ligand`` or ``residue`` (the residue
      given by ``residue`` = (chain, number, icode) + the ligand).
    - ``fit``: what the camera is fitted to and rotates about; ``None`` = same as ``show``. Docking
      shows only the displaced ligand but fits to ``complex`` (pocket + displaced ligand).
    - ``view``: one of :data:`VIEWS`, applied from the front view.
    - ``ops``: camera operations after the view, in screen axes (``move``/``roll``).
    - ``ligand_ops``: operations on the ligand alone before anything else, in the screen axes of
      the front view (= scene axes); rolls are about the centroid of the ligand's heavy atoms.
    - ``size``: square image edge in pixels. ``labels``: draw residue / atom labels.
    """

    show: str = "complex"
    residue: tuple[str, int, str] | None = None
    fit: str | None = None
    view: str = "front"
    ops: Operations = Operations()
    ligand_ops: Operations = Operations()
    size: int = 512
    labels: bool = True

    def __post_init__(self) -> None:
        set_ = lambda name, value: object.__setattr__(self, name, value)  # noqa: E731
        set_("ops", Operations.parse(self.ops))
        set_("ligand_ops", Operations.parse(self.ligand_ops))
        if self.show not in CONTENTS:
            raise SceneError(f"unknown content {self.show!r}; expected one of {', '.join(CONTENTS)}")
        if self.fit is not None and self.fit not in CONTENTS:
            raise SceneError(f"unknown fit {self.fit!r}; expected one of {', '.join(CONTENTS)}")
        if self.view not in VIEW_OPERATIONS:
            raise SceneError(f"unknown view {self.view!r}; expected one of {', '.join(VIEWS)}")
        if self.residue is not None:
            chain, number, icode = self.residue
            set_("residue", (str(chain), int(number), str(icode or "")))
        if "residue" in (self.show, self.fit) and self.residue is None:
            raise SceneError("a residue scene needs residue=(chain, number, icode)")
        if isinstance(self.size, bool) or int(self.size) != self.size or not 16 <= int(self.size) <= 8192:
            raise SceneError(f"image size must be an integer in 16..8192, got {self.size!r}")
        set_("size", int(self.size))
        set_("labels", bool(self.labels))

    @property
    def fit_content(self) -> str:
        return self.fit or self.show

    @property
    def camera_ops(self) -> Operations:
        """The view's rotation followed by ``ops``: everything the camera does after the fit."""
        return Operations.parse(VIEW_OPERATIONS[self.view]).then(self.ops)

    def replace(self, **changes) -> Scene:
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict:
        return {
            "show": self.show,
            "residue": list(self.residue) if self.residue is not None else None,
            "fit": self.fit,
            "view": self.view,
            "ops": str(self.ops),
            "ligand_ops": str(self.ligand_ops),
            "size": self.size,
            "labels": self.labels,
        }

    def to_json(self) -> str:
        """Canonical compact JSON (sorted keys): equal scenes give equal strings."""
        return json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_dict(cls, data: dict) -> Scene:
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise SceneError(f"unknown scene fields: {', '.join(sorted(unknown))}")
        data = dict(data)
        if data.get("residue") is not None:
            data["residue"] = tuple(data["residue"])
        return cls(**data)

    @classmethod
    def from_json(cls, text: str) -> Scene:
        return cls.from_dict(json.loads(text))
