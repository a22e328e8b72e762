#include "theme.h"

#include <QEvent>
#include <QFont>
#include <QGuiApplication>
#include <QPalette>
#include <QSettings>

#include <cmath>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard::Gui {

namespace {

const QString kSettingsKey = u"ui/theme"_s;

// Settings keep the mode as a word, so that a file edited by hand stays readable.
QString modeName(Theme::Mode mode)
{
    switch (mode) {
    case Theme::Mode::Light:
        return u"light"_s;
    case Theme::Mode::Dark:
        return u"dark"_s;
    case Theme::Mode::System:
        break;
    }
    return u"system"_s;
}

Theme::Mode modeFromName(const QString &name)
{
    if (name == u"light"_s)
        return Theme::Mode::Light;
    if (name == u"dark"_s)
        return Theme::Mode::Dark;
    return Theme::Mode::System;
}

double channelLuminance(double channel)
{
    return channel <= 0.04045 ? channel / 12.92 : std::pow((channel + 0.055) / 1.055, 2.4);
}

double relativeLuminance(const QColor &color)
{
    return 0.2126 * channelLuminance(color.redF()) + 0.7152 * channelLuminance(color.greenF())
        + 0.0722 * channelLuminance(color.blueF());
}

QString px(int pixels)
{
    return u"%1px"_s.arg(pixels);
}

/// The console's font first, so that the page draws with the same face as the QML; then the
/// system's sans-serif, as in a plain browser.
QString fontFamily()
{
    QString family = qobject_cast<QGuiApplication *>(QCoreApplication::instance())
        ? QGuiApplication::font().family().remove(u'"').remove(u'\\')
        : QString();
    return family.isEmpty() ? u"system-ui, sans-serif"_s : u"\"%1\", system-ui, sans-serif"_s.arg(family);
}

} // namespace

Theme::Theme(QObject *parent) : QObject(parent)
{
    m_mode = modeFromName(QSettings().value(kSettingsKey).toString());
    m_dark = m_mode == Mode::Dark || (m_mode == Mode::System && systemIsDark());
    if (qApp)
        qApp->installEventFilter(this);
}

Theme *Theme::create(QQmlEngine *, QJSEngine *)
{
    return new Theme;
}

const Theme::Palette &Theme::lightPalette()
{
    static const Palette palette{
        .background = QColor(0xf3f5f8), .surface = QColor(0xffffff), .surfaceAlt = QColor(0xe7ebf1),
        .text = QColor(0x1a2130), .textMuted = QColor(0x4f5b6d), .border = QColor(0x7a8496),
        .accent = QColor(0x1d5ea8), .onAccent = QColor(0xffffff), .accentSoft = QColor(0xdbe7f6),
        .positive = QColor(0x1b7a35), .positiveFill = QColor(0x1e7d32),
        .negative = QColor(0xb3261e), .negativeFill = QColor(0xb3261e),
        .caution = QColor(0x8a5300), .cautionFill = QColor(0x8f5600),
        .onFill = QColor(0xffffff), .focus = QColor(0x1d5ea8)};
    return palette;
}

const Theme::Palette &Theme::darkPalette()
{
    static const Palette palette{
        .background = QColor(0x12161c), .surface = QColor(0x1b2129), .surfaceAlt = QColor(0x28303b),
        .text = QColor(0xe7ebf1), .textMuted = QColor(0xa8b2c0), .border = QColor(0x7d8898),
        .accent = QColor(0x8ab8f0), .onAccent = QColor(0x0b1a2c), .accentSoft = QColor(0x1f3450),
        .positive = QColor(0x74d08a), .positiveFill = QColor(0x1e7d32),
        .negative = QColor(0xff9a90), .negativeFill = QColor(0xc93a30),
        .caution = QColor(0xf2bc62), .cautionFill = QColor(0x8f5600),
        .onFill = QColor(0xffffff), .focus = QColor(0x8ab8f0)};
    return palette;
}

double Theme::contrastRatio(const QColor &a, const QColor &b)
{
    const double first = relativeLuminance(a);
    const double second = relativeLuminance(b);
    return (std::max(first, second) + 0.05) / (std::min(first, second) + 0.05);
}

bool Theme::systemIsDark()
{
    if (!qobject_cast<QGuiApplication *>(QCoreApplication::instance()))
        return false;
    const QPalette palette = QGuiApplication::palette();
    return palette.color(QPalette::Window).lightness() < palette.color(QPalette::WindowText).lightness();
}

void Theme::setMode(Mode mode)
{
    if (mode == m_mode)
        return;
    m_mode = mode;
    QSettings().setValue(kSettingsKey, modeName(mode));
    Q_EMIT modeChanged();
    update();
}

void Theme::update()
{
    const bool dark = m_mode == Mode::Dark || (m_mode == Mode::System && systemIsDark());
    if (dark == m_dark)
        return;
    m_dark = dark;
    Q_EMIT colorsChanged();
}

bool Theme::eventFilter(QObject *watched, QEvent *event)
{
    // The platform (or a test standing in for it) changed the application palette.
    if (watched == qApp && event->type() == QEvent::ApplicationPaletteChange)
        update();
    return QObject::eventFilter(watched, event);
}

QVariantMap Theme::cssVariables() const
{
    const Palette &colors = palette();
    return {
        {u"--color-scheme"_s, m_dark ? u"dark"_s : u"light"_s},
        {u"--bg"_s, colors.background.name()},
        {u"--surface"_s, colors.surface.name()},
        {u"--surface-alt"_s, colors.surfaceAlt.name()},
        {u"--fg"_s, colors.text.name()},
        {u"--fg-muted"_s, colors.textMuted.name()},
        {u"--border"_s, colors.border.name()},
        {u"--accent"_s, colors.accent.name()},
        {u"--on-accent"_s, colors.onAccent.name()},
        {u"--accent-soft"_s, colors.accentSoft.name()},
        {u"--positive"_s, colors.positive.name()},
        {u"--positive-fill"_s, colors.positiveFill.name()},
        {u"--negative"_s, colors.negative.name()},
        {u"--negative-fill"_s, colors.negativeFill.name()},
        {u"--caution"_s, colors.caution.name()},
        {u"--caution-fill"_s, colors.cautionFill.name()},
        {u"--on-fill"_s, colors.onFill.name()},
        {u"--focus"_s, colors.focus.name()},
        {u"--font-family"_s, fontFamily()},
        {u"--font-small"_s, px(fontSmall())},
        {u"--font-body"_s, px(fontBody())},
        {u"--font-title"_s, px(fontTitle())},
        {u"--font-headline"_s, px(fontHeadline())},
        {u"--font-display"_s, px(fontDisplay())},
        {u"--space-s"_s, px(spacingSmall())},
        {u"--space"_s, px(spacing())},
        {u"--space-l"_s, px(spacingLarge())},
        {u"--space-xl"_s, px(spacingHuge())},
        {u"--radius-s"_s, px(radiusSmall())},
        {u"--radius"_s, px(radius())},
        {u"--radius-l"_s, px(radiusLarge())},
    };
}

} // namespace Switchboard::Gui
