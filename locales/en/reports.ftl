## /report: documents as XLSX or PDF (services.reports).

report-none = There are no reports for you: teachers, class teachers, the administration, parents and students have them.
report-choose-kind = Which report?
report-choose-year = { $kind }: for which school year?
report-this-year = { $year } (this year)
report-choose-target = { $kind }: for whom?
report-choose-period = { $kind }: for which period?
report-choose-format = { $kind }: which format? XLSX opens in Excel, PDF is for printing.
report-nothing-to-choose = { $kind }: nothing to choose from — you have no matching classes or pupils.
report-year = Year
report-kind-results = Results
report-kind-subject = Subject teacher's report
report-kind-summary = Summary sheet
report-kind-card = Report card
report-kind-attendance = Attendance
report-kind-keeping = Journal keeping
report-kind-movement = Pupil movement
report-kind-risk = At risk
report-not-yours = This report is not available to you.
report-not-your-class = This report is for the class's own class teacher and the administration.
report-not-your-subject = The subject report is for your own subjects and classes.
report-not-your-pupil = A report card is for the pupil's parents, the pupil, their class teacher and the administration.
report-unknown-kind = There is no report «{ $kind }». There are: { $known }.
report-unknown-period = There is no period «{ $name }»: give a term number (1, term 2) or «year».
report-sent = { $kind }: done, the file is below.
report-needs-options = The «{ $kind }» report needs { $options }.
