"""What the tutor is and is not, and where to find urgent help. Shown on first run and by `safety`."""

from __future__ import annotations

SHORT_NOTICE = (
    "neurotutor is education, not therapy, and not a crisis service. "
    "If you are in crisis or might harm yourself, call your local emergency number now, "
    "or run 'neurotutor safety' to see crisis lines."
)

FOOTER = "Education, not therapy. Need urgent help? Run: neurotutor safety"

FULL_TEXT = """\
neurotutor teaches how psychotherapy changes the brain. It is education, not therapy,
and it is not a crisis or emergency service. It cannot assess you or respond to you.

If you are in danger now, or might harm yourself or someone else:
  - Call your local emergency number: 112 (European Union and many other countries),
    999 (UK), 911 (US and Canada), 000 (Australia).
  - Or go to the nearest emergency department.

If you need to talk to someone soon, free crisis lines include:
  - US: call or text 988 (988 Suicide & Crisis Lifeline).
  - Canada: call or text 9-8-8.
  - UK and Ireland: Samaritans, 116 123 (free, any time).
  - Australia: Lifeline, 13 11 14.
  - Elsewhere: findahelpline.com lists free helplines by country.

If a lesson brings up painful feelings, you can stop at any time (Ctrl-C): your answers are
saved. Talk it over with your therapist, your doctor or someone you trust. The techniques
described in the lessons (such as exposure, EMDR or memory work) belong with a qualified
therapist; please do not try them on your own with distressing memories.
"""
