"""The texts of journal control: the teachers' reminder, the deputy's daily report, the period report.

Rendered in the reader's language from the plain data of services.control_reports.
"""
from __future__ import annotations

import datetime as dt

from bot.i18n import Translator
from bot.text import escape, format_average, format_date, format_time, short_name, table
from services.control_reports import DeputyReport, PeriodReport
from services.journal_fill import FillRate, MissingLesson
from services.school_days import DueLesson

ABSENCE_CODES = ("н", "б", "уп", "нп", "оп")

def missing_words(missing: tuple[str, ...] | list[str], i18n: Translator) -> str:
    return ", ".join(i18n(f"control-missing-{item}") for item in missing)


def lesson_label(lesson: DueLesson) -> str:
    starts = format_time(lesson.starts) if lesson.starts else f"№{lesson.lesson_no}"
    return f"{starts} · {escape(lesson.class_name)} · {escape(lesson.subject)}"


def render_reminder(items: list[MissingLesson], day: dt.date, deadline: dt.time, i18n: Translator) -> str:
    lines = [i18n("reminder-title", day=format_date(day, i18n.language, "day"), deadline=format_time(deadline))]
    for item in items:
        lines.append(i18n("reminder-line", lesson=lesson_label(item.lesson), missing=missing_words(item.missing, i18n)))
    lines.append(i18n("reminder-hint"))
    return "\n".join(lines)


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{round(share * 100)}%"


def render_rates(rates: tuple[FillRate, ...] | list[FillRate], i18n: Translator, *, shares: bool) -> str:
    if not rates:
        return i18n("control-no-lessons")
    rows = []
    for rate in rates:
        if shares:
            counts = [_percent(rate.share(count)) for count in (rate.on_time, rate.late, rate.missing)]
        else:
            counts = [rate.on_time, rate.late, rate.missing]
        rows.append([short_name(rate.teacher), rate.lessons, *counts])
    header = [i18n("control-col-teacher"), i18n("control-col-lessons"), i18n("control-col-on-time"),
              i18n("control-col-late"), i18n("control-col-missing")]
    return table(rows, header=header, right=(1, 2, 3, 4))


def render_deputy_report(report: DeputyReport, i18n: Translator) -> str:
    language = i18n.language
    lines = [i18n("deputy-title", day=format_date(report.day, language, "day"))]
    if not report.overdue:
        lines.append(i18n("deputy-no-overdue"))
    teacher = None
    for line in report.overdue:
        if line.teacher != teacher:
            teacher = line.teacher
            lines.append(f"<b>{escape(teacher)}</b>")
        when = format_time(line.starts) if line.starts else ""
        key = "deputy-overdue-filled" if line.filled else "deputy-overdue-line"
        lines.append(i18n(key, time=when, class_name=escape(line.class_name), subject=escape(line.subject),
                          missing=missing_words(line.missing, i18n)))
    lines.append("")
    lines.append(i18n("deputy-week", start=format_date(report.week_start, language),
                      end=format_date(report.day, language)))
    lines.append(render_rates(report.rates, i18n, shares=False))
    return "\n".join(lines)


def render_period_report(report: PeriodReport, i18n: Translator) -> str:
    language = i18n.language
    lines = [
        i18n("director-title", period=escape(report.period_name),
             start=format_date(report.start, language, "full"), end=format_date(report.end, language, "full")),
        "",
        i18n("director-teachers"),
        render_rates(report.rates, i18n, shares=True),
        "",
        i18n("director-classes"),
    ]
    rows = []
    for figures in report.classes:
        rows.append([figures.class_name, format_average(figures.average, language),
                     _percent(figures.quality), _percent(figures.success),
                     *(figures.absences.get(code, 0) for code in ABSENCE_CODES)])
    rows.append([i18n("director-total"), "", "", "", *(report.absences.get(code, 0) for code in ABSENCE_CODES)])
    header = [i18n("control-col-class"), i18n("control-col-average"), i18n("control-col-quality"),
              i18n("control-col-success"), *ABSENCE_CODES]
    lines.append(table(rows, header=header, right=range(1, 4 + len(ABSENCE_CODES))))
    lines.append(i18n("director-notes"))
    if report.far_marks:
        lines += ["", i18n("control-far-marks")]
        year = i18n("notify-final-year", year=escape(report.year_name))
        lines += [i18n("control-far-mark-line", class_name=escape(far.class_name), subject=escape(far.subject),
                       scope=escape(far.period_name) if far.period_name else year, name=escape(short_name(far.student)),
                       mark=far.value, average=format_average(far.average, language), teacher=escape(short_name(far.teacher)),
                       reason=escape(far.reason))
                  for far in report.far_marks]
    return "\n".join(lines)
