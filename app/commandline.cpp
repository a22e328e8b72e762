#include "commandline.h"

#include "admin/admincommands.h"
#include "clitext.h"
#include "telurl.h"

#include <QCommandLineParser>
#include <QFile>

using namespace Qt::Literals::StringLiterals;

const QList<CommandLine::OptionHelp> &CommandLine::options()
{
    static const QList<OptionHelp> options{
        {{u"headless"_s}, nullptr,
         QT_TRANSLATE_NOOP("Cli", "Run the backend (the REST API) alone, without the console window.")},
        {{u"host"_s}, QT_TRANSLATE_NOOP("Cli", "address"), QT_TRANSLATE_NOOP("Cli", "Address to listen on (SERVER_HOST).")},
        {{u"port"_s}, QT_TRANSLATE_NOOP("Cli", "port"), QT_TRANSLATE_NOOP("Cli", "Port to listen on (SERVER_PORT).")},
        {{u"database"_s}, QT_TRANSLATE_NOOP("Cli", "url"),
         QT_TRANSLATE_NOOP("Cli", "SQLite file, sqlite:///path or postgres://… URL (DATABASE_URL).")},
        {{u"insecure"_s}, nullptr,
         QT_TRANSLATE_NOOP("Cli", "Allow plain HTTP on a non-loopback address (SERVER_INSECURE=1).")},
        {{u"env-file"_s}, QT_TRANSLATE_NOOP("Cli", "file"),
         QT_TRANSLATE_NOOP("Cli", "Read variables from KEY=VALUE lines (as the service's "
                                  "/etc/switchboard/switchboard.env); they override the environment.")},
        {{u"self-test"_s}, nullptr,
         QT_TRANSLATE_NOOP("Cli", "Load the console's interface, then exit (non-zero on failure).")},
        {{u"h"_s, u"help"_s}, nullptr, QT_TRANSLATE_NOOP("Cli", "Show this help and exit.")},
        {{u"v"_s, u"version"_s}, nullptr, QT_TRANSLATE_NOOP("Cli", "Show the version and exit.")},
    };
    return options;
}

namespace {

/// The positional argument: an administrator's command, or a tel: link for the console.
void readPositional(const QStringList &positional, CommandLine &result)
{
    if (positional.isEmpty())
        return;
    const QString &first = positional.first();
    if (Admin::findCommand(first)) {
        result.mode = CommandLine::Mode::Admin;
        result.command = first;
        result.commandArguments = positional.mid(1);
        return;
    }
    if (positional.size() > 1) {
        result.error = cliText(QT_TRANSLATE_NOOP("Cli", "only one tel: link can be given"));
        return;
    }
    result.dialNumber = Switchboard::Gui::numberFromTelUri(first);
    if (result.dialNumber.isEmpty())
        result.error = cliText(QT_TRANSLATE_NOOP("Cli", "not a tel: link or a command: %1")).arg(first);
}

} // namespace

CommandLine CommandLine::parse(const QStringList &arguments, const QProcessEnvironment &environment)
{
    QCommandLineParser parser;
    // `switchboard user add --password-stdin`: what follows the command is the command's own.
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsPositionalArguments);
    for (const OptionHelp &option : options()) {
        parser.addOption(option.valueName ? QCommandLineOption(option.names, QString(), QString::fromUtf8(option.valueName))
                                          : QCommandLineOption(option.names));
    }

    CommandLine result;
    result.environment = environment;
    if (!parser.parse(arguments)) {
        result.error = parser.errorText();
        return result;
    }
    if (parser.isSet(u"help"_s)) {
        result.mode = Mode::Help;
        return result;
    }
    if (parser.isSet(u"version"_s)) {
        result.mode = Mode::Version;
        return result;
    }
    if (parser.isSet(u"env-file"_s)) {
        result.error = readEnvironmentFile(parser.value(u"env-file"_s), result.environment);
        if (!result.error.isEmpty())
            return result;
    }
    const std::pair<QString, QString> overrides[] = {
        {u"host"_s, u"SERVER_HOST"_s}, {u"port"_s, u"SERVER_PORT"_s}, {u"database"_s, u"DATABASE_URL"_s}};
    for (const auto &[option, variable] : overrides) {
        if (parser.isSet(option))
            result.environment.insert(variable, parser.value(option));
    }
    if (parser.isSet(u"insecure"_s))
        result.environment.insert(u"SERVER_INSECURE"_s, u"1"_s);

    if (parser.isSet(u"self-test"_s))
        result.mode = Mode::SelfTest;
    else if (parser.isSet(u"headless"_s))
        result.mode = Mode::Headless;
    readPositional(parser.positionalArguments(), result);
    if (result.mode == Mode::Admin && (parser.isSet(u"headless"_s) || parser.isSet(u"self-test"_s)))
        result.error = cliText(QT_TRANSLATE_NOOP("Cli", "%1 is a command of its own: no --headless or --self-test"))
                           .arg(result.command);
    return result;
}

QString readEnvironmentFile(const QString &path, QProcessEnvironment &environment)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return cliText(QT_TRANSLATE_NOOP("Cli", "cannot read %1: %2")).arg(path, file.errorString());
    int lineNumber = 0;
    while (!file.atEnd()) {
        ++lineNumber;
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (line.isEmpty() || line.startsWith(u'#') || line.startsWith(u';'))
            continue;
        const qsizetype equals = line.indexOf(u'=');
        const QString name = line.first(qMax<qsizetype>(equals, 0)).trimmed();
        if (equals <= 0 || name.contains(u' '))
            return cliText(QT_TRANSLATE_NOOP("Cli", "%1, line %2: not a KEY=VALUE line")).arg(path).arg(lineNumber);
        QString value = line.mid(equals + 1).trimmed();
        if (value.size() >= 2 && (value.front() == u'"' || value.front() == u'\'') && value.back() == value.front())
            value = value.mid(1, value.size() - 2);
        environment.insert(name, value);
    }
    return {};
}
