"""The documents a school prints, signs and keeps (regulation 1.2, 1.4): reports, the year-end archive.

Each report is computed over plain rows into a `Document` (services.reports.document), which knows
nothing of file formats; services.documents renders it as XLSX, PDF and PNG charts, outside the event
loop. Who may have which report is decided here (services.reports.catalogue), never by the chat.
"""
