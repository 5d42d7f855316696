"""Routers in the order the dispatcher tries them: specific first, the fallback last.

Each module builds a fresh Router when its `router()` is called, so every Dispatcher (the bot, the
console, each test) gets routers of its own.
"""

from __future__ import annotations

from aiogram import Router

from handlers import (
    access_admin,
    access_class,
    administration,
    archive,
    broadcasts,
    common,
    consents,
    fallback,
    family,
    homeroom,
    messaging,
    movement,
    new_year,
    operations,
    period,
    reports,
    settings,
    start,
    subgroups,
    teacher,
    term_closing,
    timetable,
)


def all_routers() -> list[Router]:
    return [
        start.router(),
        common.router(),
        messaging.router(),  # early: a Telegram reply to a relayed message is an answer, even in an open lesson
        broadcasts.router(),
        access_admin.router(),
        access_class.router(),
        timetable.router(),  # before teacher: /lesson and /substitute also in an open lesson
        teacher.router(),  # before family: a teacher's `/homework 5А …` with arguments is an entry
        term_closing.router(),  # before period: /period close|reopen
        period.router(),
        consents.router(),  # before homeroom: `/class consents` is its own view
        homeroom.router(),
        movement.router(),
        subgroups.router(),
        administration.router(),
        operations.router(),
        reports.router(),
        archive.router(),
        new_year.router(),
        settings.router(),
        family.router(),
        fallback.router(),
    ]
