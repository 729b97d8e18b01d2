"""neurotutor: a command-line tutor on how psychotherapy changes the brain."""

__version__ = "0.1.0"
