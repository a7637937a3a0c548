"""ChimeraX-faithful, deterministic images of a pocket + ligand (numpy + Pillow, no GUI/OpenGL).

Contract with the dataset pipeline and the CLI
===============================================

Grammar values (``operations.py``)::

    Operations.parse("roll x 75, move x -14")   # -> Operations((Operation("roll","x",75), ...))
    str(Operations.parse("move x 3.0"))         # -> "move x 3"  (integers without decimals)
    Operation("roll", "y", -15)                 # frozen, hashable, equal by value; int when integral
                                                # (the one command type: tasks and evaluation use it too)
    ops.then("move z 40"), ops.inverse()

``move a d``: what is shown moves d Å along screen axis a (x right, y up, z toward the viewer;
``move z`` > 0 zooms in). ``roll a θ``: rotation by θ° about screen axis a through the center of
rotation, right-hand rule; successive rolls are about fixed screen axes. The center of rotation is
the center of the bounding box of the atoms the camera is fitted to, carried along by ``move``.

Scenes (``scene.py``): frozen, hashable, JSON-serialisable::

    Scene(show="complex" | "pocket" | "ligand" | "residue",
          residue=(chain, number, icode) | None,     # for show/fit == "residue"
          fit=None | <content>,                      # what the camera is fitted to; None = show
          view="front" | "left" | "right" | "top" | "bottom" | "back",
          ops="roll y 15",                           # camera operations after the view
          ligand_ops="move x -14, roll x 75",        # docking: ligand alone, front-view axes,
                                                     #   rolls about its heavy-atom centroid
          size=512, labels=True)
    scene.to_json() / Scene.from_json(text)          # canonical compact JSON, sorted keys
    scene.replace(size=256)

Views are rolls from the front view: left = roll y 90, right = roll y -90, top = roll x 90,
bottom = roll x -90, back = roll y 180 (``scene.VIEW_OPERATIONS``).

Rendering and geometry (``render.py``, ``camera.py``)::

    render_png(complex, scene) -> bytes          # deterministic PNG (same scene ⇒ same bytes)
    render_array(complex, scene) -> (H, W, 3) uint8
    camera_coords(complex, scene) -> CameraCoords(pocket=(N,3), ligand=(M,3), camera)
        # camera frame in Å (x right, y up, z toward the viewer; visible z < 0) of ALL atoms,
        # hydrogens included, indexed like complex.pocket / complex.ligand; the ligand after
        # the scene's ligand_ops. Like ChimeraX ``getcrd ... screen``. .pixels(which) projects
        # them, .in_frame(which) says which are in front of the eye and inside the image.
    project(camera_points, width=512) -> (N, 2)  # continuous pixels (u from left, v from top);
        # u = W/2 + (W/2)·x/(D·tan 15°), v = H/2 − (W/2)·y/(D·tan 15°), D = −z
    pixel_size(depth, width=512) -> Å per pixel at that depth
    focal_length(width) -> pixels per unit of x/D (the projection's scale)
    camera_for(complex, scene) -> Camera         # .to_camera(points), .project(points), .distance
    label_boxes(complex, scene) -> [PlacedLabel] # the labels drawn, in drawing order, without
        # rasterizing: .box = ink box (left, top, right, bottom) px, .label = what it labels
        # (.kind residue | residue_atom | ligand_atom, .ref index, .polar); render(...).labels too

Example (docking, T7): the displaced ligand alone, camera fitted to pocket + displaced ligand::

    Scene(show="ligand", fit="complex", ligand_ops="move x -14, roll x 75")

Choices where the conventions leave room (see ``docs/rendering.md``): the labels' 11 px floor,
draw order and which labels yield (``labels.py``), 2×2 supersampling below 1024 px
(``raster.py``), and the zoom calibration (``docs/rendering.md``).
"""

from .camera import Camera, focal_length, pixel_size, project
from .operations import Operation, Operations, OperationSyntaxError
from .render import CameraCoords, Layout, camera_coords, camera_for, label_boxes, layout, render, render_array, render_png
from .scene import CONTENTS, VIEW_OPERATIONS, VIEWS, Scene, SceneError

__all__ = [
    "CONTENTS", "VIEWS", "VIEW_OPERATIONS", "Camera", "CameraCoords", "Layout", "Operation", "OperationSyntaxError",
    "Operations", "Scene", "SceneError", "camera_coords", "camera_for", "focal_length", "label_boxes", "layout", "pixel_size",
    "project", "render", "render_array", "render_png",
]
