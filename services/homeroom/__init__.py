"""Class teachers (regulation 3.2): the daily record of missed lessons, explanations, the class list.

The teacher's attendance code (н, б, оп) stays as written; the class teacher's explanation (б, уп, нп)
is kept beside it, and each explanation goes to the audit log with before → after.

classes: finding a class, and who reads which · daily_record: who missed which lessons on a day ·
explanations: the class teacher's б / уп / нп · class_list: the class with parents, sign-ins and flags.
"""
