<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>Cli</name>
    <message>
        <source>see --help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no display (DISPLAY and WAYLAND_DISPLAY are unset), so no console window: run the server alone with switchboard --headless</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run the backend (the REST API) alone, without the console window.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address to listen on (SERVER_HOST).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port to listen on (SERVER_PORT).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>url</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SQLite file, sqlite:///path or postgres://… URL (DATABASE_URL).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allow plain HTTP on a non-loopback address (SERVER_INSECURE=1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read variables from KEY=VALUE lines (as the service&apos;s /etc/switchboard/switchboard.env); they override the environment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load the console&apos;s interface, then exit (non-zero on failure).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show this help and exit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the version and exit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only one tel: link can be given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>neither a command nor a tel: link: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is a command of its own: no --headless or --self-test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, line %2: not a KEY=VALUE line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>address the API listens on (default 127.0.0.1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>port (default 8080; 0 picks a free one)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a request must arrive whole within this (default 10s; else 408)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an idle connection is closed after this (default 60s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1: allow plain HTTP on an address other than loopback (as --insecure)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PEM certificate (chain): with TLS_KEY, the API speaks HTTPS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>its unencrypted PEM RSA or EC private key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a file path, sqlite:///abs/path or postgres://user:pass@host:port/db (default DATA_DIR/switchboard.db)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>where the default database and the generated secret live (default ~/.local/share/switchboard)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HS256 key of at least 32 characters (default: generated into DATA_DIR/jwt_secret, mode 0600)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>token lifetime: seconds or 90s, 30m, 24h, 7d (default 24h)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>login attempts per minute, per email and per client address (default 10)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mock (default) or twilio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Twilio Account SID (AC…)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Twilio Auth Token (REST calls without an API key; verifies status callbacks)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Twilio API key SID (SK…)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>its secret (also signs the softphone&apos;s Access Tokens)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>caller ID in E.164: a Twilio number or a verified one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Twilio&apos;s API address (default https://api.twilio.com)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>where Twilio reaches this server for status callbacks (unset: calls are polled)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>optional TwiML App (AP…) for the Access Token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>on (default) or off: the mock&apos;s far end with or without media</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>extra time the mock takes to place a call (default 0)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>how long the mock&apos;s far end rings (default 1000)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>seconds the mock&apos;s no-answer number rings (default 30)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>seconds the mock&apos;s media may take or stall before the call fails (default 10)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>far ends the mock keeps ready (default 4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a call not answered by then fails (default 60s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an active call older than this is ended (default 4h)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>how often sessions are swept and live calls heartbeated (default 60000)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tells instances sharing one PostgreSQL apart (default host name)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>text (default) or json: one JSON object per line (time, level, category, message)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Qt&apos;s logging rules, e.g. switchboard.sessions.debug=true</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1: let the console&apos;s web engine run as root (without its sandbox)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Options:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Commands (for administrators; they read the same configuration as the server):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Environment (flags override it):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Usage: switchboard [options] [tel:number]
       switchboard --headless [options]
       switchboard [--env-file FILE] [--database URL] COMMAND …
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switchboard: an operator console for international calls. Without a command it starts the backend and opens the console window; --headless runs the backend alone (for servers and external clients).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exit status: 0 done, 1 failed, 2 wrong usage or configuration.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write a consistent copy of the SQLite database to FILE, also while a server runs (PostgreSQL: says how to use pg_dump).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replace the SQLite database with a backup; refused while a server runs on it (the replaced file is kept beside it).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show applied, pending and unknown migrations.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply the pending migrations up to number N (without N: all of them).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check every variable, the database, the provider&apos;s credentials and the TLS files; the exit status says whether all is well.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create a user; the password is asked for, or read from standard input.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>List the users.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set a user&apos;s password.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
