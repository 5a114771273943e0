// aui-chat's wording of failures.

#include "user_errors.hpp"

#include <string_view>

#include "aui/support/errors.hpp"

namespace aui::chat {

std::string user_error_text(const std::exception& e) {
  std::string text = e.what();
  const auto* error = dynamic_cast<const Error*>(&e);
  if (!error) return text;
  const std::string prefix = std::string(to_string(error->kind())) + ": ";
  if (text.starts_with(prefix)) text.erase(0, prefix.size());
  switch (error->kind()) {
    case ErrorKind::NotAccepted: {
      // "\"x.bin\" is not accepted (accept: text/*,...)": the accept list is for programs.
      std::string name;
      if (text.starts_with("\"")) {
        if (const auto end = text.find('"', 1); end != std::string::npos)
          name = text.substr(0, end + 1) + " ";
      }
      return name.empty() ? "this file cannot be attached: this chat takes text files, source "
                            "code, and PNG, JPEG, GIF or WebP images"
                          : name +
                                "cannot be attached: this chat takes text files, source "
                                "code, and PNG, JPEG, GIF or WebP images";
    }
    case ErrorKind::AdapterMissing:
      return "this chat was started without that capability (" + text + ")";
    default: return text;
  }
}

}  // namespace aui::chat
