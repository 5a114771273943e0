// Markdown → document model, on md4c's callbacks.

#include "aui/tui/markdown.hpp"

#include <md4c.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <utility>

#include "aui/tui/text_width.hpp"
#include "markdown_text.hpp"

namespace aui::tui {

namespace {

// The named entities models actually write. md4c reports an entity verbatim and leaves decoding to
// the application; the full HTML table has 2,231 names, and an unknown one simply stays as
// written (which is what a reader sees in the source anyway).
struct NamedEntity {
  const char* name;
  const char* utf8;
};
constexpr std::array<NamedEntity, 60> kNamedEntities{{
    {"amp", "&"},         {"lt", "<"},          {"gt", ">"},         {"quot", "\""},
    {"apos", "'"},        {"nbsp", "\u00a0"},   {"copy", "\u00a9"},  {"reg", "\u00ae"},
    {"trade", "\u2122"},  {"hellip", "\u2026"}, {"mdash", "\u2014"}, {"ndash", "\u2013"},
    {"lsquo", "\u2018"},  {"rsquo", "\u2019"},  {"ldquo", "\u201c"}, {"rdquo", "\u201d"},
    {"laquo", "\u00ab"},  {"raquo", "\u00bb"},  {"bull", "\u2022"},  {"middot", "\u00b7"},
    {"deg", "\u00b0"},    {"plusmn", "\u00b1"}, {"times", "\u00d7"}, {"divide", "\u00f7"},
    {"micro", "\u00b5"},  {"para", "\u00b6"},   {"sect", "\u00a7"},  {"euro", "\u20ac"},
    {"pound", "\u00a3"},  {"yen", "\u00a5"},    {"cent", "\u00a2"},  {"frac12", "\u00bd"},
    {"frac14", "\u00bc"}, {"frac34", "\u00be"}, {"larr", "\u2190"},  {"rarr", "\u2192"},
    {"uarr", "\u2191"},   {"darr", "\u2193"},   {"harr", "\u2194"},  {"lArr", "\u21d0"},
    {"rArr", "\u21d2"},   {"hArr", "\u21d4"},   {"le", "\u2264"},    {"ge", "\u2265"},
    {"ne", "\u2260"},     {"asymp", "\u2248"},  {"infin", "\u221e"}, {"sum", "\u2211"},
    {"prod", "\u220f"},   {"radic", "\u221a"},  {"minus", "\u2212"}, {"check", "\u2713"},
    {"star", "\u2606"},   {"hearts", "\u2665"}, {"ensp", "\u2002"},  {"emsp", "\u2003"},
    {"thinsp", "\u2009"}, {"shy", "\u00ad"},    {"iexcl", "\u00a1"}, {"iquest", "\u00bf"},
}};

/// An entity as md4c reports it ("&amp;", "&#65;", "&#x41;") → its text; unknown names verbatim.
std::string decode_entity(std::string_view entity) {
  std::string out;
  if (entity.size() >= 4 && entity[1] == '#') {
    char32_t cp = 0;
    const bool hex = entity[2] == 'x' || entity[2] == 'X';
    for (std::size_t i = hex ? 3 : 2; i + 1 < entity.size(); ++i) {
      const char c = entity[i];
      unsigned digit = 0;
      if (c >= '0' && c <= '9') {
        digit = static_cast<unsigned>(c - '0');
      } else if (hex && c >= 'a' && c <= 'f') {
        digit = static_cast<unsigned>(c - 'a' + 10);
      } else if (hex && c >= 'A' && c <= 'F') {
        digit = static_cast<unsigned>(c - 'A' + 10);
      }
      cp = cp * (hex ? 16 : 10) + digit;
      if (cp > 0x10FFFF) cp = 0x110000;  // stays out of range, no overflow
    }
    // NUL is not a character: U+FFFD, as CommonMark asks (append_utf8 does the same for
    // surrogates and values past Unicode).
    append_utf8(out, cp == 0 ? char32_t{0xFFFD} : cp);
    return out;
  }
  if (entity.size() >= 3) {
    const std::string_view name = entity.substr(1, entity.size() - 2);
    for (const auto& e : kNamedEntities) {
      if (name == e.name) return e.utf8;
    }
  }
  return std::string(entity);
}

/// An md4c attribute (a link target, an info string) with its entities decoded.
std::string decode_attribute(const MD_ATTRIBUTE& a) {
  std::string out;
  if (a.text == nullptr || a.size == 0) return out;
  for (unsigned i = 0; a.substr_offsets[i] < a.size; ++i) {
    const std::string_view part(a.text + a.substr_offsets[i],
                                a.substr_offsets[i + 1] - a.substr_offsets[i]);
    switch (a.substr_types[i]) {
      case MD_TEXT_ENTITY: out += decode_entity(part); break;
      case MD_TEXT_NULLCHAR: out += "\uFFFD"; break;
      default: out += part;
    }
  }
  return out;
}

class Builder {
 public:
  MarkdownDocument doc;

  Builder() { containers_.push_back(&doc.blocks); }

  int enter_block(MD_BLOCKTYPE type, void* detail) {
    switch (type) {
      case MD_BLOCK_DOC: break;
      case MD_BLOCK_QUOTE: {
        Block& b = new_block(BlockKind::Quote);
        containers_.push_back(&b.children);
        break;
      }
      case MD_BLOCK_UL:
      case MD_BLOCK_OL: {
        Block& b = new_block(BlockKind::List);
        if (type == MD_BLOCK_OL) {
          const auto* d = static_cast<MD_BLOCK_OL_DETAIL*>(detail);
          b.ordered = true;
          b.start = d->start;
          b.tight = d->is_tight != 0;
        } else {
          const auto* d = static_cast<MD_BLOCK_UL_DETAIL*>(detail);
          b.tight = d->is_tight != 0;
          b.bullet = d->mark;
        }
        lists_.push_back(&b);
        break;
      }
      case MD_BLOCK_LI: {
        end_implicit_paragraph();
        const auto* d = static_cast<MD_BLOCK_LI_DETAIL*>(detail);
        ListItem& item = lists_.back()->items.emplace_back();
        if (d->is_task) item.task = (d->task_mark == ' ') ? TaskState::Open : TaskState::Done;
        containers_.push_back(&item.blocks);
        in_item_.push_back(containers_.size());
        break;
      }
      case MD_BLOCK_HR: new_block(BlockKind::ThematicBreak); break;
      case MD_BLOCK_H: {
        Block& b = new_block(BlockKind::Heading);
        b.level = static_cast<int>(static_cast<MD_BLOCK_H_DETAIL*>(detail)->level);
        inlines_ = &b.inlines;
        break;
      }
      case MD_BLOCK_CODE: {
        Block& b = new_block(BlockKind::Code);
        const auto* d = static_cast<MD_BLOCK_CODE_DETAIL*>(detail);
        b.fenced = d->fence_char != 0;
        b.info = display_safe_line(decode_attribute(d->info));
        b.language = display_safe_line(decode_attribute(d->lang));
        verbatim_ = &b;
        break;
      }
      case MD_BLOCK_HTML: verbatim_ = &new_block(BlockKind::Html); break;
      case MD_BLOCK_P: inlines_ = &new_block(BlockKind::Paragraph).inlines; break;
      case MD_BLOCK_TABLE: table_ = &new_block(BlockKind::Table); break;
      case MD_BLOCK_THEAD:
      case MD_BLOCK_TBODY: break;
      case MD_BLOCK_TR:
        if (table_ != nullptr) table_->rows.emplace_back();
        break;
      case MD_BLOCK_TH:
      case MD_BLOCK_TD: {
        if (table_ == nullptr || table_->rows.empty()) break;
        if (table_->rows.size() == 1) {
          Align a = Align::Default;
          switch (static_cast<MD_BLOCK_TD_DETAIL*>(detail)->align) {
            case MD_ALIGN_LEFT: a = Align::Left; break;
            case MD_ALIGN_CENTER: a = Align::Center; break;
            case MD_ALIGN_RIGHT: a = Align::Right; break;
            default: break;
          }
          table_->aligns.push_back(a);
        }
        inlines_ = &table_->rows.back().emplace_back();
        break;
      }
    }
    return 0;
  }

  int leave_block(MD_BLOCKTYPE type) {
    switch (type) {
      case MD_BLOCK_QUOTE: containers_.pop_back(); break;
      case MD_BLOCK_UL:
      case MD_BLOCK_OL: lists_.pop_back(); break;
      case MD_BLOCK_LI:
        end_implicit_paragraph();
        containers_.pop_back();
        in_item_.pop_back();
        break;
      case MD_BLOCK_H:
      case MD_BLOCK_P:
      case MD_BLOCK_TH:
      case MD_BLOCK_TD:
        inlines_ = nullptr;
        // md4c 0.4.8 can leave a span open at the end of a block (an emphasis around a
        // permissive autolink: "*http://a.c*/" enters <em> and never leaves it); spans never
        // cross blocks, so whatever is still open ends here.
        counts_ = {};
        links_.clear();
        images_.clear();
        code_ = 0;
        break;
      case MD_BLOCK_CODE:
      case MD_BLOCK_HTML:
        // md4c ends every verbatim line with '\n'; the block's text does not end with one.
        if (!verbatim_->text.empty() && verbatim_->text.back() == '\n') verbatim_->text.pop_back();
        verbatim_->text = display_safe_verbatim(verbatim_->text);
        verbatim_ = nullptr;
        break;
      case MD_BLOCK_TABLE: table_ = nullptr; break;
      default: break;
    }
    return 0;
  }

  int enter_span(MD_SPANTYPE type, void* detail) {
    switch (type) {
      case MD_SPAN_EM: ++counts_[0]; break;
      case MD_SPAN_STRONG: ++counts_[1]; break;
      case MD_SPAN_DEL: ++counts_[2]; break;
      case MD_SPAN_A: {
        std::string url = decode_attribute(static_cast<MD_SPAN_A_DETAIL*>(detail)->href);
        links_.push_back(is_safe_link(url) ? url_for_display(url) : std::string());
        break;
      }
      case MD_SPAN_IMG:
        images_.push_back(decode_attribute(static_cast<MD_SPAN_IMG_DETAIL*>(detail)->src));
        break;
      case MD_SPAN_CODE: ++code_; break;
      default: break;
    }
    return 0;
  }

  int leave_span(MD_SPANTYPE type) {
    switch (type) {
      case MD_SPAN_EM: counts_[0] = std::max(counts_[0] - 1, 0); break;
      case MD_SPAN_STRONG: counts_[1] = std::max(counts_[1] - 1, 0); break;
      case MD_SPAN_DEL: counts_[2] = std::max(counts_[2] - 1, 0); break;
      case MD_SPAN_A:
        if (!links_.empty()) links_.pop_back();
        break;
      case MD_SPAN_IMG: {
        if (images_.empty()) break;
        std::string src = std::move(images_.back());
        images_.pop_back();
        InlineRun run;
        run.kind = InlineKind::ImageSource;
        run.flags = flags();
        run.url = is_safe_link(src) ? url_for_display(src) : std::string();
        run.text = display_safe_line(src);
        push(std::move(run));
        break;
      }
      case MD_SPAN_CODE: code_ = std::max(code_ - 1, 0); break;
      default: break;
    }
    return 0;
  }

  int text(MD_TEXTTYPE type, std::string_view s) {
    if (verbatim_ != nullptr) {
      verbatim_->text.append(s);
      return 0;
    }
    InlineRun run;
    switch (type) {
      case MD_TEXT_BR: run.kind = InlineKind::HardBreak; break;
      case MD_TEXT_SOFTBR: run.kind = InlineKind::SoftBreak; break;
      case MD_TEXT_NULLCHAR: run.text = "\uFFFD"; break;
      case MD_TEXT_ENTITY: run.text = display_safe_line(decode_entity(s)); break;
      case MD_TEXT_CODE: run.text = display_safe_line(std::string(s)); break;
      default: run.text = display_safe_line(std::string(s)); break;
    }
    if (run.kind == InlineKind::Text && code_ > 0) run.kind = InlineKind::Code;
    run.flags = flags();
    if ((run.flags & kLink) != 0) run.url = links_.back();
    push(std::move(run));
    return 0;
  }

 private:
  std::uint8_t flags() const {
    std::uint8_t f = 0;
    if (counts_[0] > 0) f |= kEmphasis;
    if (counts_[1] > 0) f |= kStrong;
    if (counts_[2] > 0) f |= kStrikethrough;
    if (!links_.empty() && !links_.back().empty()) f |= kLink;
    if (!images_.empty()) f |= kImageAlt;
    return f;
  }

  Block& new_block(BlockKind kind) {
    end_implicit_paragraph();
    Block& b = containers_.back()->emplace_back();
    b.kind = kind;
    return b;
  }

  // A tight list item's text arrives without a paragraph around it; it becomes one, so an item
  // is always a sequence of blocks.
  void push(InlineRun run) {
    if (inlines_ == nullptr) {
      if (in_item_.empty() || in_item_.back() != containers_.size()) return;
      Block& b = containers_.back()->emplace_back();
      inlines_ = &b.inlines;
      implicit_ = true;
    }
    if (!inlines_->empty()) {
      InlineRun& last = inlines_->back();
      // Entities and md4c's chunking split text that reads as one run: joined, the model stays
      // small and equal documents compare equal however md4c cut them.
      if ((run.kind == InlineKind::Text || run.kind == InlineKind::Code) && last.kind == run.kind &&
          last.flags == run.flags && last.url == run.url) {
        last.text += run.text;
        return;
      }
    }
    inlines_->push_back(std::move(run));
  }

  void end_implicit_paragraph() {
    if (implicit_) {
      inlines_ = nullptr;
      implicit_ = false;
    }
  }

  std::vector<std::vector<Block>*> containers_;  // where the next block goes (innermost last)
  std::vector<std::size_t> in_item_;             // containers_ depth of each open list item
  std::vector<Block*> lists_;
  Inlines* inlines_ = nullptr;  // the paragraph, heading or cell being filled
  bool implicit_ = false;       // inlines_ is a tight item's implicit paragraph
  Block* verbatim_ = nullptr;   // the code or HTML block being filled
  Block* table_ = nullptr;
  std::array<int, 3> counts_{};      // open emphasis, strong, strikethrough spans
  std::vector<std::string> links_;   // open links' safe targets ("" when not safe)
  std::vector<std::string> images_;  // open images' sources
  int code_ = 0;
};

}  // namespace

bool is_safe_link(std::string_view url) {
  auto has_scheme = [&](std::string_view scheme) {
    if (url.size() <= scheme.size()) return false;
    for (std::size_t i = 0; i < scheme.size(); ++i) {
      char c = url[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != scheme[i]) return false;
    }
    return true;
  };
  if (!has_scheme("http://") && !has_scheme("https://") && !has_scheme("mailto:")) return false;
  // A target goes into an escape sequence (OSC 8) when the terminal shows links: a control
  // character or a space in it is never part of a real URL and could end the sequence.
  return std::none_of(url.begin(), url.end(), [](char c) {
    const auto b = static_cast<unsigned char>(c);
    return b <= 0x20 || b == 0x7F;
  });
}

MarkdownDocument parse_markdown(std::string_view markdown) {
  constexpr std::size_t kPadding = 8;
  MD_PARSER parser{};
  parser.flags = MD_DIALECT_GITHUB;
  parser.enter_block = [](MD_BLOCKTYPE t, void* d, void* u) {
    return static_cast<Builder*>(u)->enter_block(t, d);
  };
  parser.leave_block = [](MD_BLOCKTYPE t, void*, void* u) {
    return static_cast<Builder*>(u)->leave_block(t);
  };
  parser.enter_span = [](MD_SPANTYPE t, void* d, void* u) {
    return static_cast<Builder*>(u)->enter_span(t, d);
  };
  parser.leave_span = [](MD_SPANTYPE t, void*, void* u) {
    return static_cast<Builder*>(u)->leave_span(t);
  };
  parser.text = [](MD_TEXTTYPE t, const MD_CHAR* s, MD_SIZE n, void* u) {
    return static_cast<Builder*>(u)->text(t, std::string_view(s, n));
  };
  // md4c 0.4.8 (Debian 12) reads past the end of its input when the input ends inside a link
  // destination that its permissive autolinks scan ("[a](https://x" followed in memory by ")"
  // gave a text callback of 3 GB). Streaming cuts text exactly there, in the middle of a larger
  // buffer, so md4c gets a copy of its own that NUL bytes end. (md4c 0.5 reworked autolinks.)
  std::string input;
  input.reserve(markdown.size() + kPadding);
  input.assign(markdown);
  input.append(kPadding, '\0');
  Builder builder;
  md_parse(input.data(), static_cast<MD_SIZE>(markdown.size()), &parser, &builder);
  return std::move(builder.doc);
}

}  // namespace aui::tui
