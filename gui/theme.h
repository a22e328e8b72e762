#pragma once

#include <QColor>
#include <QObject>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

class QQmlEngine;
class QJSEngine;

namespace Switchboard::Gui {

/// The console's one visual language: the palette (light and dark), the type scale, spacing and
/// radii. Every QML page reads it, and the softphone page receives the same values as CSS custom
/// properties (`cssVariables`), so both halves switch together.
///
/// The operator picks light, dark or "follow the system"; the choice is kept in QSettings and
/// applies at once. Qt 6.4 has no QStyleHints::colorScheme (6.5+): the system's scheme is read
/// from the platform palette (dark when its window colour is darker than its window text), and
/// QEvent::ApplicationPaletteChange says when the platform changed it.
class Theme : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON

    Q_PROPERTY(Mode mode READ mode WRITE setMode NOTIFY modeChanged)
    Q_PROPERTY(bool dark READ dark NOTIFY colorsChanged)

    // Colours: surfaces, text on them, and the fills with the text that goes on each fill.
    Q_PROPERTY(QColor background READ background NOTIFY colorsChanged)
    Q_PROPERTY(QColor surface READ surface NOTIFY colorsChanged)
    Q_PROPERTY(QColor surfaceAlt READ surfaceAlt NOTIFY colorsChanged)
    Q_PROPERTY(QColor text READ text NOTIFY colorsChanged)
    Q_PROPERTY(QColor textMuted READ textMuted NOTIFY colorsChanged)
    Q_PROPERTY(QColor border READ border NOTIFY colorsChanged)
    Q_PROPERTY(QColor accent READ accent NOTIFY colorsChanged)
    Q_PROPERTY(QColor onAccent READ onAccent NOTIFY colorsChanged)
    Q_PROPERTY(QColor accentSoft READ accentSoft NOTIFY colorsChanged)
    Q_PROPERTY(QColor positive READ positive NOTIFY colorsChanged)
    Q_PROPERTY(QColor positiveFill READ positiveFill NOTIFY colorsChanged)
    Q_PROPERTY(QColor negative READ negative NOTIFY colorsChanged)
    Q_PROPERTY(QColor negativeFill READ negativeFill NOTIFY colorsChanged)
    Q_PROPERTY(QColor caution READ caution NOTIFY colorsChanged)
    Q_PROPERTY(QColor cautionFill READ cautionFill NOTIFY colorsChanged)
    Q_PROPERTY(QColor onFill READ onFill NOTIFY colorsChanged)
    Q_PROPERTY(QColor focus READ focus NOTIFY colorsChanged)

    // Type scale (pixels), spacing and radii: the same in both schemes.
    Q_PROPERTY(int fontSmall READ fontSmall CONSTANT)
    Q_PROPERTY(int fontBody READ fontBody CONSTANT)
    Q_PROPERTY(int fontTitle READ fontTitle CONSTANT)
    Q_PROPERTY(int fontHeadline READ fontHeadline CONSTANT)
    Q_PROPERTY(int fontDisplay READ fontDisplay CONSTANT)
    Q_PROPERTY(int spacingSmall READ spacingSmall CONSTANT)
    Q_PROPERTY(int spacing READ spacing CONSTANT)
    Q_PROPERTY(int spacingLarge READ spacingLarge CONSTANT)
    Q_PROPERTY(int spacingHuge READ spacingHuge CONSTANT)
    Q_PROPERTY(int radiusSmall READ radiusSmall CONSTANT)
    Q_PROPERTY(int radius READ radius CONSTANT)
    Q_PROPERTY(int radiusLarge READ radiusLarge CONSTANT)

    /// The same values for the softphone page: {"--bg": "#f3f5f8", "--font-body": "14px", …}.
    Q_PROPERTY(QVariantMap cssVariables READ cssVariables NOTIFY colorsChanged)

public:
    enum class Mode { System, Light, Dark };
    Q_ENUM(Mode)

    /// One scheme's colours.
    struct Palette
    {
        QColor background, surface, surfaceAlt, text, textMuted, border, accent, onAccent, accentSoft,
            positive, positiveFill, negative, negativeFill, caution, cautionFill, onFill, focus;
    };

    explicit Theme(QObject *parent = nullptr);
    static Theme *create(QQmlEngine *, QJSEngine *);

    static const Palette &lightPalette();
    static const Palette &darkPalette();
    /// WCAG 2.x contrast ratio of two opaque colours, from 1 (none) to 21 (black on white).
    static double contrastRatio(const QColor &a, const QColor &b);
    /// True when the platform's palette is a dark one (what "follow the system" follows).
    static bool systemIsDark();

    Mode mode() const { return m_mode; }
    /// Persists the choice and applies it at once.
    void setMode(Mode mode);
    bool dark() const { return m_dark; }

    const Palette &palette() const { return m_dark ? darkPalette() : lightPalette(); }
    QColor background() const { return palette().background; }
    QColor surface() const { return palette().surface; }
    QColor surfaceAlt() const { return palette().surfaceAlt; }
    QColor text() const { return palette().text; }
    QColor textMuted() const { return palette().textMuted; }
    QColor border() const { return palette().border; }
    QColor accent() const { return palette().accent; }
    QColor onAccent() const { return palette().onAccent; }
    QColor accentSoft() const { return palette().accentSoft; }
    QColor positive() const { return palette().positive; }
    QColor positiveFill() const { return palette().positiveFill; }
    QColor negative() const { return palette().negative; }
    QColor negativeFill() const { return palette().negativeFill; }
    QColor caution() const { return palette().caution; }
    QColor cautionFill() const { return palette().cautionFill; }
    QColor onFill() const { return palette().onFill; }
    QColor focus() const { return palette().focus; }

    QVariantMap cssVariables() const;

    int fontSmall() const { return 12; }
    int fontBody() const { return 14; }
    int fontTitle() const { return 18; }
    int fontHeadline() const { return 24; }
    int fontDisplay() const { return 40; }
    int spacingSmall() const { return 4; }
    int spacing() const { return 8; }
    int spacingLarge() const { return 16; }
    int spacingHuge() const { return 24; }
    int radiusSmall() const { return 4; }
    int radius() const { return 8; }
    int radiusLarge() const { return 12; }

Q_SIGNALS:
    void modeChanged();
    void colorsChanged();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void update();

    Mode m_mode = Mode::System;
    bool m_dark = false;
};

} // namespace Switchboard::Gui
