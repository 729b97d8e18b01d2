"""New lesson and worksheet files to start from: every field, commented, with one question (or
step) of each type.

Each is valid as it is (a test loads it through the same loader as every lesson or worksheet), so
an author changes working text rather than filling in blanks. The first line points editors that
speak the YAML language server at the schema (`neurotutor schema lesson`, `... worksheet`) for
completion.
"""

from __future__ import annotations

SCHEMA_FILE = "lesson.schema.json"

TEMPLATE = """\
# yaml-language-server: $schema=./{schema}
# A neurotutor lesson (format 1). Every field is shown below with a comment; the schema beside this
# file gives completion in editors. Why each lint rule matters: neurotutor lint --rules
# Check it as you go:  neurotutor validate {id}.yaml   and   neurotutor lint {id}.yaml
# Every example below is meant to be replaced. Lines starting with # are comments.
format: 1
id: {id}  # lowercase letters, digits and single hyphens; never change it once learners use the lesson
title: "{title}"
summary: One or two plain sentences on what the learner will understand by the end.
level: learner  # learner (plain, reading age 12-14) or trainee (psychology and therapy students)
tags: [my-topic]  # topics, used to pick lessons for exams and assignments
minutes: 10  # about how long it takes
prerequisites: []  # ids of lessons to take first
# A content note, shown before the lesson, when it touches distressing subjects (trauma, self-harm,
# depression, suicide...). Remove it when the lesson does not:
content_note: This lesson mentions low mood. Stop whenever you need to; 'neurotutor safety' lists crisis lines.
sections:
  - id: first-idea
    title: The first idea
    # The body is Markdown: **bold**, *italics*, lists. Keep sentences short and words everyday.
    body: |
      Practising a skill changes the brain: links between nerve cells that are used together grow
      stronger.

      This is one of the best-established findings about learning.
    key_points:
      - Practice strengthens the links between nerve cells that are used together.
    evidence: established  # established, supported, preliminary, debated or unsupported
    claims:  # each finding the section states, with its evidence and sources
      - text: Learning changes the strength of connections between neurons.
        evidence: established
        refs: [holtmaat-2009]
    refs: [holtmaat-2009]
    # For trainees: detail, methods and debate, shown in a clearly marked deeper part.
    deeper: |
      In living mice, two-photon imaging shows dendritic spines forming and disappearing with
      experience (Holtmaat & Svoboda 2009).
references:
  - id: holtmaat-2009
    authors: Holtmaat A, Svoboda K
    year: 2009
    title: Experience-dependent structural synaptic plasticity in the mammalian brain
    source: Nature Reviews Neuroscience 10(9):647-658
    doi: 10.1038/nrn2699  # or url: or isbn: (at least one)
    # note: anything about the source that is not shown to learners
questions:  # every answer, right or wrong, comes with an explanation
  - id: {id}-single
    type: single_choice
    prompt: What happens to links between nerve cells that are used together?
    choices:
      - text: They grow stronger
        correct: true
      - text: They wear out with use, like a tired muscle
        feedback: Use strengthens links; it does not wear them out.
        misconception: use-wears-out  # a label for a common wrong idea (reports count them)
      - text: Nothing changes in adults once the brain is fully grown
        feedback: Adult brains keep changing with practice.
        misconception: adult-brain-fixed
    explanation: Links used together grow stronger (Holtmaat & Svoboda 2009).
  - id: {id}-multiple
    type: multiple_select
    prompt: Which of these are signs of learning in the brain? Choose all that apply.
    choices:
      - text: Stronger links between nerve cells
        correct: true
      - text: New small branches on nerve cells, called spines
        correct: true
      - text: A brain that grows visibly bigger overall after one lesson
        feedback: Changes are small and local, not a bigger brain.
    explanation: Learning changes link strength and spines (Holtmaat & Svoboda 2009).
  - id: {id}-true-false
    type: true_false
    prompt: "True or false: adult brains can no longer change."
    answer: false
    feedback: Adult brains keep changing with experience.
    misconception: adult-brain-fixed
    explanation: Plasticity continues through life, though it changes with age.
  - id: {id}-ordering
    type: ordering
    prompt: Put these steps of learning a skill in order.
    items:  # in the right order; learners see them shuffled
      - Practise the skill
      - Links that are used together strengthen
      - The skill becomes easier
    explanation: Practice comes first; easier skill follows from stronger links.
  - id: {id}-matching
    type: matching
    prompt: Match each word to what it means.
    left_label: Word
    right_label: Meaning
    pairs:  # learners see the right side shuffled
      - left: Spine
        right: A small branch where a nerve cell receives signals
      - left: Plasticity
        right: The brain's ability to change with experience
    explanation: These two words come up in every lesson on learning.
  - id: {id}-short
    type: short_answer
    prompt: What is the brain's ability to change with experience called? (One word.)
    accepted: [plasticity, neuroplasticity]  # any of these counts; case and punctuation are ignored
    feedback: The word is plasticity (or neuroplasticity).
    explanation: Plasticity is the brain's ability to change with experience.
misconceptions:  # each label above as the wrong idea, in your words: stats and reports show this sentence
  use-wears-out: Links between nerve cells wear out when they are used a lot.
  adult-brain-fixed: The adult brain can no longer change.
"""


def scaffold(lesson_id: str, title: str | None = None) -> str:
    """The text of a new lesson file with this id."""
    return TEMPLATE.format(id=lesson_id, title=(title or lesson_id.replace("-", " ").capitalize()).replace('"', "'"),
                           schema=SCHEMA_FILE)


WORKSHEET_SCHEMA_FILE = "worksheet.schema.json"

WORKSHEET_TEMPLATE = """\
# yaml-language-server: $schema=./{schema}
# A neurotutor worksheet (format 1): a form a learner fills in one step at a time with
# `neurotutor practice {id}`, kept in their private journal. Every field is shown below with a
# comment; the schema beside this file gives completion in editors.
# Check it as you go:  neurotutor validate {id}.yaml   and   neurotutor lint {id}.yaml
# Every example below is meant to be replaced. Lines starting with # are comments.
kind: worksheet  # says this file is a worksheet, not a lesson (it may sit in a lessons folder)
format: 1
id: {id}  # lowercase letters, digits and single hyphens; never change it once people use the worksheet
title: "{title}"
# lesson: cbt  # the id of the lesson that explains this worksheet, if there is one
purpose: >-
  Say in two or three plain sentences what this worksheet is for and how it
  helps. Keep sentences short and words everyday.
# When to stop and where to find help. Say to stop and contact the therapist if things get worse:
safety_note: >-
  Fill this in as agreed with your therapist. If it brings up strong distress,
  stop and contact your therapist. For urgent help, press ! at any prompt, or
  run: neurotutor safety
steps:  # asked in this order; each answer is kept under the step's id
  - id: what-happened
    kind: text  # free text, in the person's own words
    prompt: What happened?
    help: >-
      Shown when the person types ? at this step: what the step means, with an
      example. Example: on Monday morning, at work, before the team meeting.
  - id: feelings
    kind: feelings  # feelings, each with how strong it is, 0-100
    prompt: What did you feel?
  - id: how-strong
    kind: rating_100  # a number from 0 to 100
    prompt: How sure were you that it would go badly?
  - id: mood
    kind: rating_10  # a number from 0 to 10
    prompt: How is your mood now?
  - id: what-kind
    kind: choice  # one of the options
    prompt: Where were you?
    options: [At home, At work, Somewhere else]
  - id: did-it
    kind: yes_no  # yes or no
    later: true  # the part usually filled in later starts here: the person may stop before it
    prompt: Did you do what you planned?
  - id: when
    kind: time  # a time of day, kept as HH:MM
    optional: true  # may be left empty (Enter alone)
    prompt: At what time?
"""


def worksheet_scaffold(worksheet_id: str, title: str | None = None) -> str:
    """The text of a new worksheet file with this id."""
    return WORKSHEET_TEMPLATE.format(id=worksheet_id, schema=WORKSHEET_SCHEMA_FILE,
                                     title=(title or worksheet_id.replace("-", " ").capitalize()).replace('"', "'"))
