"""The program's entry point: `neurotutor --version` answers at once, before the Typer app (and
its imports) is loaded; every other command line goes to `neurotutor.cli.app.main`."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    """Run the tutor with these arguments (the process's own by default)."""
    args = sys.argv[1:] if argv is None else argv
    if args == ["--version"]:
        from neurotutor import __version__

        try:
            print(f"neurotutor {__version__}", flush=True)
        except BrokenPipeError:  # the reader has gone: it had all it wanted
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return
    from neurotutor.cli.app import main as run

    run(argv)
