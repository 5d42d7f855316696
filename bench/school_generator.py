"""A synthetic school of any size, as sheets for `import_rows` or `write_workbook`.

Classes of 25, grades from 1 up, ten subjects, six lessons a day Mon–Fri, about 1.8 parents a student.
Each teacher teaches one subject in ten classes and the timetable never puts a teacher in two places.
"""
from __future__ import annotations

import datetime as dt
import math
import random

from services.demo_school import bell_rows, demo_school_sheets, holiday_rows, quarter_rows
from services.school_import.sheets import SheetRows, first_year_of_school_year

SUBJECTS = (
    "Математика", "Русский язык", "Литература", "Английский язык", "История",
    "Физкультура", "Биология", "География", "Музыка", "Информатика",
)
LETTERS = "АБВГДЕЖИКЛМН"
STUDENTS_PER_CLASS = 25
LESSONS_PER_DAY = 6
SCHOOL_DAYS = 5
FATHER_SHARE = 0.8  # every student has a mother in the file, most a father too

MALE_NAMES = ("Александр", "Максим", "Иван", "Артём", "Дмитрий", "Кирилл", "Михаил", "Егор", "Матвей", "Лев")
FEMALE_NAMES = ("Анна", "Мария", "София", "Алиса", "Виктория", "Полина", "Ева", "Дарья", "Ксения", "Варвара")
FATHER_NAMES = ("Андрей", "Сергей", "Алексей", "Игорь", "Олег", "Павел", "Николай", "Денис", "Роман", "Юрий")
SURNAMES = ("Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов",
            "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров")


def make_school_sheets(n_students: int = 1000, *, seed: int = 1, today: dt.date | None = None) -> SheetRows:
    rng = random.Random(seed)
    first = first_year_of_school_year(today or dt.date.today())
    class_names = _class_names(math.ceil(n_students / STUDENTS_PER_CLASS))
    # Classes c and c+10 always have the same subject at the same lesson, so they need different
    # teachers: teacher (subject, c // 10) serves the ten classes of one block.
    teachers = {(s, c): f"t{s + 1}_{c // len(SUBJECTS) + 1}" for s in range(len(SUBJECTS))
                for c in range(len(class_names))}
    students, parents = _people(n_students, class_names, first, rng)
    return {
        "periods": quarter_rows(first),
        "holidays": holiday_rows(first),
        "subjects": [{"name": name} for name in SUBJECTS],
        "staff": _staff(sorted(set(teachers.values()))),
        "classes": [
            {"name": name, "grade": name[:-1], "homeroom_teacher": teachers[(c % len(SUBJECTS), c)]}
            for c, name in enumerate(class_names)
        ],
        "students": students,
        "parents": parents,
        "assignments": [
            {"teacher": teacher, "class": class_names[c], "subject": SUBJECTS[s]}
            for (s, c), teacher in teachers.items()
        ],
        "bells": bell_rows(),
        "timetable": [
            {"class": class_names[c], "weekday": str(day), "lesson_no": str(lesson),
             "subject": SUBJECTS[(c + day + lesson) % len(SUBJECTS)],
             "teacher": teachers[((c + day + lesson) % len(SUBJECTS), c)], "room": str(100 + c)}
            for c in range(len(class_names))
            for day in range(1, SCHOOL_DAYS + 1)
            for lesson in range(1, LESSONS_PER_DAY + 1)
        ],
    }


def demo_school_with_a_class_of(size: int, today: dt.date, class_name: str = "5А") -> SheetRows:
    """The demo school with one class filled up to `size` students, each newcomer with a parent."""
    sheets = demo_school_sheets(today)
    already = sum(1 for row in sheets["students"] if row["class"] == class_name)
    for number in range(already + 1, size + 1):
        sheets["students"].append({"id": f"b{number}", "full_name": f"Ученик{number:02d} Бенч Тестович",
                                   "class": class_name, "birth_date": "2015-05-05"})
        sheets["parents"].append({"id": f"bp{number}", "full_name": f"Родитель{number:02d} Бенч Тестович",
                                  "children": f"b{number}", "phone": ""})
    return sheets


def _class_names(count: int) -> list[str]:
    per_grade = math.ceil(count / 11)
    return [f"{1 + index // per_grade}{LETTERS[index % per_grade]}" for index in range(count)]


def _staff(teacher_ids: list[str]) -> list[dict[str, str]]:
    staff = [{"id": id_, "full_name": f"Учитель {id_}", "roles": "teacher"} for id_ in teacher_ids]
    staff += [
        {"id": "dir1", "full_name": "Соколов Андрей Николаевич", "roles": "director"},
        {"id": "d1", "full_name": "Кузнецова Ольга Викторовна", "roles": "deputy"},
        {"id": "a1", "full_name": "Орлова Елена Сергеевна", "roles": "admin"},
    ]
    return staff


def _people(
    n_students: int, class_names: list[str], first: int, rng: random.Random,
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    students, parents = [], []
    for index in range(n_students):
        class_name = class_names[index // STUDENTS_PER_CLASS]
        surname, father = rng.choice(SURNAMES), rng.choice(FATHER_NAMES)
        is_girl = rng.random() < 0.5
        name = rng.choice(FEMALE_NAMES if is_girl else MALE_NAMES)
        patronymic = father + ("овна" if is_girl else "ович")
        grade = int(class_name[:-1])
        birth = dt.date(first - grade - 6, rng.randint(1, 12), rng.randint(1, 28))
        student_id = f"s{index + 1}"
        students.append({"id": student_id, "full_name": f"{surname}{'а' if is_girl else ''} {name} {patronymic}",
                         "class": class_name, "birth_date": birth.isoformat()})
        parents.append({"id": f"p{len(parents) + 1}", "full_name": f"{surname}а {rng.choice(FEMALE_NAMES)}",
                        "children": student_id, "phone": f"+7 9{rng.randint(10**8, 10**9 - 1)}"})
        if rng.random() < FATHER_SHARE:
            parents.append({"id": f"p{len(parents) + 1}", "full_name": f"{surname} {father}",
                            "children": student_id, "phone": ""})
    return students, parents
