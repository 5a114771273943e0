#pragma once
// Conversions between aui's values (UTF-8 strings, JSON, timestamps) and Qt's.

#include <QAbstractItemModel>
#include <QDateTime>
#include <QString>
#include <QVariant>
#include <string>
#include <string_view>

#include "aui/model/json.hpp"
#include "aui/model/message.hpp"

namespace aui::qt::detail {

inline QString qs(std::string_view s) {
  return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}
inline std::string utf8(const QString& s) {
  const QByteArray b = s.toUtf8();
  return std::string(b.constData(), static_cast<std::size_t>(b.size()));
}

/// JSON as the QVariant QML reads: objects → QVariantMap, arrays → QVariantList, null → an
/// invalid QVariant.
QVariant to_variant(const Json& json);
/// A QVariant from QML (maps, lists, strings, numbers, bools; JS values converted by the engine)
/// as JSON; an invalid QVariant is null.
Json to_json(const QVariant& value);
/// A string as is, anything else as compact JSON ("" for null).
QString json_text(const Json& json);

QDateTime to_qdatetime(Timestamp t);
QString status_text(StatusType type);
QString reason_text(StatusReason reason);

/// The same text storage and length: the cheap identity a streamed Text keeps until it grows.
inline bool same_text(const Text& a, const Text& b) noexcept {
  return a.size() == b.size() && (a.data() == b.data() || a.view() == b.view());
}
/// Whether two parts are the same without reading their content: a text part by its text's
/// storage, every other kind by the shared object it is held in (an unchanged part keeps it).
bool same_part(const ContentPart& a, const ContentPart& b) noexcept;

/// Row `row` of a list model as a map of its role names to values (empty out of range): what
/// the models' `get(row)` gives QML.
QVariantMap row_as_map(const QAbstractItemModel& model, int row);

}  // namespace aui::qt::detail
