#include "convert.hpp"

#include <QVariantList>
#include <QVariantMap>

namespace aui::qt::detail {

QVariant to_variant(const Json& json) {
  switch (json.type()) {
    case Json::value_t::null:
    case Json::value_t::discarded: return {};
    case Json::value_t::boolean: return json.get<bool>();
    case Json::value_t::number_integer: return QVariant::fromValue(json.get<qint64>());
    case Json::value_t::number_unsigned: return QVariant::fromValue(json.get<quint64>());
    case Json::value_t::number_float: return json.get<double>();
    case Json::value_t::string: return qs(json.get_ref<const std::string&>());
    case Json::value_t::array: {
      QVariantList list;
      list.reserve(static_cast<qsizetype>(json.size()));
      for (const auto& item : json) list.push_back(to_variant(item));
      return list;
    }
    case Json::value_t::object: {
      QVariantMap map;
      for (auto it = json.begin(); it != json.end(); ++it)
        map.insert(qs(it.key()), to_variant(*it));
      return map;
    }
    case Json::value_t::binary: return {};
  }
  return {};
}

Json to_json(const QVariant& value) {
  if (!value.isValid() || value.isNull()) return nullptr;
  switch (value.typeId()) {
    case QMetaType::Bool: return value.toBool();
    case QMetaType::Int:
    case QMetaType::LongLong:
    case QMetaType::Short:
    case QMetaType::Long: return value.toLongLong();
    case QMetaType::UInt:
    case QMetaType::ULongLong:
    case QMetaType::UShort:
    case QMetaType::ULong: return value.toULongLong();
    case QMetaType::Double:
    case QMetaType::Float: return value.toDouble();
    case QMetaType::QString: return utf8(value.toString());
    case QMetaType::QVariantList:
    case QMetaType::QStringList: {
      Json out = Json::array();
      for (const QVariant& item : value.toList()) out.push_back(to_json(item));
      return out;
    }
    case QMetaType::QVariantMap: {
      Json out = Json::object();
      const QVariantMap map = value.toMap();
      for (auto it = map.begin(); it != map.end(); ++it) out[utf8(it.key())] = to_json(it.value());
      return out;
    }
    default: break;
  }
  // Other types QML may hand over (a QJSValue, a QVariantHash, …): through their conversions.
  if (value.canConvert<QVariantMap>()) return to_json(QVariant(value.toMap()));
  if (value.canConvert<QVariantList>()) return to_json(QVariant(value.toList()));
  return utf8(value.toString());
}

QString json_text(const Json& json) {
  if (json.is_null()) return {};
  if (json.is_string()) return qs(json.get_ref<const std::string&>());
  return qs(json.dump(-1, ' ', false, Json::error_handler_t::replace));
}

QDateTime to_qdatetime(Timestamp t) {
  return QDateTime::fromMSecsSinceEpoch(t.time_since_epoch().count(), Qt::UTC);
}

QString status_text(StatusType type) { return qs(to_string(type)); }

QString reason_text(StatusReason reason) {
  return reason == StatusReason::None ? QString() : qs(to_string(reason));
}

namespace {
template <class T>
bool same_boxed(const ContentPart& a, const ContentPart& b) noexcept {
  return a.get_if<T>() == b.get_if<T>();
}
}  // namespace

bool same_part(const ContentPart& a, const ContentPart& b) noexcept {
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case PartType::Text: {
      const auto* x = a.get_if<TextPart>();
      const auto* y = b.get_if<TextPart>();
      return same_text(x->text, y->text) && x->status == y->status &&
             x->parent_id.get() == y->parent_id.get();
    }
    case PartType::Reasoning: return same_boxed<ReasoningPart>(a, b);
    case PartType::ToolCall: return same_boxed<ToolCallPart>(a, b);
    case PartType::Source: return same_boxed<SourcePart>(a, b);
    case PartType::Image: return same_boxed<ImagePart>(a, b);
    case PartType::File: return same_boxed<FilePart>(a, b);
    case PartType::Audio: return same_boxed<AudioPart>(a, b);
    case PartType::Data: return same_boxed<DataPart>(a, b);
    case PartType::GenerativeUI: return same_boxed<GenerativeUIPart>(a, b);
  }
  return false;
}

QVariantMap row_as_map(const QAbstractItemModel& model, int row) {
  QVariantMap out;
  if (row < 0 || row >= model.rowCount()) return out;
  const QModelIndex index = model.index(row, 0);
  const QHash<int, QByteArray> names = model.roleNames();
  for (auto it = names.begin(); it != names.end(); ++it) {
    out.insert(QString::fromLatin1(it.value()), model.data(index, it.key()));
  }
  return out;
}

}  // namespace aui::qt::detail
