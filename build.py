"""Build the site: the same as ``psp-static build``, with the same options."""

import sys

try:
    from psp_static.cli import main
except ModuleNotFoundError as missing:  # run with a Python that lacks the project's packages
    sys.exit(
        f"build.py: the package {missing.name!r} is not installed for {sys.executable}.\n"
        "Run `make build` once: it sets up .venv/ with everything the build needs and builds the site.\n"
        "After that, `make build` or `.venv/bin/python build.py` build again."
    )

if __name__ == "__main__":
    main(["build", *sys.argv[1:]])
