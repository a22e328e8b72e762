// The console's one visual language: the Theme's colour pairs pass WCAG AA in both schemes, the
// choice of scheme is applied at once, remembered, and follows the platform's palette when asked
// to; the softphone page's own defaults are the Theme's values; every icon the pages name is in
// the kept set, and the Icon item paints it in its colour.

#include "icon.h"
#include "theme.h"

#include <QFile>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QPalette>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace Switchboard::Gui;

namespace {

using Palette = Theme::Palette;

/// A foreground on a background, and the contrast WCAG asks of it where the pages use it.
struct Pair
{
    const char *where;
    QColor Palette::*foreground;
    QColor Palette::*background;
    double minimum;
};

constexpr double kText = 4.5;      // WCAG 1.4.3, body text
constexpr double kComponent = 3.0; // WCAG 1.4.11, icons, borders, focus rings, fills of controls

// Every pairing the QML pages and the softphone page draw.
const Pair kPairs[] = {
    {"text on the window", &Palette::text, &Palette::background, kText},
    {"text on a card", &Palette::text, &Palette::surface, kText},
    {"text on a button or dial key", &Palette::text, &Palette::surfaceAlt, kText},
    {"text on the current rail item or row", &Palette::text, &Palette::accentSoft, kText},
    {"muted text on the window", &Palette::textMuted, &Palette::background, kText},
    {"muted text on a card", &Palette::textMuted, &Palette::surface, kText},
    {"muted text on a dial key", &Palette::textMuted, &Palette::surfaceAlt, kText},
    {"accent text on the window (notices)", &Palette::accent, &Palette::background, kText},
    {"accent text on a card (headings, finished)", &Palette::accent, &Palette::surface, kText},
    {"accent icon on the current rail item", &Palette::accent, &Palette::accentSoft, kComponent},
    {"text on the accent (primary buttons)", &Palette::onAccent, &Palette::accent, kText},
    {"positive text on a card (in call, valid)", &Palette::positive, &Palette::surface, kText},
    {"positive text on the window", &Palette::positive, &Palette::background, kText},
    {"negative text on a card (errors, failed)", &Palette::negative, &Palette::surface, kText},
    {"negative text on the window", &Palette::negative, &Palette::background, kText},
    {"caution text on a card (connecting, on hold)", &Palette::caution, &Palette::surface, kText},
    {"caution text on the window", &Palette::caution, &Palette::background, kText},
    {"text on the call button", &Palette::onFill, &Palette::positiveFill, kText},
    {"text on the hang-up button", &Palette::onFill, &Palette::negativeFill, kText},
    {"text on a caution fill", &Palette::onFill, &Palette::cautionFill, kText},
    {"field borders on a card", &Palette::border, &Palette::surface, kComponent},
    {"field borders on the window", &Palette::border, &Palette::background, kComponent},
    {"focus ring on a card", &Palette::focus, &Palette::surface, kComponent},
    {"focus ring on the window", &Palette::focus, &Palette::background, kComponent},
    {"call button on a card", &Palette::positiveFill, &Palette::surface, kComponent},
    {"hang-up button on a card", &Palette::negativeFill, &Palette::surface, kComponent},
};

/// The `--name: value;` declarations of one block of CSS text.
QVariantMap declarations(const QString &block)
{
    QVariantMap values;
    static const QRegularExpression declaration(u"(--[a-z-]+)\\s*:\\s*([^;]+);"_s);
    for (const QRegularExpressionMatch &match : declaration.globalMatch(block))
        values.insert(match.captured(1), match.captured(2).trimmed());
    return values;
}

QPalette platformPalette(bool dark)
{
    QPalette palette;
    palette.setColor(QPalette::Window, dark ? QColor(0x202020) : QColor(0xefefef));
    palette.setColor(QPalette::WindowText, dark ? QColor(0xeeeeee) : QColor(0x111111));
    return palette;
}

} // namespace

class tst_Theme : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();

    void contrast_passesWcagAA_data();
    void contrast_passesWcagAA();
    void contrastRatio_matchesWcag();
    void mode_appliesAtOnceAndPersists();
    void system_followsThePlatformPalette();
    void cssVariables_carryEveryColourAndSize();
    void page_defaultsAreTheThemesValues();
    void icons_everyNameUsedIsInTheSet();
    void icon_paintsTheShapeInItsColour();
};

void tst_Theme::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // the theme setting stays out of the user's config
    QSettings().clear();
}

void tst_Theme::cleanup()
{
    QSettings().clear();
    QGuiApplication::setPalette(platformPalette(false));
}

void tst_Theme::contrast_passesWcagAA_data()
{
    QTest::addColumn<bool>("dark");
    QTest::addColumn<int>("pair");
    for (const bool dark : {false, true}) {
        for (int i = 0; i < int(std::size(kPairs)); ++i)
            QTest::addRow("%s: %s", dark ? "dark" : "light", kPairs[i].where) << dark << i;
    }
}

void tst_Theme::contrast_passesWcagAA()
{
    QFETCH(bool, dark);
    QFETCH(int, pair);
    const Palette &palette = dark ? Theme::darkPalette() : Theme::lightPalette();
    const Pair &p = kPairs[pair];
    const QColor foreground = palette.*p.foreground;
    const QColor background = palette.*p.background;
    const double ratio = Theme::contrastRatio(foreground, background);
    QVERIFY2(ratio >= p.minimum, qPrintable(u"%1 on %2: %3 < %4"_s.arg(foreground.name(), background.name())
                                                .arg(ratio, 0, 'f', 2)
                                                .arg(p.minimum)));
}

void tst_Theme::contrastRatio_matchesWcag()
{
    QCOMPARE(Theme::contrastRatio(Qt::black, Qt::white), 21.0);
    QCOMPARE(Theme::contrastRatio(Qt::white, Qt::white), 1.0);
    // #767676 on white is the lightest grey that passes 4.5:1 (4.54), #777777 fails (4.48).
    QVERIFY(Theme::contrastRatio(QColor(0x767676), Qt::white) >= 4.5);
    QVERIFY(Theme::contrastRatio(QColor(0x777777), Qt::white) < 4.5);
}

void tst_Theme::mode_appliesAtOnceAndPersists()
{
    Theme theme;
    QCOMPARE(theme.mode(), Theme::Mode::System);
    QVERIFY(!theme.dark());
    QSignalSpy colors(&theme, &Theme::colorsChanged);
    QSignalSpy mode(&theme, &Theme::modeChanged);

    theme.setMode(Theme::Mode::Dark);
    QVERIFY(theme.dark());
    QCOMPARE(theme.background(), Theme::darkPalette().background);
    QCOMPARE(colors.size(), 1);
    QCOMPARE(mode.size(), 1);
    QCOMPARE(QSettings().value(u"ui/theme"_s).toString(), u"dark"_s);
    theme.setMode(Theme::Mode::Dark); // nothing changed: no signal
    QCOMPARE(mode.size(), 1);

    // A new start takes the stored choice.
    Theme next;
    QCOMPARE(next.mode(), Theme::Mode::Dark);
    QVERIFY(next.dark());
    next.setMode(Theme::Mode::Light);
    QCOMPARE(QSettings().value(u"ui/theme"_s).toString(), u"light"_s);
    QCOMPARE(next.text(), Theme::lightPalette().text);
}

void tst_Theme::system_followsThePlatformPalette()
{
    QGuiApplication::setPalette(platformPalette(false));
    Theme theme;
    QVERIFY(!theme.dark());
    QSignalSpy colors(&theme, &Theme::colorsChanged);

    // The platform turns dark (what a desktop's dark mode does to Qt 6.4's palette).
    QGuiApplication::setPalette(platformPalette(true));
    QTRY_VERIFY(theme.dark());
    QCOMPARE(colors.size(), 1);
    QCOMPARE(theme.cssVariables().value(u"--color-scheme"_s).toString(), u"dark"_s);

    // A chosen scheme stays, whatever the platform does.
    theme.setMode(Theme::Mode::Light);
    QVERIFY(!theme.dark());
    QGuiApplication::setPalette(platformPalette(false));
    QGuiApplication::setPalette(platformPalette(true));
    QVERIFY(!theme.dark());

    theme.setMode(Theme::Mode::System);
    QVERIFY(theme.dark());
}

void tst_Theme::cssVariables_carryEveryColourAndSize()
{
    Theme theme;
    theme.setMode(Theme::Mode::Light);
    const QVariantMap css = theme.cssVariables();
    QCOMPARE(css.value(u"--bg"_s).toString(), theme.background().name());
    QCOMPARE(css.value(u"--fg"_s).toString(), theme.text().name());
    QCOMPARE(css.value(u"--accent"_s).toString(), theme.accent().name());
    QCOMPARE(css.value(u"--font-body"_s).toString(), u"%1px"_s.arg(theme.fontBody()));
    QCOMPARE(css.value(u"--radius-l"_s).toString(), u"%1px"_s.arg(theme.radiusLarge()));
    QVERIFY(css.value(u"--font-family"_s).toString().endsWith(u"sans-serif"_s));
    theme.setMode(Theme::Mode::Dark);
    QCOMPARE(theme.cssVariables().value(u"--bg"_s).toString(), Theme::darkPalette().background.name());
}

// In a plain browser the page has no host: its stylesheet's defaults must be the Theme itself,
// the light one in :root and the dark one under prefers-color-scheme: dark.
void tst_Theme::page_defaultsAreTheThemesValues()
{
    QFile file(QStringLiteral(SWITCHBOARD_SOFTPHONE_DIR "/softphone.css"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString css = QString::fromUtf8(file.readAll());
    const qsizetype media = css.indexOf(u"@media (prefers-color-scheme: dark)"_s);
    QVERIFY(media > 0);
    const QVariantMap light = declarations(css.left(media));
    const QVariantMap dark = declarations(css.mid(media, css.indexOf(u'}', css.indexOf(u'}', media) + 1) - media));

    Theme theme;
    for (const auto mode : {Theme::Mode::Light, Theme::Mode::Dark}) {
        theme.setMode(mode);
        const QVariantMap &page = mode == Theme::Mode::Light ? light : dark;
        const QVariantMap variables = theme.cssVariables();
        for (auto it = variables.cbegin(); it != variables.cend(); ++it) {
            if (it.key() == u"--font-family"_s) // the console's own face; the page falls back to system-ui
                continue;
            // The dark block restates only what differs: sizes come from :root.
            const QVariant value = page.contains(it.key()) ? page.value(it.key()) : light.value(it.key());
            QVERIFY2(value.toString() == it.value().toString(),
                     qPrintable(u"%1 %2: the page says %3, the Theme %4"_s.arg(
                         mode == Theme::Mode::Light ? u"light"_s : u"dark"_s, it.key(), value.toString(),
                         it.value().toString())));
        }
    }
}

// `Icon { name: "…" }` in the QML pages and data-icon / setIcon names in the softphone page.
void tst_Theme::icons_everyNameUsedIsInTheSet()
{
    const QStringList sources{
        QStringLiteral(SWITCHBOARD_QML_DIR "/NavigationRail.qml"), QStringLiteral(SWITCHBOARD_QML_DIR "/HelpOverlay.qml"),
        QStringLiteral(SWITCHBOARD_QML_DIR "/LoginPage.qml"),      QStringLiteral(SWITCHBOARD_QML_DIR "/HistoryPage.qml"),
        QStringLiteral(SWITCHBOARD_QML_DIR "/SettingsPage.qml"),   QStringLiteral(SWITCHBOARD_SOFTPHONE_DIR "/index.html"),
        QStringLiteral(SWITCHBOARD_SOFTPHONE_DIR "/page.js")};
    static const QRegularExpression named(
        uR"((?:\bname:|iconName:|icon:|data-icon=|setIcon\([^,]+,|iconElement\()\s*["']([a-z_]+)["'])"_s);
    static const QRegularExpression chosen(uR"(\?\s*'([a-z_]+)'\s*:\s*'([a-z_]+)')"_s); // on ? 'mic_off' : 'mic'
    QStringList names;
    for (const QString &path : sources) {
        QFile file(path);
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path));
        const QString text = QString::fromUtf8(file.readAll());
        for (const QRegularExpressionMatch &match : named.globalMatch(text))
            names << match.captured(1);
        for (const QRegularExpressionMatch &match : chosen.globalMatch(text))
            names << match.captured(1) << match.captured(2);
    }
    names.removeDuplicates();
    QVERIFY2(names.size() >= 15, qPrintable(names.join(u", "_s)));
    for (const QString &name : std::as_const(names))
        QVERIFY2(QFile::exists(Icon::resourcePath(name)), qPrintable(u"no icon "_s + name));
    QVERIFY(QFile::exists(QStringLiteral(SWITCHBOARD_SOFTPHONE_DIR "/icons-LICENSE")));
}

void tst_Theme::icon_paintsTheShapeInItsColour()
{
    Icon icon;
    icon.setSize(QSizeF(48, 48));
    icon.setName(u"call_end"_s);
    QVERIFY(icon.valid());
    icon.setColor(QColor(0xb3261e));
    QImage image(48, 48, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    icon.paint(&painter);
    painter.end();
    int painted = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const QColor pixel = image.pixelColor(x, y);
            if (pixel.alpha() == 255) {
                ++painted;
                QCOMPARE(pixel.rgb(), QColor(0xb3261e).rgb());
            }
        }
    }
    QVERIFY2(painted > 100, qPrintable(QString::number(painted))); // the receiver's shape, not a blank

    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"no icon named.*no_such_icon"_s));
    icon.setName(u"no_such_icon"_s);
    QVERIFY(!icon.valid());
}

QTEST_MAIN(tst_Theme)

#include "tst_theme.moc"
