"""How `neurotutor stats` looks: mastery, a calendar heatmap, accuracy bars, exams, calibration,
misconceptions, and `show_forgetting_curve` for the screens that show the learner's own curve.

Rendered with rich in a terminal, as plain lines with --plain or in a pipe; the statistics
themselves are built by `neurotutor.stats.build` (pure).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from neurotutor import dates
from neurotutor.study.schedule import MATURE_DAYS

if TYPE_CHECKING:
    from neurotutor.cli.output import Output
    from neurotutor.cli.settings import Settings
    from neurotutor.stats.build import Stats
    from neurotutor.stats.forgetting import Curve

SHOWN_DAYS = (0, 1, 3, 7, 14, 30)  # the points of the predicted curve drawn in a terminal
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# Heatmap glyphs, readable without colour: (fewest answers for the glyph, glyph, colour)
INTENSITY = ((0, "·", "bright_black"), (1, "░", "green4"), (5, "▒", "green3"), (15, "▓", "green1"),
             (30, "█", "bold bright_green"))
LEGEND = "· none  ░ 1-4  ▒ 5-14  ▓ 15-29  █ 30+ answers"
VERDICT_WORDS = {"over": "overconfident", "under": "underconfident", "ok": "well calibrated", None: "too few yet"}
EMPTY = ("No answers yet, so there is nothing to show. After your first lesson this screen shows how many "
         "questions you have mastered, the days you studied and your streaks, how your accuracy changes week "
         "by week, your exams, how well your confidence matches your results, and the misconceptions you "
         "chose most.")


# -- the screen ------------------------------------------------------------------------------------


def _pct(share: float | None) -> str:
    return "-" if share is None else f"{round(share * 100)}%"


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _local_date(stats: Stats, moment: Any) -> date:
    from neurotutor.dates import add

    return add(moment, timedelta(minutes=stats.utc_offset)).date()


def _offset_words(minutes: int) -> str:
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def show_summary(out: Output, settings: Settings, stats: Stats) -> None:
    """The short stats screen: one line each for what is known, what is due, the days studied,
    accuracy, exams, confidence and the wrong ideas chosen most; then how to see everything."""
    from neurotutor.cli import hints

    act, acc, total = stats.activity, stats.accuracy, stats.total
    where = f" in {stats.mastery[0].title}" if stats.lesson_filter and stats.mastery else ""
    out.heading(f"Your statistics{where}")
    future = f" (not counting {act.future_answers:,} dated after today)" if act.future_answers else ""
    out.line(f"{_plural(stats.answers, 'answer')} on {_plural(act.days_studied_ever, 'day')}{future}; today is "
             f"{act.today.isoformat()}.")
    if act.future_answers:
        out.line(_future_words(act))
    out.line(f"Mature: {total.mature:,} of {_plural(total.questions, 'question')} ({_pct(total.share)}). "
             f"Due today: {total.due_today:,}; in the next 7 days: {total.due_week:,}.")
    if stats.forecast and any(stats.forecast):
        out.line(forecast_words(stats.forecast, stats.study_date))
    recent = sum(1 for n in act.counts[-28:] if n)
    out.line(f"Days studied in the last 4 weeks: {recent}. Streak: {_plural(act.current_streak, 'day')} "
             f"(longest {_plural(act.longest_streak, 'day')}).")
    line = f"Right: {acc.right:,} of {_plural(acc.answers, 'answer')} ({_pct(acc.share)})"
    if acc.weeks and len(acc.weeks) > 1:
        line += f"; in the week of {acc.weeks[-1].start.day} {MONTHS[acc.weeks[-1].start.month - 1]}: " \
                f"{_pct(acc.weeks[-1].share)}"
    out.line(line + ".")
    if stats.exams.taken:
        out.line(f"Exams: {stats.exams.taken:,} taken; best {_pct(stats.exams.best)}, latest {_pct(stats.exams.latest)}.")
    overall = stats.calibration.overall
    if overall.rated:
        out.line(f"Confidence: {overall.verdict} ({_plural(overall.rated, 'rated answer')})." if overall.verdict
                 else f"Confidence: {_plural(overall.rated, 'rated answer')} so far, too few to judge.")
    if stats.misconceptions:
        out.bullets([f"{m.words} (chosen {_plural(m.count, 'time')})" for m in stats.misconceptions[:3]],
                    title="Wrong ideas you chose most:")
    words = ["stats", "--all"] + (["--lesson", stats.lesson_filter] if stats.lesson_filter else [])
    out.command("Every lesson, the calendar, accuracy by week, confidence in detail and where each idea is "
                "corrected:", hints.command(settings, *words))


def show_stats(out: Output, settings: Settings, stats: Stats) -> None:
    """Every section of the stats screen, decorated or plain."""
    act = stats.activity
    where = f" in {stats.mastery[0].title}" if stats.lesson_filter and stats.mastery else ""
    out.heading(f"Your statistics{where}")
    future = f" (not counting {act.future_answers:,} dated after today)" if act.future_answers else ""
    out.line(f"{_plural(stats.answers, 'answer')} on {_plural(act.days_studied_ever, 'day')}{future}. Dates are your "
             f"local days ({_offset_words(stats.utc_offset)}); today is {act.today.isoformat()}.")
    _show_mastery(out, stats)
    _show_days(out, stats)
    _show_accuracy(out, stats)
    _show_exams(out, settings, stats)
    _show_calibration(out, settings, stats)
    _show_misconceptions(out, settings, stats)


def forecast_words(forecast: tuple[int, ...], first: date | None) -> str:
    """The review forecast in one line: today, tomorrow, this week, the whole period and its busiest day."""
    week, days = sum(forecast[:7]), len(forecast)
    words = (f"Reviews ahead: {forecast[0]} today, {forecast[1] if days > 1 else 0} tomorrow, {week} in the next 7 "
             f"days, {sum(forecast)} in the next {days}.")
    busiest = max(range(days), key=lambda i: (forecast[i], -i))
    if first is not None and forecast[busiest] and busiest > 1:
        day = dates.add_days(first, busiest)
        words += f" Busiest day: {day:%a} {day.day} {day:%b} ({forecast[busiest]})."
    return words


def _show_mastery(out: Output, stats: Stats) -> None:
    out.heading("Mastery")
    started = [m for m in stats.mastery if m.cards]
    rest = len(stats.mastery) - len(started)
    if not started or len(stats.mastery) == 1:
        started, rest = list(stats.mastery), 0
    shown = [*started, stats.total] if len(stats.mastery) > 1 else list(stats.mastery)
    rows = [[m.title, f"{m.mature}/{m.questions} ({_pct(m.share)})", str(m.due_today), str(m.due_week)]
            for m in shown]
    out.table(["lesson", "mature", "due today", "due in 7 days"], rows)
    if rest:
        out.line(f"Not started yet: {_plural(rest, 'lesson')} (in the total above).")
    out.note(f"Mature: answered well enough that the next review is {MATURE_DAYS} days or more away (as Anki "
             f"counts). Due today: any time until your study day ends at {stats.day_starts_at:02d}:00; due in 7 "
             "days counts today too.")
    if stats.forecast and any(stats.forecast):
        out.line(forecast_words(stats.forecast, stats.study_date))


def _glyph(count: int) -> tuple[str, str]:
    glyph, colour = INTENSITY[0][1], INTENSITY[0][2]
    for low, g, c in INTENSITY:
        if count >= low:
            glyph, colour = g, c
    return glyph, colour


def heatmap_lines(stats: Stats, width: int) -> list[Any]:
    """The 26-week calendar as rich Texts: month labels, a row per weekday, a legend."""
    from rich.text import Text

    from neurotutor.dates import add_days

    act = stats.activity
    first_week = next((i // 7 for i, n in enumerate(act.counts) if n), len(act.weeks) - 1)
    skip = max(0, min(first_week, len(act.weeks) - 4))  # from the first week with answers (at least 4 weeks)
    weeks = len(act.weeks) - skip
    cell = 2 if 4 + weeks * 2 <= width else 1
    labels = [" "] * (4 + weeks * cell + 3)
    last_end = 0
    for column, week in enumerate(act.weeks[skip:]):
        first = week.start
        days = [add_days(first, d) for d in range(7)]
        month_starts = column == 0 or any(day.day == 1 for day in days)
        if not month_starts:
            continue
        shown = first if column == 0 else next(day for day in days if day.day == 1)
        position = 4 + column * cell
        name = MONTHS[shown.month - 1]
        if position >= last_end and position + 3 <= len(labels):
            labels[position:position + 3] = list(name)
            last_end = position + 4
    lines = [Text("".join(labels).rstrip(), style="dim")]
    for weekday in range(7):
        line = Text(f"{WEEKDAYS[weekday]} ", style="dim")
        for column in range(weeks):
            index = (column + skip) * 7 + weekday
            if index >= len(act.counts):
                line.append(" " * cell)
                continue
            glyph, colour = _glyph(act.counts[index])
            line.append(glyph, style=colour)
            if cell == 2:
                line.append(" ")
        line.rstrip()
        lines.append(line)
    legend = Text("    ")
    for low, glyph, colour in INTENSITY:
        legend.append(glyph, style=colour)
        words = {0: " none  ", 1: " 1-4  ", 5: " 5-14  ", 15: " 15-29  ", 30: " 30+ answers"}[low]
        legend.append(words, style="dim")
    lines.append(legend)
    return lines


def _future_words(act: Any) -> str:
    """Answers dated after today, said plainly: the clock was probably wrong."""
    one = act.future_answers == 1
    return (f"{_plural(act.future_answers, 'answer')} {'carries a time' if one else 'carry times'} in the future "
            f"(after today, {act.today.isoformat()}): the computer's clock may have been wrong when "
            f"{'it was' if one else 'they were'} saved. {'It counts' if one else 'They count'} in your totals, but "
            "not as days studied.")


def _show_days(out: Output, stats: Stats) -> None:
    act = stats.activity
    out.heading("Days studied")
    recent = f" (most recent: {act.last_day.isoformat()})" if act.last_day else ""
    out.line(f"Days studied in the last {len(act.weeks)} weeks: {act.days_studied:,}{recent}")
    if act.future_answers:
        out.line(_future_words(act))
    if out.decorated:
        for line in heatmap_lines(stats, out.width):
            out.console.print(line, no_wrap=True, overflow="ignore")
    else:
        for week in act.weeks:
            if week.answers:
                out.line(f"week of {week.start.isoformat()}: {_plural(week.days, 'day')}, "
                         f"{_plural(week.answers, 'answer')}")
    today_done = act.counts[-1] > 0
    streak = f"Current streak: {_plural(act.current_streak, 'day')}"
    if act.current_streak and not today_done:
        streak += " (answer a question today to keep it going)"
    out.line(f"{streak}. Longest streak: {_plural(act.longest_streak, 'day')}.")


def _bar(share: float, width: int) -> str:
    filled = round(share * width)
    return "█" * filled + "·" * (width - filled)


def _show_accuracy(out: Output, stats: Stats) -> None:
    acc = stats.accuracy
    out.heading("Accuracy")
    avg = acc.average_seconds or 0.0
    out.line(f"Overall: {acc.right:,} of {_plural(acc.answers, 'answer')} right ({_pct(acc.share)}). "
             f"Average answer time: {avg:.1f} seconds.")
    out.line("Answers by mode: " + ", ".join(f"{mode} {n:,}" for mode, n in acc.modes if n) + ".")
    if not acc.weeks:
        return
    if out.decorated:
        from rich.text import Text

        out.styled(f"Right, by week (the last {_plural(len(acc.weeks), 'week')} with answers):", "bold")
        counts = [f"{w.right:,}/{w.answers:,}" for w in acc.weeks]
        room = max(len(c) for c in counts)
        bar = max(6, min(24, out.width - 6 - 2 - 2 - 4 - 2 - room - 1))
        for week, count in zip(acc.weeks, counts):
            line = Text(f"{week.start.day:>2} {MONTHS[week.start.month - 1]}  ")
            filled = round(week.share * bar)
            line.append("█" * filled, style="green")
            line.append("·" * (bar - filled), style="bright_black")
            line.append(f"  {_pct(week.share):>4}  ")
            line.append(count, style="dim")
            out.console.print(line, no_wrap=True, overflow="ignore")
    else:
        for week in acc.weeks:
            out.line(f"week of {week.start.isoformat()}: {week.right:,} of {_plural(week.answers, 'answer')} "
                     f"right ({_pct(week.share)})")


def _show_exams(out: Output, settings: Settings, stats: Stats) -> None:
    from neurotutor.cli import hints

    exams = stats.exams
    out.heading("Exams")
    if not exams.taken:
        out.line("No exams taken yet.")
        out.command("Sit one (20 questions, untimed):", hints.command(settings, "exam"))
        return
    latest = f" (on {_local_date(stats, exams.latest_at).isoformat()})" if exams.latest_at else ""
    out.line(f"Exams taken: {exams.taken}. Best score: {_pct(exams.best)}. Latest: {_pct(exams.latest)}{latest}.")


def _show_calibration(out: Output, settings: Settings, stats: Stats) -> None:
    from neurotutor.cli import hints
    from neurotutor.study.confidence import LEVELS, RANGE_WORDS

    cal = stats.calibration
    out.heading("Calibration")
    if not cal.overall.rated:
        out.line("No answers rated for confidence yet. Rate how sure you are after each answer to see whether "
                 "your confidence matches your results:")
        out.command("Turn it on:", hints.command(settings, "settings", "--confidence"))
        return
    out.table(["how sure", "answers", "right", "suits", "verdict"],
          [[LEVELS[lv.level], f"{lv.answers:,}", _pct(lv.share), RANGE_WORDS[lv.level], VERDICT_WORDS[lv.verdict]]
           for lv in cal.overall.levels])
    out.line(f"Certainty-based marks: {cal.overall.marks:,} of {cal.overall.max_marks:,} possible "
             f"({_plural(cal.overall.rated, 'rated answer')}).")
    for sentence in cal.sentences:
        out.line(sentence)


def _show_misconceptions(out: Output, settings: Settings, stats: Stats) -> None:
    from neurotutor.cli import hints

    if not stats.misconceptions:
        return
    out.heading("Misconceptions chosen most")
    out.bullets([f"{m.words} (chosen {_plural(m.count, 'time')}; corrected in {m.title}"
                 f"{'' if m.current else ', but that question is no longer in the lessons'})"
                 for m in stats.misconceptions])
    lessons = list(dict.fromkeys((m.lesson_id, m.title) for m in stats.misconceptions if m.current))
    for lesson_id, title in lessons:
        out.command(f"To go over {title} again:", hints.command(settings, "learn", lesson_id))


# -- the forgetting curve ----------------------------------------------------------------------------


def show_forgetting_curve(out: Output, curve: Curve) -> None:
    """Predicted recall against the learner's own reviews: a compact chart (at most 50 columns)
    in a terminal, numbers in plain mode, and how much data it rests on."""
    from neurotutor.stats.forgetting import data_sentence

    if out.decorated:
        from rich.text import Text

        bar = 20
        lines = [Text("After     predicted recall of your cards", style="dim")]
        for point in curve.points:
            if point.days not in SHOWN_DAYS:
                continue
            line = Text(f"{point.days:>3} d  ")
            if point.predicted is None:
                line.append("-")
            else:
                filled = round(point.predicted * bar)
                line.append("█" * filled, style="cyan")
                line.append("·" * (bar - filled), style="bright_black")
                line.append(f" {_pct(point.predicted):>4}")
            lines.append(line)
        lines.append(Text(""))
        lines.append(Text("Since last  predicted █, your share right ●", style="dim"))
        for bucket in curve.buckets:
            line = Text(f"{bucket.label:<11}")
            if not bucket.reviews:
                continue
            filled = round((bucket.predicted or 0.0) * bar)
            cells = ["█"] * filled + ["·"] * (bar - filled)
            mark = min(bar - 1, round((bucket.actual or 0.0) * bar))
            styles = ["cyan"] * filled + ["bright_black"] * (bar - filled)
            cells[mark], styles[mark] = "●", "bold yellow"
            for glyph, style in zip(cells, styles):
                line.append(glyph, style=style)
            line.append(f" {_pct(bucket.predicted):>4}/{_pct(bucket.actual):>4} n={bucket.reviews}")
            lines.append(line)
        for line in lines:
            out.console.print(line, no_wrap=True, overflow="ignore")
    else:
        out.line("Predicted recall of your cards, by days since their last review: "
                 + "; ".join(f"{p.days} d {_pct(p.predicted)}" for p in curve.points) + ".")
        for bucket in curve.buckets:
            if bucket.reviews:
                out.line(f"{bucket.label} since the answer before: {_plural(bucket.reviews, 'review')}, "
                         f"predicted {_pct(bucket.predicted)}, right {_pct(bucket.actual)}")
    out.note(data_sentence(curve))
