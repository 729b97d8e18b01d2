"""What the tutor is and is not, and where to find urgent help. Shown on first run and by `safety`."""

from __future__ import annotations


def short_notice(safety_command: str = "neurotutor safety") -> str:
    """The notice shown on first run; `safety_command` is how to type `neurotutor safety` here."""
    return ("neurotutor is education, not therapy, and not a crisis service. "
            "If you are in crisis or might harm yourself, call your local emergency number now, "
            f"or run '{safety_command}' to see crisis lines.")


def footer(safety_command: str = "neurotutor safety") -> str:
    """The one-line reminder under the home screen and a lesson's end."""
    return f"Education, not therapy. Need urgent help? Run: {safety_command}"


SHORT_NOTICE = short_notice()
FOOTER = footer()

# The same numbers in a few lines, for where the full text was paged and may not have been read to
# its end (a severe check-in total on a small screen): kept in sight under the result.
COMPACT = ("Emergency: 112 (EU), 999 (UK), 911 (US, Canada), 000 (Australia). Free crisis lines: 988 (US, call or "
           "text), 9-8-8 (Canada), 116 123 (UK and Ireland, Samaritans), 13 11 14 (Australia, Lifeline), "
           "findahelpline.com (other countries).")

# Markdown (one line a paragraph or item), so it is wrapped to any terminal's width. The emergency
# numbers come first: on a small screen the first page holds them and the crisis lines.
FULL_TEXT = """\
If you are in danger now, or might harm yourself or someone else, call your local emergency number, or go to the nearest emergency department:

- 112: the European Union and many other countries
- 999: UK
- 911: US and Canada
- 000: Australia

To talk to someone soon, free crisis lines:

- 988 (call or text): US, Suicide & Crisis Lifeline
- 9-8-8 (call or text): Canada
- 116 123: UK and Ireland, Samaritans (any time)
- 13 11 14: Australia, Lifeline
- findahelpline.com: other countries

neurotutor teaches how psychotherapy changes the brain. It is education, not therapy, and it is not a crisis or emergency service. It cannot assess you or respond to you.

If a lesson brings up painful feelings, you can stop at any time with q or Ctrl-C: your answers are saved. Talk it over with your therapist, your doctor or someone you trust. The techniques described in the lessons (such as exposure, EMDR or memory work) belong with a qualified therapist; please do not try them on your own with distressing memories.
"""
