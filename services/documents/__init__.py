"""Files made from the journal: a services.reports.document.Document as XLSX, PDF and PNG charts,
and the printouts (invitation slips, role guides). Only file libraries here: no database, no chat."""
