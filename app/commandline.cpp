#include "commandline.h"
#include "telurl.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

CommandLine CommandLine::parse(const QStringList &arguments, const QProcessEnvironment &environment)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Switchboard: an operator console for international calls."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption headless(u"headless"_s, u"Run the backend only, without the GUI."_s);
    const QCommandLineOption selfTest(u"self-test"_s, u"Load the user interface, then exit (non-zero on failure)."_s);
    const QCommandLineOption host(u"host"_s, u"Address to listen on (SERVER_HOST)."_s, u"address"_s);
    const QCommandLineOption port(u"port"_s, u"Port to listen on (SERVER_PORT)."_s, u"port"_s);
    const QCommandLineOption database(u"database"_s, u"SQLite file or postgres:// URL (DATABASE_URL)."_s, u"url"_s);
    const QCommandLineOption insecure(u"insecure"_s,
                                      u"Allow plain HTTP on a non-loopback address (SERVER_INSECURE=1)."_s);
    parser.addOptions({headless, selfTest, host, port, database, insecure});
    parser.addPositionalArgument(u"tel-uri"_s, u"A tel: link to dial, e.g. tel:+4915123456789."_s, u"[tel:number]"_s);

    CommandLine result;
    if (!parser.parse(arguments)) {
        result.error = parser.errorText();
        return result;
    }
    if (parser.isSet(u"help"_s))
        parser.showHelp(0);
    if (parser.isSet(u"version"_s))
        parser.showVersion();

    result.headless = parser.isSet(headless);
    result.selfTest = parser.isSet(selfTest);
    result.environment = environment;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1) {
        result.error = u"only one tel: link can be given"_s;
        return result;
    }
    if (!positional.isEmpty()) {
        result.dialNumber = Switchboard::Gui::numberFromTelUri(positional.first());
        if (result.dialNumber.isEmpty()) {
            result.error = u"not a tel: link: %1"_s.arg(positional.first());
            return result;
        }
    }
    const std::pair<const QCommandLineOption &, QString> overrides[] = {
        {host, u"SERVER_HOST"_s}, {port, u"SERVER_PORT"_s}, {database, u"DATABASE_URL"_s}};
    for (const auto &[option, variable] : overrides) {
        if (parser.isSet(option))
            result.environment.insert(variable, parser.value(option));
    }
    if (parser.isSet(insecure))
        result.environment.insert(u"SERVER_INSECURE"_s, u"1"_s);
    return result;
}

bool CommandLine::onlyPrints(const QStringList &arguments)
{
    static const QStringList flags{u"--help"_s, u"-h"_s, u"--version"_s, u"-v"_s};
    const QStringList options = arguments.mid(1);
    return std::any_of(options.cbegin(), options.cend(),
                       [](const QString &argument) { return flags.contains(argument); });
}
