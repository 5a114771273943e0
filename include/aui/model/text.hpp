#pragma once
// Text: an immutable string whose copies are O(1) and whose growth costs only what is new.

#include <compare>
#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>

namespace aui {

/// An immutable, contiguous UTF-8 string with shared storage.
///
/// Copying a Text is O(1) (a reference count), so a streaming adapter can keep one growing Text
/// and hand out a copy of it on every yield without copying what was already there:
///
///     aui::Text text;
///     for (auto delta : deltas) { text += delta; sink.yield(aui::TextPart{text}); }
///
/// `append` writes in place, in amortized O(size of the appended piece), when this Text is the
/// longest view of its storage; otherwise (an older snapshot being appended to) it copies once
/// into fresh storage. Bytes a Text can see never change, so a Text may be read on one thread
/// while another thread appends to a newer Text over the same storage. A Text holds at most
/// 4 GiB - 1 bytes; building or growing one past that throws std::length_error.
class Text {
 public:
  Text() noexcept = default;
  Text(std::string_view s);  // NOLINT(google-explicit-constructor): a string literal is a Text
  Text(const char* s) : Text(std::string_view(s)) {}         // NOLINT(google-explicit-constructor)
  Text(const std::string& s) : Text(std::string_view(s)) {}  // NOLINT(google-explicit-constructor)
  Text(const Text& other) noexcept;
  Text(Text&& other) noexcept;
  Text& operator=(const Text& other) noexcept;
  Text& operator=(Text&& other) noexcept;
  ~Text();

  /// Appends `s`. See the class comment for the cost.
  Text& append(std::string_view s);
  Text& operator+=(std::string_view s) { return append(s); }

  std::string_view view() const noexcept { return {data(), size_}; }
  operator std::string_view() const noexcept { return view(); }  // NOLINT
  std::string str() const { return std::string(view()); }
  const char* data() const noexcept;
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }

  /// Bytes of storage held (shared with other Texts over the same storage); for memory accounting.
  std::size_t capacity() const noexcept;

  friend bool operator==(const Text& a, const Text& b) noexcept { return a.view() == b.view(); }
  friend bool operator==(const Text& a, std::string_view b) noexcept { return a.view() == b; }
  friend bool operator==(const Text& a, const char* b) noexcept { return a.view() == b; }
  friend std::strong_ordering operator<=>(const Text& a, const Text& b) noexcept {
    return a.view().compare(b.view()) <=> 0;
  }
  friend std::ostream& operator<<(std::ostream& os, const Text& t) { return os << t.view(); }

 private:
  struct Block;
  Block* block_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace aui
