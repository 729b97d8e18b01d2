"""One module per command; each module's `run` function is registered on the Typer app."""
