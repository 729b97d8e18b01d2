"""Lets `python -m neurotutor` run the command-line tutor."""

from neurotutor.cli.app import main

main()
