"""A small, realistic school for the console demo and the tests, as sheets that `import_rows` takes.

Three classes (1А, 5А, 5Б), 24 students, their parents, nine staff and a full Mon–Fri timetable, in
which 5Б learns English in two groups (подгруппы).
"""

from __future__ import annotations

import datetime as dt

from services.school_import.sheets import SheetRows, first_year_of_school_year

MATH, RUSSIAN, LITERATURE, ENGLISH, HISTORY, PE = (
    "Математика",
    "Русский язык",
    "Литература",
    "Английский язык",
    "История",
    "Физкультура",
)
SUBJECTS = (MATH, RUSSIAN, LITERATURE, ENGLISH, HISTORY, PE)

STAFF = (  # id, full name, roles
    ("t1", "Иванова Мария Петровна", "teacher"),
    ("t2", "Петров Сергей Иванович", "teacher"),
    ("t3", "Смирнова Анна Олеговна", "teacher"),
    ("t4", "Волкова Татьяна Андреевна", "teacher"),
    ("t5", "Николаев Павел Викторович", "teacher"),
    ("d1", "Кузнецова Ольга Викторовна", "deputy, teacher"),
    ("dir1", "Соколов Андрей Николаевич", "director"),
    ("a1", "Орлова Елена Сергеевна", "admin"),
    ("t6", "Фролова Наталья Сергеевна", "teacher"),  # last: the others keep the ids they had before her
)

CLASSES = (("1А", "t3"), ("5А", "t1"), ("5Б", "t4"))  # name, homeroom teacher

# Who teaches what in the fifth grades; in 1А the class teacher teaches everything.
FIFTH_GRADE_TEACHERS = {MATH: "t1", RUSSIAN: "t2", LITERATURE: "t2", ENGLISH: "t4", HISTORY: "d1", PE: "t5"}
FIRST_GRADE_TEACHERS = {MATH: "t3", RUSSIAN: "t3", LITERATURE: "t3", PE: "t3"}

# 5Б learns English in two groups at the same hours, each with its own teacher and room (group 1 in
# 5Б's own): the first half of its list with t4, the second with t6. 5Б, not 5А, since most tests
# read 5А's day, lists and teachers. Group → (teacher, room, pupils).
SPLIT_CLASS, SPLIT_SUBJECT = "5Б", ENGLISH
GROUPS = {"1": ("t4", "22", ("s9", "s10", "s11", "s12")), "2": ("t6", "23", ("s13", "s14", "s15", "s16"))}

STUDENTS = {  # class → (id, full name)
    "5А": (
        ("s1", "Алексеев Артём Игоревич"),
        ("s2", "Белова Софья Дмитриевна"),
        ("s3", "Васильев Кирилл Андреевич"),
        ("s4", "Горбунова Алиса Романовна"),
        ("s5", "Дмитриев Егор Олегович"),
        ("s6", "Егорова Виктория Сергеевна"),
        ("s7", "Жуков Матвей Алексеевич"),
        ("s8", "Зайцева Дарья Павловна"),
    ),
    "5Б": (
        ("s9", "Григорьев Иван Михайлович"),
        ("s10", "Белов Максим Дмитриевич"),
        ("s11", "Ковалёва Анастасия Ильинична"),
        ("s12", "Лебедев Тимофей Викторович"),
        ("s13", "Медведева Мария Артёмовна"),
        ("s14", "Никитин Даниил Евгеньевич"),
        ("s15", "Орлов Глеб Константинович"),
        ("s16", "Павлова Ксения Максимовна"),
    ),
    "1А": (
        ("s17", "Алексеева Полина Игоревна"),
        ("s18", "Григорьева Ева Михайловна"),
        ("s19", "Романов Лев Денисович"),
        ("s20", "Соловьёва Варвара Антоновна"),
        ("s21", "Тарасов Марк Ильич"),
        ("s22", "Фёдорова Милана Руслановна"),
        ("s23", "Чернов Святослав Георгиевич"),
        ("s24", "Яковлева Алёна Витальевна"),
    ),
}
BIRTH_YEARS_BEFORE_SCHOOL_YEAR = {"5А": 11, "5Б": 11, "1А": 7}

PARENTS = (  # id, full name, children; p1, p2 and p10 have children in two classes
    ("p1", "Алексеева Наталья Викторовна", "s1, s17"),
    ("p2", "Белов Дмитрий Николаевич", "s2, s10"),
    ("p3", "Васильева Ирина Сергеевна", "s3"),
    ("p4", "Васильев Андрей Павлович", "s3"),
    ("p5", "Горбунова Юлия Александровна", "s4"),
    ("p6", "Дмитриева Марина Викторовна", "s5"),
    ("p7", "Егоров Сергей Владимирович", "s6"),
    ("p8", "Жукова Елена Игоревна", "s7"),
    ("p9", "Зайцева Ольга Николаевна", "s8"),
    ("p10", "Григорьева Светлана Андреевна", "s9, s18"),
    ("p11", "Ковалёв Илья Петрович", "s11"),
    ("p12", "Лебедева Анна Михайловна", "s12"),
    ("p13", "Медведева Татьяна Юрьевна", "s13"),
    ("p14", "Медведев Артём Валерьевич", "s13"),
    ("p15", "Никитина Оксана Владимировна", "s14"),
    ("p16", "Орлова Людмила Андреевна", "s15"),
    ("p17", "Павлов Максим Сергеевич", "s16"),
    ("p18", "Романова Екатерина Олеговна", "s19"),
    ("p19", "Соловьёва Мария Игоревна", "s20"),
    ("p20", "Тарасов Илья Борисович", "s21"),
    ("p21", "Фёдорова Алина Сергеевна", "s22"),
    ("p22", "Чернова Дарья Вадимовна", "s23"),
    ("p23", "Яковлев Виталий Аркадьевич", "s24"),
)

BELLS = (
    ("08:30", "09:15"),
    ("09:25", "10:10"),
    ("10:30", "11:15"),
    ("11:35", "12:20"),
    ("12:30", "13:15"),
    ("13:25", "14:10"),
)

# 5Б has 5А's day shifted by one lesson. Russian and literature (one teacher) are never next to each
# other in 5А's day, counting round from the last lesson to the first, so no teacher is in two places.
FIFTH_GRADE_WEEK = {
    "Пн": (MATH, RUSSIAN, ENGLISH, LITERATURE, PE),
    "Вт": (RUSSIAN, MATH, LITERATURE, HISTORY, ENGLISH),
    "Ср": (MATH, RUSSIAN, PE, LITERATURE, ENGLISH),
    "Чт": (MATH, RUSSIAN, HISTORY, LITERATURE, PE),
    "Пт": (RUSSIAN, MATH, ENGLISH, HISTORY, PE),
}
FIRST_GRADE_WEEK = {
    "Пн": (RUSSIAN, MATH, LITERATURE, PE),
    "Вт": (RUSSIAN, MATH, PE, LITERATURE),
    "Ср": (MATH, RUSSIAN, LITERATURE, PE),
    "Чт": (RUSSIAN, MATH, LITERATURE, PE),
    "Пт": (MATH, RUSSIAN, PE, LITERATURE),
}
HOME_ROOMS = {"1А": "11", "5А": "21", "5Б": "22"}
GYM = "спортзал"


def demo_school_sheets(today: dt.date) -> SheetRows:
    """The demo school for the academic year around `today` (from July on, the year about to start)."""
    first = first_year_of_school_year(today)
    weeks = {
        "1А": FIRST_GRADE_WEEK,
        "5А": FIFTH_GRADE_WEEK,
        "5Б": {day: lessons[1:] + lessons[:1] for day, lessons in FIFTH_GRADE_WEEK.items()},
    }
    teachers = {"1А": FIRST_GRADE_TEACHERS, "5А": FIFTH_GRADE_TEACHERS, "5Б": FIFTH_GRADE_TEACHERS}
    return {
        "periods": quarter_rows(first),
        "holidays": holiday_rows(first),
        "subjects": [{"name": name} for name in SUBJECTS],
        "staff": [{"id": id_, "full_name": name, "roles": roles} for id_, name, roles in STAFF],
        "classes": [{"name": name, "grade": name[:-1], "homeroom_teacher": teacher} for name, teacher in CLASSES],
        "students": _students(first),
        "parents": [
            {"id": id_, "full_name": name, "children": children, "phone": _phone(number)}
            for number, (id_, name, children) in enumerate(PARENTS, start=1)
        ],
        "subgroups": [
            {"class": SPLIT_CLASS, "subject": SPLIT_SUBJECT, "subgroup": group, "students": ", ".join(pupils)}
            for group, (_, _, pupils) in GROUPS.items()
        ],
        "assignments": [
            {"teacher": teacher, "class": class_name, "subject": subject, "subgroup": group}
            for class_name, subject_teachers in teachers.items()
            for subject in subject_teachers
            for teacher, _, group in _lessons_of(teachers, class_name, subject)
        ],
        "bells": bell_rows(),
        "timetable": [
            {
                "class": class_name,
                "weekday": day,
                "lesson_no": str(number),
                "subject": subject,
                "teacher": teacher,
                "room": room,
                "subgroup": group,
            }
            for class_name, week in weeks.items()
            for day, lessons in week.items()
            for number, subject in enumerate(lessons, start=1)
            for teacher, room, group in _lessons_of(teachers, class_name, subject)
        ],
    }


def _lessons_of(teachers: dict[str, dict[str, str]], class_name: str, subject: str) -> list[tuple[str, str, str]]:
    """(teacher, room, group) of the class's lessons in the subject: the whole class's ("" group), or each group's."""
    if (class_name, subject) == (SPLIT_CLASS, SPLIT_SUBJECT):
        return [(teacher, room, group) for group, (teacher, room, _) in GROUPS.items()]
    return [(teachers[class_name][subject], GYM if subject == PE else HOME_ROOMS[class_name], "")]


def quarter_rows(first: int) -> list[dict[str, str]]:
    """Four четверти of the school year starting in September of `first`."""
    dates = (
        ((first, 9, 1), (first, 10, 25)),
        ((first, 11, 5), (first, 12, 28)),
        ((first + 1, 1, 9), (first + 1, 3, 22)),
        ((first + 1, 4, 1), (first + 1, 5, 26)),
    )
    return [
        {"name": f"{number} четверть", "start": dt.date(*start).isoformat(), "end": dt.date(*end).isoformat()}
        for number, (start, end) in enumerate(dates, start=1)
    ]


def holiday_rows(first: int) -> list[dict[str, str]]:
    """The autumn, winter and spring breaks between the четверти."""
    dates = (
        ("осенние каникулы", (first, 10, 26), (first, 11, 4)),
        ("зимние каникулы", (first, 12, 29), (first + 1, 1, 8)),
        ("весенние каникулы", (first + 1, 3, 23), (first + 1, 3, 31)),
    )
    return [
        {"name": name, "start": dt.date(*start).isoformat(), "end": dt.date(*end).isoformat()}
        for name, start, end in dates
    ]


def bell_rows() -> list[dict[str, str]]:
    return [
        {"lesson_no": str(number), "start": start, "end": end} for number, (start, end) in enumerate(BELLS, start=1)
    ]


def _students(first: int) -> list[dict[str, str]]:
    rows = []
    for class_name, students in STUDENTS.items():
        birth_year = first - BIRTH_YEARS_BEFORE_SCHOOL_YEAR[class_name]
        for number, (id_, name) in enumerate(students):
            birth_date = dt.date(birth_year, number % 12 + 1, (number * 7) % 28 + 1)
            rows.append({"id": id_, "full_name": name, "class": class_name, "birth_date": birth_date.isoformat()})
    return rows


def _phone(number: int) -> str:
    """Every fourth parent has given no phone."""
    return "" if number % 4 == 0 else f"+7 916 {100 + number:03d}-{number * 3 % 100:02d}-{number * 7 % 100:02d}"
