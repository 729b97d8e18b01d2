"""The study engine: what to show and ask next, and how each answer changes the progress.

Pure of I/O: the engine never reads the clock, the keyboard or a file itself. A driver (the
terminal one is `neurotutor.cli.study_screen`) gives it a `Screen` to show things and ask, a
`Saver` to keep changes, a clock and the profile's shuffle seed; tests give it scripted ones.
"""
