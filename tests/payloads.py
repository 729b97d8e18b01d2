"""Text that tries to drive a terminal, and how the learner must see it instead (shared by the
output and terminal-safety tests)."""

from __future__ import annotations

import re

CONTROL = {
    "osc-title": "\x1b]0;PWNED\x07",
    "csi-clear": "\x1b[2J",
    "osc8-link": "\x1b]8;;http://evil\x1b\\x\x1b]8;;\x1b\\",
    "c1-csi": "\x9b31m",
    "bidi-override": "\u202eevil",
}
# As the learner sees each payload: an inert spelling of every control character.
SHOWN = {
    "osc-title": "\\x1b]0;PWNED\\x07",
    "csi-clear": "\\x1b[2J",
    "osc8-link": "\\x1b]8;;http://evil\\x1b\\x\\x1b]8;;\\x1b\\",
    "c1-csi": "\\x9b31m",
    "bidi-override": "\\u202eevil",
}
# Written out independently of neurotutor.text, so a narrowed rule there fails these tests.
UNSAFE = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
DRIVES_TERMINAL = re.compile(f"[{UNSAFE}]")
SGR = re.compile("\x1b\\[[0-9;]*m")
