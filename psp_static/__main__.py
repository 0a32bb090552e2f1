"""``python -m psp_static`` runs the command line."""

from psp_static.cli import main

main()
