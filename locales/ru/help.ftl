## /help: one section per role; an account sees the sections of its roles.

help-everyone =
    <b>Для всех</b>
    /start — вход по приглашению
    /help — эта справка
    /whoami — кто я в журнале
    /language — язык / language
help-unbound =
    Журнал доступен только по личному приглашению: откройте ссылку от классного руководителя или администратора.
    /start — вход по приглашению
    /help — эта справка
    /language — язык / language
help-teacher =
    <b>Учитель</b>
    /today — мои уроки сегодня
    /today &lt;дата&gt; — уроки в другой день, например /today 27.11
    /mark &lt;класс&gt; &lt;предмет&gt; [дата] [#вид работы] &lt;№&gt;:&lt;отметка&gt; … — отметки по номерам в списке класса, например /mark 5А матем 3:5 7:4
    /homework &lt;класс&gt; &lt;предмет&gt; &lt;текст&gt; — домашнее задание
    /topic &lt;класс&gt; &lt;предмет&gt; &lt;текст&gt; — тема урока
    /period &lt;класс&gt; &lt;предмет&gt; — средние и отметки за четверть
help-class-teacher =
    <b>Классный руководитель</b>
    /class — пропуски класса сегодня; кнопки б / уп / нп объясняют «н» за весь день, «по урокам» — отдельно
    /class &lt;дата&gt; — другой день, например /class 25.11
    /class students — список класса: родители, кто вошёл в журнал, отметки о неуспеваемости и пропусках
    /class 5А — класс по имени (администратору, заместителю, директору)
    /enrol &lt;класс&gt; &lt;id&gt; &lt;ФИО&gt; [дата] — зачислить, например /enrol 5А s99 Петров Пётр Петрович 01.12
    /enrol &lt;класс&gt; &lt;id&gt; [дата] — вернуть выбывшего ученика
    /move &lt;id&gt; &lt;класс&gt; [дата] — перевести в другой класс, например /move s3 5Б 01.12
    /leave &lt;id&gt; [дата] — выбыл из школы, например /leave s3 01.12
    Без даты — сегодня. Дата: ДД.ММ, ДД.ММ.ГГГГ или ГГГГ-ММ-ДД.
    /invite parent &lt;id&gt;, /invite student &lt;id&gt; — приглашение родителю или ученику класса
    /invite class — приглашения всем ученикам и родителям класса
    /access — кто из класса вошёл в журнал
    /revoke parent &lt;id&gt;, /revoke student &lt;id&gt; — закрыть доступ
help-parent =
    <b>Родитель</b>
    /grades — отметки ребёнка
    /grades &lt;предмет&gt; — отметки по предмету
    /attendance — пропуски
    /homework — домашнее задание
    /homework week — задания на неделю
    /schedule — расписание
    /child — выбрать ребёнка, если их несколько
help-student =
    <b>Ученик</b>
    /grades — мои отметки
    /grades &lt;предмет&gt; — отметки по предмету
    /attendance — мои пропуски
    /homework — домашнее задание
    /homework week — задания на неделю
    /schedule — расписание
help-school-reader =
    <b>Заместитель директора, директор</b>
    /journal &lt;класс&gt; &lt;предмет&gt; [четверть] — страница журнала, только чтение
help-admin =
    <b>Администратор</b>
    /invite teacher|deputy|director|admin &lt;id&gt; — приглашение сотруднику
    /invite parent|student &lt;id&gt; — приглашение родителю или ученику
    /invite class &lt;класс&gt; — приглашения всему классу
    /access &lt;класс&gt; — кто из класса вошёл; /access staff — кто из сотрудников
    /revoke &lt;роль&gt; &lt;id&gt; — закрыть доступ
