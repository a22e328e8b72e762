<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>AccountChange</name>
    <message>
        <source>made an admin</source>
        <translation>роль: администратор</translation>
    </message>
    <message>
        <source>made an operator</source>
        <translation>роль: оператор</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>отключена</translation>
    </message>
    <message>
        <source>enabled</source>
        <translation>включена</translation>
    </message>
    <message>
        <source>password reset</source>
        <translation>пароль сброшен</translation>
    </message>
</context>
<context>
    <name>AddUserDialog</name>
    <message>
        <source>New account</source>
        <translation>Новая учётная запись</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>Эл. почта</translation>
    </message>
    <message>
        <source>Password (at least 8 characters)</source>
        <translation>Пароль (не менее 8 символов)</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Пароль</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Роль</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Добавить</translation>
    </message>
</context>
<context>
    <name>ApiError</name>
    <message>
        <source>This API key is not allowed to do this.</source>
        <translation>Этому ключу это не разрешено.</translation>
    </message>
    <message>
        <source>The same request is still being processed. Try again in a moment.</source>
        <translation>Такой же запрос ещё обрабатывается. Повторите чуть позже.</translation>
    </message>
    <message>
        <source>The API key was not found.</source>
        <translation>Ключ доступа не найден.</translation>
    </message>
    <message>
        <source>Please check the data you entered.</source>
        <translation>Проверьте введённые данные.</translation>
    </message>
    <message>
        <source>Wrong email or password.</source>
        <translation>Неверная эл. почта или пароль.</translation>
    </message>
    <message>
        <source>An operator with this email already exists.</source>
        <translation>Оператор с такой эл. почтой уже есть.</translation>
    </message>
    <message>
        <source>Too many attempts. Wait a minute and try again.</source>
        <translation>Слишком много попыток. Подождите минуту и повторите.</translation>
    </message>
    <message>
        <source>You are not allowed to do this.</source>
        <translation>У вас нет прав на это действие.</translation>
    </message>
    <message>
        <source>A call is already in progress.</source>
        <translation>Звонок уже идёт.</translation>
    </message>
    <message>
        <source>The telephony provider is unavailable. Try again later.</source>
        <translation>Оператор связи недоступен. Повторите попытку позже.</translation>
    </message>
    <message>
        <source>The call was not found.</source>
        <translation>Звонок не найден.</translation>
    </message>
    <message>
        <source>The call cannot do this in its current state.</source>
        <translation>В текущем состоянии звонка это невозможно.</translation>
    </message>
    <message>
        <source>The database is unavailable. Try again later.</source>
        <translation>База данных недоступна. Повторите попытку позже.</translation>
    </message>
    <message>
        <source>The Switchboard server cannot be reached.</source>
        <translation>Сервер Switchboard недоступен.</translation>
    </message>
    <message>
        <source>The request is too large.</source>
        <translation>Слишком большой запрос.</translation>
    </message>
    <message>
        <source>The passwords do not match.</source>
        <translation>Пароли не совпадают.</translation>
    </message>
    <message>
        <source>Enter your email address.</source>
        <translation>Введите адрес эл. почты.</translation>
    </message>
    <message>
        <source>The password must have at least 8 characters.</source>
        <translation>Пароль должен содержать не менее 8 символов.</translation>
    </message>
    <message>
        <source>The file could not be written.</source>
        <translation>Не удалось записать файл.</translation>
    </message>
    <message>
        <source>Something went wrong. Try again.</source>
        <translation>Что-то пошло не так. Повторите попытку.</translation>
    </message>
    <message>
        <source>The file could not be read.</source>
        <translation>Не удалось прочитать файл.</translation>
    </message>
    <message>
        <source>The contact was not found.</source>
        <translation>Контакт не найден.</translation>
    </message>
    <message>
        <source>A contact with this number already exists.</source>
        <translation>Контакт с этим номером уже есть.</translation>
    </message>
    <message>
        <source>It was not found. It may have been removed; reload the list.</source>
        <translation>Не найдено. Возможно, это уже удалено; обновите список.</translation>
    </message>
    <message>
        <source>The server is busy. Try again in a moment.</source>
        <translation>Сервер занят. Повторите чуть позже.</translation>
    </message>
    <message>
        <source>The team must keep an active admin. Make someone else an admin first.</source>
        <translation>В команде должен остаться действующий администратор. Сначала назначьте администратором кого-то другого.</translation>
    </message>
    <message>
        <source>Check the country codes (two letters, such as GB or DE) and that no limit is negative.</source>
        <translation>Проверьте коды стран (две буквы, например GB или DE) и что ни одно ограничение не отрицательное.</translation>
    </message>
    <message>
        <source>This server has no calling policy yet.</source>
        <translation>На этом сервере пока нет правил звонков.</translation>
    </message>
</context>
<context>
    <name>AuditAction</name>
    <message>
        <source>Registered</source>
        <translation>Регистрация</translation>
    </message>
    <message>
        <source>Account added</source>
        <translation>Добавлена учётная запись</translation>
    </message>
    <message>
        <source>Account changed</source>
        <translation>Изменена учётная запись</translation>
    </message>
    <message>
        <source>Logged in</source>
        <translation>Вход</translation>
    </message>
    <message>
        <source>Login failed</source>
        <translation>Неудачный вход</translation>
    </message>
    <message>
        <source>Logged out</source>
        <translation>Выход</translation>
    </message>
    <message>
        <source>Logged out everywhere</source>
        <translation>Выход на всех устройствах</translation>
    </message>
    <message>
        <source>Calling policy changed</source>
        <translation>Изменены правила звонков</translation>
    </message>
    <message>
        <source>Call placed</source>
        <translation>Звонок начат</translation>
    </message>
    <message>
        <source>Call ended</source>
        <translation>Звонок завершён</translation>
    </message>
    <message>
        <source>Call refused</source>
        <translation>Звонок запрещён</translation>
    </message>
    <message>
        <source>Calling policy</source>
        <translation>Правила звонков</translation>
    </message>
</context>
<context>
    <name>AuditTrailPane</name>
    <message>
        <source>Who (full email)</source>
        <translation>Кто (эл. почта полностью)</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Действие</translation>
    </message>
    <message>
        <source>All actions</source>
        <translation>Все действия</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>Обновить</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Когда</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Что</translation>
    </message>
    <message>
        <source>Whom, by whom, from where</source>
        <translation>Кого касается, кто и откуда</translation>
    </message>
    <message>
        <source>no one logged in</source>
        <translation>кто: без входа в систему</translation>
    </message>
    <message>
        <source>by %1</source>
        <translation>кто: %1</translation>
    </message>
    <message>
        <source>from %1</source>
        <translation>откуда: %1</translation>
    </message>
    <message>
        <source>Loading the audit trail…</source>
        <translation>Загрузка журнала аудита…</translation>
    </message>
    <message>
        <source>Nothing recorded matches.</source>
        <translation>Подходящих записей нет.</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Повторить</translation>
    </message>
    <message numerus="yes">
        <source>Page %1 of %2 · %n event(s)</source>
        <translation>
            <numerusform>Страница %1 из %2 · %n событие</numerusform>
            <numerusform>Страница %1 из %2 · %n события</numerusform>
            <numerusform>Страница %1 из %2 · %n событий</numerusform>
        </translation>
    </message>
    <message>
        <source>Newer</source>
        <translation>Новее</translation>
    </message>
    <message>
        <source>Older</source>
        <translation>Старее</translation>
    </message>
</context>
<context>
    <name>CallEvent</name>
    <message>
        <source>%1 s</source>
        <translation>%1 с</translation>
    </message>
    <message>
        <source>%1 is not an allowed country</source>
        <translation>%1 — не разрешённая страна</translation>
    </message>
    <message>
        <source>the team&apos;s limit of %1 calls at once</source>
        <translation>предел команды: %1 звонков одновременно</translation>
    </message>
    <message>
        <source>the limit of %1 calls a day</source>
        <translation>предел: %1 звонков в сутки</translation>
    </message>
</context>
<context>
    <name>CallNotesDialog</name>
    <message>
        <source>Call ended: %1</source>
        <translation>Звонок завершён: %1</translation>
    </message>
    <message>
        <source>Notes on the call with %1</source>
        <translation>Заметки о звонке: %1</translation>
    </message>
    <message>
        <source>Record how it went, or skip.</source>
        <translation>Запишите итог звонка или пропустите.</translation>
    </message>
    <message>
        <source>Notes (up to 4000 characters)</source>
        <translation>Заметки (до 4000 символов)</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Заметки</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>Пропустить</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Сохранить</translation>
    </message>
</context>
<context>
    <name>CallOutcome</name>
    <message>
        <source>Answered</source>
        <translation>Ответили</translation>
    </message>
    <message>
        <source>Interested</source>
        <translation>Заинтересован</translation>
    </message>
    <message>
        <source>Call back</source>
        <translation>Перезвонить</translation>
    </message>
    <message>
        <source>Not interested</source>
        <translation>Не заинтересован</translation>
    </message>
    <message>
        <source>Wrong number</source>
        <translation>Ошибочный номер</translation>
    </message>
    <message>
        <source>Voicemail</source>
        <translation>Автоответчик</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Другое</translation>
    </message>
</context>
<context>
    <name>CallStatus</name>
    <message>
        <source>Initiated</source>
        <translation>Создан</translation>
    </message>
    <message>
        <source>Connecting</source>
        <translation>Соединение</translation>
    </message>
    <message>
        <source>In call</source>
        <translation>Идёт разговор</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Завершён</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Ошибка</translation>
    </message>
    <message>
        <source>Canceled</source>
        <translation>Отменён</translation>
    </message>
</context>
<context>
    <name>CallingPolicyPane</name>
    <message>
        <source>Saved.</source>
        <translation>Сохранено.</translation>
    </message>
    <message>
        <source>The rules every operator&apos;s calls follow.</source>
        <translation>Правила, по которым звонят все операторы.</translation>
    </message>
    <message>
        <source>Loading the policy…</source>
        <translation>Загрузка правил…</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Повторить</translation>
    </message>
    <message>
        <source>Countries operators may call</source>
        <translation>Страны, куда операторам можно звонить</translation>
    </message>
    <message>
        <source>All countries</source>
        <translation>Все страны</translation>
    </message>
    <message>
        <source>Two-letter codes separated by commas, such as GB, DE. Empty: every country.</source>
        <translation>Двухбуквенные коды через запятую, например GB, DE. Пусто — все страны.</translation>
    </message>
    <message>
        <source>Calls per operator per day</source>
        <translation>Звонков на оператора в день</translation>
    </message>
    <message>
        <source>0: no limit.</source>
        <translation>0 — без ограничения.</translation>
    </message>
    <message>
        <source>Longest call, in seconds</source>
        <translation>Наибольшая длительность звонка, в секундах</translation>
    </message>
    <message>
        <source>Calls at the same time, whole team</source>
        <translation>Одновременных звонков на всю команду</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Сохранить</translation>
    </message>
    <message>
        <source>Undo changes</source>
        <translation>Отменить изменения</translation>
    </message>
    <message>
        <source>Never changed.</source>
        <translation>Ещё не изменялись.</translation>
    </message>
    <message>
        <source>Last changed %1.</source>
        <translation>Последнее изменение: %1.</translation>
    </message>
    <message>
        <source>Last changed %1 by %2.</source>
        <translation>Последнее изменение: %1, автор — %2.</translation>
    </message>
</context>
<context>
    <name>ContactDialog</name>
    <message>
        <source>New contact</source>
        <translation>Новый контакт</translation>
    </message>
    <message>
        <source>Edit contact</source>
        <translation>Изменить контакт</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Имя</translation>
    </message>
    <message>
        <source>Phone number (international, with +)</source>
        <translation>Номер телефона (международный, с +)</translation>
    </message>
    <message>
        <source>Phone number</source>
        <translation>Номер телефона</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>Компания</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Заметки</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Сохранить</translation>
    </message>
</context>
<context>
    <name>ContactsPage</name>
    <message numerus="yes">
        <source>Imported %n contact(s).</source>
        <translation>
            <numerusform>Импортирован %n контакт.</numerusform>
            <numerusform>Импортировано %n контакта.</numerusform>
            <numerusform>Импортировано %n контактов.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Skipped %n line(s):</source>
        <translation>
            <numerusform>Пропущена %n строка:</numerusform>
            <numerusform>Пропущено %n строки:</numerusform>
            <numerusform>Пропущено %n строк:</numerusform>
        </translation>
    </message>
    <message>
        <source>Contacts exported to %1</source>
        <translation>Контакты экспортированы в %1</translation>
    </message>
    <message>
        <source>Search by name, company or number</source>
        <translation>Поиск по имени, компании или номеру</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Добавить</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Импорт</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Экспорт</translation>
    </message>
    <message>
        <source>Contact files (*.csv *.vcf)</source>
        <translation>Файлы контактов (*.csv *.vcf)</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Файлы CSV (*.csv)</translation>
    </message>
    <message>
        <source>vCard files (*.vcf)</source>
        <translation>Файлы vCard (*.vcf)</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Имя</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Номер</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>Компания</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>Позвонить</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Изменить</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <source>Loading contacts…</source>
        <translation>Загрузка контактов…</translation>
    </message>
    <message>
        <source>No contacts yet. Add one or import a file.</source>
        <translation>Контактов пока нет. Добавьте контакт или импортируйте файл.</translation>
    </message>
    <message>
        <source>No contacts match.</source>
        <translation>Подходящих контактов нет.</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Повторить</translation>
    </message>
    <message>
        <source>%1 of %2 contacts shown</source>
        <translation>Показано контактов: %1 из %2</translation>
    </message>
    <message>
        <source>Delete %1 from your contacts?</source>
        <translation>Удалить %1 из контактов?</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <source>Calls initiated</source>
        <translation>Начато звонков</translation>
    </message>
    <message>
        <source>Calls completed</source>
        <translation>Завершено звонков</translation>
    </message>
    <message>
        <source>Average duration</source>
        <translation>Средняя длительность</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 с</translation>
    </message>
    <message>
        <source>VoIP error rate</source>
        <translation>Доля ошибок VoIP</translation>
    </message>
    <message>
        <source>Active sessions</source>
        <translation>Активные сеансы</translation>
    </message>
    <message>
        <source>Active sessions, last two minutes</source>
        <translation>Активные сеансы за последние две минуты</translation>
    </message>
    <message>
        <source>The team&apos;s calls</source>
        <translation>Звонки команды</translation>
    </message>
    <message>
        <source>Your calls</source>
        <translation>Ваши звонки</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Сегодня</translation>
    </message>
    <message>
        <source>7 days</source>
        <translation>7 дней</translation>
    </message>
    <message>
        <source>30 days</source>
        <translation>30 дней</translation>
    </message>
    <message>
        <source>Calls per hour</source>
        <translation>Звонки по часам</translation>
    </message>
    <message>
        <source>Calls per day</source>
        <translation>Звонки по дням</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Завершены</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Не удались</translation>
    </message>
    <message>
        <source>Canceled</source>
        <translation>Отменены</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>Идут</translation>
    </message>
    <message>
        <source>Average duration of completed calls</source>
        <translation>Средняя длительность завершённых звонков</translation>
    </message>
    <message>
        <source>seconds</source>
        <translation>секунды</translation>
    </message>
    <message>
        <source>Call quality (MOS) of the calls shown</source>
        <translation>Качество связи (MOS) этих звонков</translation>
    </message>
    <message>
        <source>Calls</source>
        <translation>Звонки</translation>
    </message>
    <message>
        <source>seconds ago</source>
        <translation>секунд назад</translation>
    </message>
</context>
<context>
    <name>FailureReason</name>
    <message>
        <source>provider unavailable</source>
        <translation>оператор связи недоступен</translation>
    </message>
    <message>
        <source>provider error</source>
        <translation>ошибка оператора связи</translation>
    </message>
    <message>
        <source>no audio connection</source>
        <translation>нет аудиосоединения</translation>
    </message>
    <message>
        <source>busy</source>
        <translation>занято</translation>
    </message>
    <message>
        <source>no answer</source>
        <translation>нет ответа</translation>
    </message>
    <message>
        <source>not answered in time</source>
        <translation>не ответили вовремя</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>прервано</translation>
    </message>
    <message>
        <source>your softphone did not take the call</source>
        <translation>ваш софтфон не принял звонок</translation>
    </message>
</context>
<context>
    <name>HelpOverlay</name>
    <message>
        <source>Anywhere</source>
        <translation>Везде</translation>
    </message>
    <message>
        <source>F1 or ?</source>
        <translation>F1 или ?</translation>
    </message>
    <message>
        <source>This help (? only outside text fields)</source>
        <translation>Эта справка (? — только вне полей ввода)</translation>
    </message>
    <message>
        <source>Next / previous control</source>
        <translation>Следующий / предыдущий элемент</translation>
    </message>
    <message>
        <source>Call page</source>
        <translation>Страница звонка</translation>
    </message>
    <message>
        <source>0–9 + * #</source>
        <translation>0–9 + * #</translation>
    </message>
    <message>
        <source>Type the number; in a call, send tones</source>
        <translation>Набрать номер; во время звонка — отправить тоны</translation>
    </message>
    <message>
        <source>Call the number or the chosen recent call</source>
        <translation>Позвонить на номер или на выбранный звонок из списка</translation>
    </message>
    <message>
        <source>Hang up</source>
        <translation>Завершить звонок</translation>
    </message>
    <message>
        <source>Mute or unmute the microphone</source>
        <translation>Выключить или включить микрофон</translation>
    </message>
    <message>
        <source>Hold or resume the call</source>
        <translation>Поставить звонок на удержание или продолжить</translation>
    </message>
    <message>
        <source>Show or hide the keypad</source>
        <translation>Показать или скрыть клавиатуру</translation>
    </message>
    <message>
        <source>Transfer the call</source>
        <translation>Перевести звонок</translation>
    </message>
    <message>
        <source>History</source>
        <translation>История</translation>
    </message>
    <message>
        <source>Choose a call</source>
        <translation>Выбрать звонок</translation>
    </message>
    <message>
        <source>Call the chosen number again</source>
        <translation>Позвонить на выбранный номер ещё раз</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Сочетания клавиш</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Закрыть</translation>
    </message>
    <message>
        <source>Call, History, Contacts, Dashboard, Settings</source>
        <translation>Звонок, История, Контакты, Статистика, Настройки</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>Контакты</translation>
    </message>
    <message>
        <source>Choose a contact</source>
        <translation>Выбрать контакт</translation>
    </message>
    <message>
        <source>Call the chosen contact</source>
        <translation>Позвонить выбранному контакту</translation>
    </message>
    <message>
        <source>Call, History, Contacts, Dashboard, Settings, Team</source>
        <translation>Звонок, История, Контакты, Статистика, Настройки, Команда</translation>
    </message>
</context>
<context>
    <name>HistoryPage</name>
    <message numerus="yes">
        <source>Exported %n call(s) to %1</source>
        <translation>
            <numerusform>Экспортирован %n звонок в %1</numerusform>
            <numerusform>Экспортировано %n звонка в %1</numerusform>
            <numerusform>Экспортировано %n звонков в %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Search by number</source>
        <translation>Поиск по номеру</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>Все статусы</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Завершён</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Ошибка</translation>
    </message>
    <message>
        <source>Canceled</source>
        <translation>Отменён</translation>
    </message>
    <message>
        <source>In call</source>
        <translation>Идёт разговор</translation>
    </message>
    <message>
        <source>Connecting</source>
        <translation>Соединение</translation>
    </message>
    <message>
        <source>From (YYYY-MM-DD)</source>
        <translation>С (ГГГГ-ММ-ДД)</translation>
    </message>
    <message>
        <source>To (YYYY-MM-DD)</source>
        <translation>По (ГГГГ-ММ-ДД)</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>Экспорт в CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Файлы CSV (*.csv)</translation>
    </message>
    <message>
        <source>Date and time</source>
        <translation>Дата и время</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Номер</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Длительность</translation>
    </message>
    <message>
        <source>Redial</source>
        <translation>Перезвонить</translation>
    </message>
    <message>
        <source>Loading calls…</source>
        <translation>Загрузка звонков…</translation>
    </message>
    <message>
        <source>No calls match.</source>
        <translation>Подходящих звонков нет.</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Повторить</translation>
    </message>
    <message>
        <source>%1 of %2 calls shown</source>
        <translation>Показано %1 из %2 звонков</translation>
    </message>
    <message>
        <source>All outcomes</source>
        <translation>Все итоги</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Заметки</translation>
    </message>
    <message>
        <source>Add contact</source>
        <translation>В контакты</translation>
    </message>
</context>
<context>
    <name>ImportProblem</name>
    <message>
        <source>not a well-formed line of the file</source>
        <translation>строка файла составлена неверно</translation>
    </message>
    <message>
        <source>the name is missing or too long</source>
        <translation>имя не указано или слишком длинное</translation>
    </message>
    <message>
        <source>the number is missing or not a valid international number</source>
        <translation>номер не указан или не является допустимым международным номером</translation>
    </message>
    <message>
        <source>the company is too long</source>
        <translation>название компании слишком длинное</translation>
    </message>
    <message>
        <source>the notes are too long</source>
        <translation>заметки слишком длинные</translation>
    </message>
    <message>
        <source>the number is on an earlier line of the file</source>
        <translation>этот номер уже встречается выше в файле</translation>
    </message>
    <message>
        <source>a contact with this number already exists</source>
        <translation>контакт с этим номером уже есть</translation>
    </message>
</context>
<context>
    <name>LanguageSwitch</name>
    <message>
        <source>Language</source>
        <translation>Язык</translation>
    </message>
</context>
<context>
    <name>LoginFailure</name>
    <message>
        <source>wrong email or password</source>
        <translation>неверная эл. почта или пароль</translation>
    </message>
    <message>
        <source>the account is disabled</source>
        <translation>учётная запись отключена</translation>
    </message>
</context>
<context>
    <name>LoginPage</name>
    <message>
        <source>Switchboard</source>
        <translation>Switchboard</translation>
    </message>
    <message>
        <source>Create an operator account</source>
        <translation>Регистрация оператора</translation>
    </message>
    <message>
        <source>Log in to the operator console</source>
        <translation>Вход в консоль оператора</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>Эл. почта</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Пароль</translation>
    </message>
    <message>
        <source>Repeat the password</source>
        <translation>Повторите пароль</translation>
    </message>
    <message>
        <source>Register</source>
        <translation>Зарегистрироваться</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>Войти</translation>
    </message>
    <message>
        <source>I already have an account</source>
        <translation>У меня уже есть учётная запись</translation>
    </message>
    <message>
        <source>Create an account</source>
        <translation>Создать учётную запись</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>Switchboard — %1</source>
        <translation>Switchboard — %1</translation>
    </message>
    <message>
        <source>Switchboard</source>
        <translation>Switchboard</translation>
    </message>
</context>
<context>
    <name>NavigationRail</name>
    <message>
        <source>Call</source>
        <translation>Звонок</translation>
    </message>
    <message>
        <source>History</source>
        <translation>История</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>Статистика</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Настройки</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>Справка</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>Выйти</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>Контакты</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>Команда</translation>
    </message>
</context>
<context>
    <name>Notice</name>
    <message>
        <source>You have logged out.</source>
        <translation>Вы вышли из системы.</translation>
    </message>
    <message>
        <source>Your session has expired or was ended. Please log in again.</source>
        <translation>Сеанс истёк или был завершён. Войдите снова.</translation>
    </message>
    <message>
        <source>You have logged out here, but the server could not be told: your session stays valid until it expires (%1).</source>
        <translation>Вы вышли из консоли, но сообщить об этом серверу не удалось: сеанс остаётся действительным, пока не истечёт (%1).</translation>
    </message>
</context>
<context>
    <name>OutcomeBox</name>
    <message>
        <source>No outcome</source>
        <translation>Без итога</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Итог</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>Ответили</translation>
    </message>
    <message>
        <source>Interested</source>
        <translation>Заинтересован</translation>
    </message>
    <message>
        <source>Call back</source>
        <translation>Перезвонить</translation>
    </message>
    <message>
        <source>Not interested</source>
        <translation>Не заинтересован</translation>
    </message>
    <message>
        <source>Wrong number</source>
        <translation>Ошибочный номер</translation>
    </message>
    <message>
        <source>Voicemail</source>
        <translation>Автоответчик</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Другое</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <source>New password for %1</source>
        <translation>Новый пароль для %1</translation>
    </message>
    <message>
        <source>Their open sessions end. Tell them the new password yourself.</source>
        <translation>Открытые сеансы этого пользователя завершатся. Сообщите ему новый пароль сами.</translation>
    </message>
    <message>
        <source>New password (at least 8 characters)</source>
        <translation>Новый пароль (не менее 8 символов)</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>Новый пароль</translation>
    </message>
    <message>
        <source>The same again</source>
        <translation>Ещё раз</translation>
    </message>
    <message>
        <source>New password again</source>
        <translation>Новый пароль ещё раз</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Сохранить</translation>
    </message>
</context>
<context>
    <name>PolicyChange</name>
    <message>
        <source>every country</source>
        <translation>все страны</translation>
    </message>
    <message>
        <source>countries: %1</source>
        <translation>страны: %1</translation>
    </message>
    <message>
        <source>%1 calls a day per operator</source>
        <translation>%1 звонков в сутки на оператора</translation>
    </message>
    <message>
        <source>calls up to %1 s</source>
        <translation>звонки до %1 с</translation>
    </message>
    <message>
        <source>%1 calls at once</source>
        <translation>%1 звонков одновременно</translation>
    </message>
</context>
<context>
    <name>Role</name>
    <message>
        <source>Admin</source>
        <translation>Администратор</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>Оператор</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>API keys</source>
        <translation>Ключи API</translation>
    </message>
    <message>
        <source>Keys let scripts and CRMs use the API as you. Create them with POST /api/keys; revoke one here and it stops working at once.</source>
        <translation>Ключи позволяют скриптам и CRM работать с API от вашего имени. Создайте ключ запросом POST /api/keys; отозванный здесь ключ сразу перестаёт действовать.</translation>
    </message>
    <message>
        <source>No API keys.</source>
        <translation>Ключей API нет.</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Загрузка…</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Повторить</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>Отозвать</translation>
    </message>
    <message>
        <source>Revoke the key %1</source>
        <translation>Отозвать ключ %1</translation>
    </message>
    <message>
        <source>created %1 · last used %2</source>
        <translation>создан %1 · использован %2</translation>
    </message>
    <message>
        <source>never</source>
        <translation>никогда</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Настройки</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Язык</translation>
    </message>
    <message>
        <source>Logged in as %1</source>
        <translation>Вы вошли как %1</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>Выйти</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Тема</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>Окно</translation>
    </message>
    <message>
        <source>Keep running in the tray when the window is closed</source>
        <translation>Оставаться в трее при закрытии окна</translation>
    </message>
    <message>
        <source>This desktop has no system tray: closing the window quits Switchboard.</source>
        <translation>На этом рабочем столе нет системного трея: закрытие окна завершает Switchboard.</translation>
    </message>
</context>
<context>
    <name>StatusLine</name>
    <message>
        <source>Provider: %1</source>
        <translation>Оператор связи: %1</translation>
    </message>
    <message>
        <source>API: %1</source>
        <translation>API: %1</translation>
    </message>
    <message>
        <source>Database: %1</source>
        <translation>База данных: %1</translation>
    </message>
    <message>
        <source>Operator: %1</source>
        <translation>Оператор: %1</translation>
    </message>
</context>
<context>
    <name>Switchboard::Gui::CallActivityChart</name>
    <message>
        <source>Excellent</source>
        <translation>Отличное</translation>
    </message>
    <message>
        <source>Good</source>
        <translation>Хорошее</translation>
    </message>
    <message>
        <source>Fair</source>
        <translation>Среднее</translation>
    </message>
    <message>
        <source>Poor</source>
        <translation>Плохое</translation>
    </message>
    <message>
        <source>Bad</source>
        <translation>Очень плохое</translation>
    </message>
</context>
<context>
    <name>Switchboard::Gui::ContactsModel</name>
    <message>
        <source>line %1: %2</source>
        <translation>строка %1: %2</translation>
    </message>
</context>
<context>
    <name>Switchboard::Gui::TrayIcon</name>
    <message>
        <source>Show Switchboard</source>
        <translation>Показать Switchboard</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Выйти</translation>
    </message>
    <message>
        <source>Idle</source>
        <translation>Свободен</translation>
    </message>
    <message>
        <source>Switchboard — %1</source>
        <translation>Switchboard — %1</translation>
    </message>
    <message>
        <source>Call failed</source>
        <translation>Звонок не удался</translation>
    </message>
    <message>
        <source>Call ended</source>
        <translation>Звонок завершён</translation>
    </message>
    <message>
        <source>The call with %1 has ended.</source>
        <translation>Звонок с %1 завершён.</translation>
    </message>
</context>
<context>
    <name>TeamPage</name>
    <message>
        <source>Team</source>
        <translation>Команда</translation>
    </message>
    <message>
        <source>Operators</source>
        <translation>Операторы</translation>
    </message>
    <message>
        <source>Calling policy</source>
        <translation>Правила звонков</translation>
    </message>
    <message>
        <source>Audit trail</source>
        <translation>Журнал аудита</translation>
    </message>
</context>
<context>
    <name>TeamUsersPane</name>
    <message>
        <source>Disable %1?</source>
        <translation>Отключить %1?</translation>
    </message>
    <message>
        <source>They can no longer log in, and their open sessions end at once. You can enable the account again.</source>
        <translation>Пользователь больше не сможет войти, его открытые сеансы сразу завершатся. Учётную запись можно снова включить.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>Отключить</translation>
    </message>
    <message>
        <source>Everyone who can log in to this console. A new role, a new password or a disabled account takes effect at once: that person is logged out.</source>
        <translation>Все, кто может входить в эту консоль. Новая роль, новый пароль или отключение действуют сразу: пользователь выходит из системы.</translation>
    </message>
    <message>
        <source>Add account</source>
        <translation>Добавить учётную запись</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>Эл. почта</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Роль</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Состояние</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Создана</translation>
    </message>
    <message>
        <source>%1 (you)</source>
        <translation>%1 (вы)</translation>
    </message>
    <message>
        <source>Role of %1</source>
        <translation>Роль: %1</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>Отключена</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Активна</translation>
    </message>
    <message>
        <source>Reset password</source>
        <translation>Сбросить пароль</translation>
    </message>
    <message>
        <source>Enable</source>
        <translation>Включить</translation>
    </message>
    <message>
        <source>Loading accounts…</source>
        <translation>Загрузка учётных записей…</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Повторить</translation>
    </message>
</context>
<context>
    <name>ThemeSwitch</name>
    <message>
        <source>Follow the system</source>
        <translation>Как в системе</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Светлая</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Тёмная</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Тема</translation>
    </message>
</context>
</TS>
