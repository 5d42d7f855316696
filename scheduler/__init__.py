"""On a schedule, in the school's time zone: deadline reminders, control reports, archive copies.

scheduler.setup builds the AsyncIOScheduler and ties it to the dispatcher; scheduler.jobs holds the
job functions; scheduler.runs makes each run happen once (claims, records, catch-up after downtime).
"""
