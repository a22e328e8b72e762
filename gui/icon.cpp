#include "icon.h"

#include "core/logging.h"

#include <QPainter>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard::Gui {

Icon::Icon(QQuickItem *parent) : QQuickPaintedItem(parent)
{
    setImplicitSize(24, 24);
    setAntialiasing(true);
}

QString Icon::resourcePath(const QString &name)
{
    return u":/icons/icon-%1.svg"_s.arg(name);
}

void Icon::setName(const QString &name)
{
    if (name == m_name)
        return;
    m_name = name;
    if (!m_renderer.load(resourcePath(name)))
        qCWarning(lcApp) << "no icon named" << name;
    Q_EMIT nameChanged();
    update();
}

void Icon::setColor(const QColor &color)
{
    if (color == m_color)
        return;
    m_color = color;
    Q_EMIT colorChanged();
    update();
}

void Icon::paint(QPainter *painter)
{
    if (!m_renderer.isValid())
        return;
    // The set's glyphs are single-colour shapes: draw the shape, then paint the colour onto it.
    m_renderer.render(painter, boundingRect());
    painter->setCompositionMode(QPainter::CompositionMode_SourceIn);
    painter->fillRect(boundingRect(), m_color);
}

} // namespace Switchboard::Gui
