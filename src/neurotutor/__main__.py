"""Lets `python -m neurotutor` run the command-line tutor."""

from neurotutor.cli.entry import main

main()
