"""Where the package's own data and the repository's folders are (one place)."""

from pathlib import Path

#: The ``simulation`` package folder.
PACKAGE_DIR = Path(__file__).resolve().parent
#: Data shipped with the package: vocabulary, judgements template, standard scenarios.
PACKAGE_DATA = PACKAGE_DIR / "data"
#: The repository (``params/``, ``notebooks/``, ``scripts/`` …) in a source checkout.
REPO_ROOT = PACKAGE_DIR.parent
