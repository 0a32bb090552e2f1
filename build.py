"""Build the site: the same as ``psp-static build``, with the same options."""

import sys

from psp_static.cli import main

if __name__ == "__main__":
    main(["build", *sys.argv[1:]])
