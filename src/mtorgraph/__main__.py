"""Run the command-line interface: ``python -m mtorgraph``."""

from .cli import main

main()
