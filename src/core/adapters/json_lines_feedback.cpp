// Feedback as JSON lines.

#include "aui/adapters/json_lines_feedback.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "aui/model/json.hpp"
#include "aui/model/message_json.hpp"
#include "aui/support/errors.hpp"

namespace aui {

namespace {

const char* role_name(Role r) {
  switch (r) {
    case Role::User: return "user";
    case Role::Assistant: return "assistant";
    case Role::System: return "system";
  }
  return "user";
}

}  // namespace

std::string feedback_record_json(const FeedbackRecord& r) {
  Json j = Json::object();
  j["time"] = format_timestamp(r.time);
  j["threadId"] = r.thread_id ? Json(*r.thread_id) : Json(nullptr);
  j["messageId"] = r.message_id;
  j["role"] = role_name(r.role);
  j["type"] = r.type == FeedbackType::Positive ? "positive" : "negative";
  j["comment"] = r.comment ? Json(*r.comment) : Json(nullptr);
  j["text"] = r.text;
  // Invalid UTF-8 in a message must not make the record unwritable.
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

JsonLinesFeedbackAdapter::JsonLinesFeedbackAdapter(
    std::string path, std::function<void(const FeedbackRecord&)> on_feedback)
    : path_(std::move(path)), on_feedback_(std::move(on_feedback)) {}

void JsonLinesFeedbackAdapter::submit(const FeedbackSubmission& feedback) {
  if (!feedback.message) throw Error(ErrorKind::InvalidArgument, "feedback without a message");
  FeedbackRecord record;
  record.time = now_timestamp();
  record.thread_id = feedback.thread_id;
  record.message_id = feedback.message->id;
  record.role = feedback.message->role;
  record.type = feedback.type;
  record.comment = feedback.comment;
  record.text = feedback.message->text();
  const std::string line = feedback_record_json(record) + "\n";
  {
    std::lock_guard lock(mutex_);
    const auto dir = std::filesystem::path(path_).parent_path();
    std::error_code ec;
    if (!dir.empty()) std::filesystem::create_directories(dir, ec);
    std::ofstream out(path_, std::ios::app | std::ios::binary);
    if (!out) {
      throw Error(ErrorKind::InvalidArgument,
                  "cannot record feedback in \"" + path_ + "\": " + std::strerror(errno));
    }
    out << line;
    out.flush();
    if (!out) throw Error(ErrorKind::InvalidArgument, "cannot write feedback to \"" + path_ + "\"");
  }
  if (on_feedback_) on_feedback_(record);
}

}  // namespace aui
