#pragma once

#include <QColor>
#include <QQuickPaintedItem>
#include <QSvgRenderer>
#include <QtQml/qqmlregistration.h>

namespace Switchboard::Gui {

/// One icon of the console's kept set (Material Symbols, the files the softphone page serves as
/// `icon-<name>.svg`), addressed by name and tinted with `color`: `Icon { name: "call_end" }`.
/// Painted from the vector at the window's device pixel ratio, so it stays sharp at any scale.
class Icon : public QQuickPaintedItem
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString name READ name WRITE setName NOTIFY nameChanged)
    Q_PROPERTY(QColor color READ color WRITE setColor NOTIFY colorChanged)
    Q_PROPERTY(bool valid READ valid NOTIFY nameChanged)

public:
    explicit Icon(QQuickItem *parent = nullptr);

    QString name() const { return m_name; }
    void setName(const QString &name);
    QColor color() const { return m_color; }
    void setColor(const QColor &color);
    /// True when `name` is one of the set's icons.
    bool valid() const { return m_renderer.isValid(); }

    /// Where the icon called `name` is among the application's resources.
    static QString resourcePath(const QString &name);

    void paint(QPainter *painter) override;

Q_SIGNALS:
    void nameChanged();
    void colorChanged();

private:
    QString m_name;
    QColor m_color = Qt::black;
    QSvgRenderer m_renderer;
};

} // namespace Switchboard::Gui
