"""Run the command-line interface: ``python -m mtorgraph``."""

from .cli.entry import run

run()
