"""The ``LICENSE`` file of a build folder, the target of the card's ``license_link``.

Data and code are licensed separately: the rows are derived from PDBbind and follow PDBbind's
terms; misi-bench, the program that generated them, is MIT-licensed.
"""

from __future__ import annotations

from pathlib import Path

LICENSE_NAME = "LICENSE"
PDBBIND_URL = "http://www.pdbbind.org.cn/"

MIT_TEXT = """Copyright (c) the misi-bench authors

Permission is hereby granted, free of charge, to any person obtaining a copy of this software
and associated documentation files (the "Software"), to deal in the Software without
restriction, including without limitation the rights to use, copy, modify, merge, publish,
distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the
Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING
BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,
DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
"""

LICENSE_TEXT = f"""MiSI-Bench rebuilt with misi-bench: licence of this folder

This folder holds data (data/, README.md, manifest.json) and no code. The data and the program
that generated it are licensed separately.

1. DATA: PDBbind's terms of use

The questions, answers and images in data/ are computed from the protein-ligand structures the
build read: PDBbind (<{PDBBIND_URL}>) for a MiSI-Bench build. They are a derived work of PDBbind
and are governed by PDBbind's terms of use, set by PDBbind's maintainers, not by the MIT licence
below. Before using, copying or redistributing this data, obtain PDBbind under its own licence
and check that its terms allow the use you intend; nothing in this folder grants any right to
PDBbind content. The atomic
coordinates PDBbind curates come from the Protein Data Bank (wwPDB), whose archive is CC0.

2. CODE: misi-bench, MIT licence

misi-bench, which built this folder (`misi-bench build`, see README.md and manifest.json), is
distributed under the MIT licence:

{MIT_TEXT}"""


def write_license(out: Path) -> None:
    """Write ``OUT/LICENSE``."""
    (Path(out) / LICENSE_NAME).write_text(LICENSE_TEXT, encoding="utf-8")
