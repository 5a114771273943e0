#pragma once
// The sentence aui-chat shows for a failure: aui's error kinds (BranchNotFound, NotAccepted, ...)
// and internal lists stay out of the transcript.

#include <exception>
#include <string>

namespace aui::chat {

/// What to tell the user about `e`: the message without the error kind, and for the kinds a
/// chat user meets a sentence of its own (e.g. an attachment of a type the chat does not take).
std::string user_error_text(const std::exception& e);

}  // namespace aui::chat
