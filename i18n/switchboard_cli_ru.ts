<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>Cli</name>
    <message>
        <source>see --help</source>
        <translation>см. --help</translation>
    </message>
    <message>
        <source>no display (DISPLAY and WAYLAND_DISPLAY are unset), so no console window: run the server alone with switchboard --headless</source>
        <translation>нет дисплея (DISPLAY и WAYLAND_DISPLAY не заданы), окну консоли негде открыться: сервер без окна запускается командой switchboard --headless</translation>
    </message>
    <message>
        <source>Run the backend (the REST API) alone, without the console window.</source>
        <translation>Запустить только сервер (REST API), без окна консоли.</translation>
    </message>
    <message>
        <source>address</source>
        <translation>адрес</translation>
    </message>
    <message>
        <source>Address to listen on (SERVER_HOST).</source>
        <translation>Адрес, на котором слушать (SERVER_HOST).</translation>
    </message>
    <message>
        <source>port</source>
        <translation>порт</translation>
    </message>
    <message>
        <source>Port to listen on (SERVER_PORT).</source>
        <translation>Порт, на котором слушать (SERVER_PORT).</translation>
    </message>
    <message>
        <source>url</source>
        <translation>url</translation>
    </message>
    <message>
        <source>SQLite file, sqlite:///path or postgres://… URL (DATABASE_URL).</source>
        <translation>Файл SQLite, sqlite:///путь или URL postgres://… (DATABASE_URL).</translation>
    </message>
    <message>
        <source>Allow plain HTTP on a non-loopback address (SERVER_INSECURE=1).</source>
        <translation>Разрешить HTTP без шифрования на адресе, отличном от loopback (SERVER_INSECURE=1).</translation>
    </message>
    <message>
        <source>file</source>
        <translation>файл</translation>
    </message>
    <message>
        <source>Read variables from KEY=VALUE lines (as the service&apos;s /etc/switchboard/switchboard.env); they override the environment.</source>
        <translation>Прочитать переменные из строк КЛЮЧ=ЗНАЧЕНИЕ (как /etc/switchboard/switchboard.env службы); они важнее переменных окружения.</translation>
    </message>
    <message>
        <source>Load the console&apos;s interface, then exit (non-zero on failure).</source>
        <translation>Загрузить интерфейс консоли и выйти (при ошибке — с ненулевым кодом).</translation>
    </message>
    <message>
        <source>Show this help and exit.</source>
        <translation>Показать эту справку и выйти.</translation>
    </message>
    <message>
        <source>Show the version and exit.</source>
        <translation>Показать версию и выйти.</translation>
    </message>
    <message>
        <source>only one tel: link can be given</source>
        <translation>можно указать только одну ссылку tel:</translation>
    </message>
    <message>
        <source>not a tel: link or a command: %1</source>
        <translation>не ссылка tel: и не команда: %1</translation>
    </message>
    <message>
        <source>%1 is a command of its own: no --headless or --self-test</source>
        <translation>%1 — отдельная команда: без --headless и --self-test</translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation>не удаётся прочитать %1: %2</translation>
    </message>
    <message>
        <source>%1, line %2: not a KEY=VALUE line</source>
        <translation>%1, строка %2: не строка вида КЛЮЧ=ЗНАЧЕНИЕ</translation>
    </message>
    <message>
        <source>address the API listens on (default 127.0.0.1)</source>
        <translation>адрес, на котором слушает API (по умолчанию 127.0.0.1)</translation>
    </message>
    <message>
        <source>port (default 8080; 0 picks a free one)</source>
        <translation>порт (по умолчанию 8080; 0 — любой свободный)</translation>
    </message>
    <message>
        <source>serving threads sharing the port (default one per core, at most 16)</source>
        <translation>потоки, обслуживающие порт (по умолчанию по одному на ядро, не больше 16)</translation>
    </message>
    <message>
        <source>a request must arrive whole within this (default 10s; else 408)</source>
        <translation>за это время запрос должен прийти целиком (по умолчанию 10s; иначе 408)</translation>
    </message>
    <message>
        <source>an idle connection is closed after this (default 60s)</source>
        <translation>через это время простаивающее соединение закрывается (по умолчанию 60s)</translation>
    </message>
    <message>
        <source>1: allow plain HTTP on an address other than loopback (as --insecure)</source>
        <translation>1: разрешить HTTP без шифрования на адресе, отличном от loopback (как --insecure)</translation>
    </message>
    <message>
        <source>exact origins (https://crm.example.com, comma-separated) whose pages may call the API</source>
        <translation>точные источники (https://crm.example.com, через запятую), страницам которых разрешено обращаться к API</translation>
    </message>
    <message>
        <source>1: webhooks may reach loopback and private addresses (default 0: public ones only)</source>
        <translation>1: разрешить доставку вебхуков на loopback и частные адреса (по умолчанию 0: только публичные)</translation>
    </message>
    <message>
        <source>seconds between a webhook&apos;s attempts, comma-separated (default 5,300,1800,7200,18000,36000,36000)</source>
        <translation>секунды между попытками доставки вебхука, через запятую (по умолчанию 5,300,1800,7200,18000,36000,36000)</translation>
    </message>
    <message>
        <source>PEM certificate (chain): with TLS_KEY, the API speaks HTTPS</source>
        <translation>сертификат (цепочка) PEM: вместе с TLS_KEY API работает по HTTPS</translation>
    </message>
    <message>
        <source>its unencrypted PEM RSA or EC private key</source>
        <translation>его незашифрованный закрытый ключ RSA или EC в PEM</translation>
    </message>
    <message>
        <source>a file path, sqlite:///abs/path or postgres://user:pass@host:port/db (default DATA_DIR/switchboard.db)</source>
        <translation>путь к файлу, sqlite:///абсолютный/путь или postgres://user:pass@host:port/db (по умолчанию DATA_DIR/switchboard.db)</translation>
    </message>
    <message>
        <source>where the default database and the generated secret live (default ~/.local/share/switchboard)</source>
        <translation>где лежат база по умолчанию и созданный секрет (по умолчанию ~/.local/share/switchboard)</translation>
    </message>
    <message>
        <source>HS256 key of at least 32 characters (default: generated into DATA_DIR/jwt_secret, mode 0600)</source>
        <translation>ключ HS256 не короче 32 символов (по умолчанию создаётся в DATA_DIR/jwt_secret, права 0600)</translation>
    </message>
    <message>
        <source>token lifetime, and so the idle timeout: clients refresh the token while their operator is active; seconds or 90s, 30m, 24h (default 1h)</source>
        <translation>срок жизни токена, он же тайм-аут бездействия: клиенты обновляют токен, пока оператор работает; секунды или 90s, 30m, 24h (по умолчанию 1h)</translation>
    </message>
    <message>
        <source>a login ends this long after it began, refreshed or not (default and at most 12h)</source>
        <translation>вход заканчивается через это время после начала, обновлялся токен или нет (по умолчанию и не больше 12h)</translation>
    </message>
    <message>
        <source>login attempts per minute, per email and per client address (default 10)</source>
        <translation>попыток входа в минуту на email и на адрес клиента (по умолчанию 10)</translation>
    </message>
    <message>
        <source>open: anyone may register (rate-limited); closed: admins create the accounts (default open)</source>
        <translation>open: регистрироваться может любой (с ограничением частоты); closed: учётные записи создают администраторы (по умолчанию open)</translation>
    </message>
    <message>
        <source>registrations per hour per client address; 0 turns the limit off (default 20)</source>
        <translation>регистраций в час с одного адреса клиента; 0 отключает ограничение (по умолчанию 20)</translation>
    </message>
    <message>
        <source>connections the server holds in all; 0 = what the open-file limit leaves room for (default 0)</source>
        <translation>соединений у сервера всего; 0 — сколько позволяет лимит открытых файлов (по умолчанию 0)</translation>
    </message>
    <message>
        <source>bearer token (32+ characters) for /metrics when the server is not on loopback (default: an operator's token only)</source>
        <translation>токен (от 32 символов) для /metrics, когда сервер не на loopback (по умолчанию — только токен оператора)</translation>
    </message>
    <message>
        <source>connections from one client address; the excess is answered 503 (default 256)</source>
        <translation>соединений с одного адреса клиента; лишние получают 503 (по умолчанию 256)</translation>
    </message>
    <message>
        <source>mock (default) or twilio</source>
        <translation>mock (по умолчанию) или twilio</translation>
    </message>
    <message>
        <source>Twilio Account SID (AC…)</source>
        <translation>Account SID в Twilio (AC…)</translation>
    </message>
    <message>
        <source>Twilio Auth Token (REST calls without an API key; verifies status callbacks)</source>
        <translation>Auth Token в Twilio (запросы REST без ключа API; проверка обратных вызовов о статусе)</translation>
    </message>
    <message>
        <source>Twilio API key SID (SK…)</source>
        <translation>SID ключа API в Twilio (SK…)</translation>
    </message>
    <message>
        <source>its secret (also signs the softphone&apos;s Access Tokens)</source>
        <translation>его секрет (им же подписываются Access Token софтфона)</translation>
    </message>
    <message>
        <source>caller ID in E.164: a Twilio number or a verified one</source>
        <translation>номер звонящего в E.164: номер Twilio или подтверждённый номер</translation>
    </message>
    <message>
        <source>Twilio&apos;s API address (default https://api.twilio.com)</source>
        <translation>адрес API Twilio (по умолчанию https://api.twilio.com)</translation>
    </message>
    <message>
        <source>where Twilio reaches this server for status callbacks (unset: calls are polled)</source>
        <translation>адрес, по которому Twilio присылает этому серверу статусы (не задан — звонки опрашиваются)</translation>
    </message>
    <message>
        <source>optional TwiML App (AP…) for the Access Token</source>
        <translation>необязательное приложение TwiML (AP…) для Access Token</translation>
    </message>
    <message>
        <source>on (default) or off: the mock&apos;s far end with or without media</source>
        <translation>on (по умолчанию) или off: дальний конец имитатора со звуком или без</translation>
    </message>
    <message>
        <source>extra time the mock takes to place a call (default 0)</source>
        <translation>дополнительная задержка имитатора при наборе, мс (по умолчанию 0)</translation>
    </message>
    <message>
        <source>how long the mock&apos;s far end rings (default 1000)</source>
        <translation>сколько звучит вызов у дальнего конца имитатора, мс (по умолчанию 1000)</translation>
    </message>
    <message>
        <source>seconds the mock&apos;s no-answer number rings (default 30)</source>
        <translation>сколько секунд звонит номер имитатора «нет ответа» (по умолчанию 30)</translation>
    </message>
    <message>
        <source>seconds the mock&apos;s media may take or stall before the call fails (default 10)</source>
        <translation>сколько секунд медиа имитатора может устанавливаться или молчать, прежде чем звонок сорвётся (по умолчанию 10)</translation>
    </message>
    <message>
        <source>far ends the mock keeps ready (default 4)</source>
        <translation>сколько дальних концов имитатор держит наготове (по умолчанию 4)</translation>
    </message>
    <message>
        <source>how long the mock waits for a client's SDP answer before it plays the call out without media (default 5000)</source>
        <translation>сколько имитатор ждёт SDP-ответа клиента, прежде чем вести звонок без медиа (по умолчанию 5000)</translation>
    </message>
    <message>
        <source>live calls the mock takes at most; more are refused 503 (default 100)</source>
        <translation>сколько звонков имитатор ведёт одновременно; сверх этого — 503 (по умолчанию 100)</translation>
    </message>
    <message>
        <source>a call not answered by then fails (default 60s)</source>
        <translation>звонок без ответа за это время завершается ошибкой (по умолчанию 60s)</translation>
    </message>
    <message>
        <source>an active call older than this is ended (default 4h)</source>
        <translation>активный звонок старше этого завершается (по умолчанию 4h)</translation>
    </message>
    <message>
        <source>how often sessions are swept and live calls heartbeated (default 60000)</source>
        <translation>как часто проверяются сеансы и отмечаются идущие звонки, мс (по умолчанию 60000)</translation>
    </message>
    <message>
        <source>tells instances sharing one PostgreSQL apart (default host name)</source>
        <translation>различает экземпляры на одной базе PostgreSQL (по умолчанию имя хоста)</translation>
    </message>
    <message>
        <source>text (default) or json: one JSON object per line (time, level, category, message)</source>
        <translation>text (по умолчанию) или json: по объекту JSON в строке (time, level, category, message)</translation>
    </message>
    <message>
        <source>Qt&apos;s logging rules, e.g. switchboard.sessions.debug=true</source>
        <translation>правила журналирования Qt, например switchboard.sessions.debug=true</translation>
    </message>
    <message>
        <source>1: let the console&apos;s web engine run as root (without its sandbox)</source>
        <translation>1: разрешить веб-движку консоли работать от root (без песочницы)</translation>
    </message>
    <message>
        <source>Options:</source>
        <translation>Параметры:</translation>
    </message>
    <message>
        <source>Commands (for administrators; they read the same configuration as the server):</source>
        <translation>Команды (для администраторов; читают те же настройки, что и сервер):</translation>
    </message>
    <message>
        <source>Environment (flags override it):</source>
        <translation>Переменные окружения (параметры командной строки важнее):</translation>
    </message>
    <message>
        <source>Usage: switchboard [options] [tel:number]
       switchboard --headless [options]
       switchboard [--env-file FILE] [--database URL] COMMAND …
</source>
        <translation>Запуск: switchboard [параметры] [tel:номер]
       switchboard --headless [параметры]
       switchboard [--env-file ФАЙЛ] [--database URL] КОМАНДА …
</translation>
    </message>
    <message>
        <source>Switchboard: an operator console for international calls. Without a command it starts the backend and opens the console window; --headless runs the backend alone (for servers and external clients).</source>
        <translation>Switchboard — консоль оператора международных звонков. Без команды запускает сервер и открывает окно консоли; с --headless работает только сервер (для серверов и внешних клиентов).</translation>
    </message>
    <message>
        <source>Exit status: 0 done, 1 failed, 2 wrong usage or configuration.</source>
        <translation>Код выхода: 0 — готово, 1 — ошибка, 2 — неверный вызов или настройки.</translation>
    </message>
    <message>
        <source>Write a consistent copy of the SQLite database to FILE, also while a server runs (PostgreSQL: says how to use pg_dump).</source>
        <translation>Записать согласованную копию базы SQLite в FILE, в том числе при работающем сервере (для PostgreSQL подскажет, как запустить pg_dump).</translation>
    </message>
    <message>
        <source>Replace the SQLite database with a backup; refused while a server runs on it (the replaced file is kept beside it).</source>
        <translation>Заменить базу SQLite резервной копией; не выполняется, пока на базе работает сервер (заменённый файл сохраняется рядом).</translation>
    </message>
    <message>
        <source>Show applied, pending and unknown migrations.</source>
        <translation>Показать применённые, ожидающие и неизвестные миграции.</translation>
    </message>
    <message>
        <source>Apply the pending migrations up to number N (without N: all of them).</source>
        <translation>Применить ожидающие миграции до номера N включительно (без N — все).</translation>
    </message>
    <message>
        <source>Check every variable, the database, the provider&apos;s credentials and the TLS files; the exit status says whether all is well.</source>
        <translation>Проверить все переменные, базу, учётные данные провайдера и файлы TLS; код выхода говорит, всё ли в порядке.</translation>
    </message>
    <message>
        <source>Create a user; the password is asked for, or read from standard input.</source>
        <translation>Создать пользователя; пароль спрашивается или читается со стандартного ввода.</translation>
    </message>
    <message>
        <source>List the users.</source>
        <translation>Показать пользователей.</translation>
    </message>
    <message>
        <source>Set a user&apos;s password.</source>
        <translation>Задать пароль пользователя.</translation>
    </message>
</context>
</TS>
