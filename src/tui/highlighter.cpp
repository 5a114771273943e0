// Code highlighting on GNU source-highlight: its language definitions and regex engine, our own
// formatters. source-highlight drives a SourceHighlighter over a line and calls the Formatter
// registered for each element ("keyword", "string", …) with the element's text; a formatter of
// ours per element appends a run of the element's kind to the line being built. That is the
// library's own extension point (its HTML, LaTeX and ANSI outputs are formatters too), so the
// kinds come straight from the definitions, with no output format to print and parse back.

#include "aui/tui/highlighter.hpp"

#include <srchilite/formatter.h>
#include <srchilite/formattermanager.h>
#include <srchilite/langdefmanager.h>
#include <srchilite/langmap.h>
#include <srchilite/regexrulefactory.h>
#include <srchilite/settings.h>
#include <srchilite/sourcehighlighter.h>

#include <array>
#include <cctype>
#include <cstdint>
#include <list>
#include <unordered_map>
#include <utility>

namespace aui::tui {

namespace {

// Element names of source-highlight's 3.1.9 definitions that have a kind of their own; every
// other element ("normal", "variable", "label", …) is Normal.
struct ElementKind {
  const char* element;
  TokenKind kind;
};
constexpr std::array<ElementKind, 27> kElementKinds{{
    {"keyword", TokenKind::Keyword},
    {"atom", TokenKind::Keyword},
    {"when", TokenKind::Keyword},
    {"then", TokenKind::Keyword},
    {"given", TokenKind::Keyword},
    {"and_but", TokenKind::Keyword},
    {"type", TokenKind::Type},
    {"usertype", TokenKind::Type},
    {"classname", TokenKind::Type},
    {"key", TokenKind::Type},  // JSON object keys
    {"string", TokenKind::String},
    {"regexp", TokenKind::String},
    {"regex", TokenKind::String},
    {"specialchar", TokenKind::String},  // escapes inside strings
    {"keyquote", TokenKind::String},
    {"valquote", TokenKind::String},
    {"comment", TokenKind::Comment},
    {"todo", TokenKind::Comment},
    {"number", TokenKind::Number},
    {"preproc", TokenKind::Preprocessor},
    {"function", TokenKind::Function},
    {"predef_func", TokenKind::Function},
    {"special_fun", TokenKind::Function},
    {"symbol", TokenKind::Symbol},
    {"cbracket", TokenKind::Symbol},
    {"colon", TokenKind::Symbol},
    {"selector", TokenKind::Type},
}};

// Names models write in info strings that lang.map lacks (it maps file extensions mostly).
// TypeScript is highlighted as JavaScript (a superset close enough for colour); YAML has no
// definition in source-highlight and stays plain.
constexpr std::array<std::pair<const char*, const char*>, 14> kAliases{{
    {"c++", "cpp"},
    {"rust", "rs"},
    {"ts", "js"},
    {"typescript", "js"},
    {"tsx", "js"},
    {"jsx", "js"},
    {"mjs", "js"},
    {"golang", "go"},
    {"jsonc", "json"},
    {"json5", "json"},
    {"console", "sh"},
    {"shell-session", "sh"},
    {"toml", "ini"},
    {"c#", "csharp"},
}};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Appends each piece of text it is given, as a run of its kind, to the line being built.
class RunFormatter : public srchilite::Formatter {
 public:
  RunFormatter(TokenKind kind, HighlightedLine** line) : kind_(kind), line_(line) {}
  void format(const std::string& s, const srchilite::FormatterParams*) override {
    if (s.empty() || *line_ == nullptr) return;
    HighlightedLine& line = **line_;
    if (!line.empty() && line.back().kind == kind_) {
      line.back().text += s;
    } else {
      line.push_back(TokenRun{kind_, s});
    }
  }

 private:
  TokenKind kind_;
  HighlightedLine** line_;
};

std::vector<HighlightedLine> plain_lines(std::string_view code) {
  std::vector<HighlightedLine> lines;
  std::size_t pos = 0;
  while (pos < code.size()) {
    std::size_t end = code.find('\n', pos);
    if (end == std::string_view::npos) end = code.size();
    HighlightedLine& line = lines.emplace_back();
    if (end > pos)
      line.push_back(TokenRun{TokenKind::Normal, std::string(code.substr(pos, end - pos))});
    pos = end + 1;
  }
  return lines;
}

}  // namespace

TokenKind token_kind_for_element(std::string_view element) {
  for (const auto& e : kElementKinds) {
    if (element == e.element) return e.kind;
  }
  return TokenKind::Normal;
}

struct Highlighter::Impl {
  std::string data_dir;
  srchilite::RegexRuleFactory rule_factory;
  srchilite::LangDefManager lang_defs{&rule_factory};
  std::unique_ptr<srchilite::LangMap> lang_map;  // null when lang.map could not be read
  bool lang_map_tried = false;
  // Language name → .lang file ("" = none), and .lang file → its definition (null = failed to
  // load): both looked up once.
  std::unordered_map<std::string, std::string> files;
  std::unordered_map<std::string, srchilite::HighlightStatePtr> states;
  HighlightedLine* current = nullptr;  // the line the formatters append to

  // Where highlighting a text stopped, to go on from there when the same text comes back longer
  // (a code block that is still streaming): its whole lines, their runs, and the highlighter's
  // state after them. The few most recent are kept.
  struct Session {
    std::string file;
    std::string text;  // whole lines, each ending in '\n'
    std::vector<HighlightedLine> lines;
    srchilite::HighlightStatePtr state;
    srchilite::HighlightStateStack stack;
  };
  static constexpr std::size_t kSessions = 8;
  std::list<Session> sessions;  // most recently used first
  srchilite::FormatterManager formatters{
      srchilite::FormatterPtr(new RunFormatter(TokenKind::Normal, &current))};

  Impl(std::string dir) : data_dir(std::move(dir)) {
    for (const auto& e : kElementKinds) {
      formatters.addFormatter(e.element,
                              srchilite::FormatterPtr(new RunFormatter(e.kind, &current)));
    }
  }

  std::string mapped(const std::string& name) {
    if (!lang_map_tried) {
      lang_map_tried = true;
      try {
        if (data_dir.empty()) data_dir = srchilite::Settings::retrieveDataDir();
        auto map = std::make_unique<srchilite::LangMap>(data_dir, "lang.map");
        map->open();
        lang_map = std::move(map);
      } catch (...) {
        // No lang.map (source-highlight's data not installed): every language is plain.
      }
    }
    if (!lang_map) return {};
    try {
      return lang_map->getMappedFileName(name);
    } catch (...) {
      return {};
    }
  }

  srchilite::HighlightStatePtr state_for(const std::string& file) {
    auto it = states.find(file);
    if (it != states.end()) return it->second;
    srchilite::HighlightStatePtr state;
    try {
      state = lang_defs.getHighlightState(data_dir, file);
    } catch (...) {
      // A definition that does not parse is a broken installation, not a reason to fail a
      // reply: the block shows plain.
    }
    states.emplace(file, state);
    return state;
  }
};

Highlighter::Highlighter(std::string data_dir)
    : impl_(std::make_unique<Impl>(std::move(data_dir))) {}
Highlighter::~Highlighter() = default;

std::string Highlighter::language_file(std::string_view language) {
  const std::string key(language);
  auto it = impl_->files.find(key);
  if (it != impl_->files.end()) return it->second;
  std::string file;
  if (!language.empty()) {
    file = impl_->mapped(key);
    const std::string low = lower(language);
    if (file.empty() && low != key) file = impl_->mapped(low);
    if (file.empty()) {
      for (const auto& [alias, target] : kAliases) {
        if (low == alias) file = impl_->mapped(target);
      }
    }
  }
  impl_->files.emplace(key, file);
  return file;
}

std::vector<HighlightedLine> Highlighter::highlight(std::string_view code,
                                                    std::string_view language) {
  const std::string file = language_file(language);
  if (file.empty()) return plain_lines(code);
  srchilite::HighlightStatePtr state = impl_->state_for(file);
  if (!state) return plain_lines(code);

  // Go on from the longest earlier text this one extends, if any: a streamed code block is
  // highlighted line by line once, not again at every update (source-highlight takes tens of
  // microseconds a line).
  auto& sessions = impl_->sessions;
  auto best = sessions.end();
  for (auto it = sessions.begin(); it != sessions.end(); ++it) {
    if (it->file == file && code.size() >= it->text.size() &&
        code.compare(0, it->text.size(), it->text) == 0 &&
        (best == sessions.end() || it->text.size() > best->text.size())) {
      best = it;
    }
  }
  Impl::Session session;
  if (best != sessions.end()) {
    session = std::move(*best);
    sessions.erase(best);
  } else {
    session.file = file;
  }

  srchilite::SourceHighlighter highlighter(state);
  highlighter.setFormatterManager(&impl_->formatters);
  highlighter.setOptimize(true);  // adjacent pieces of one element come as one
  if (session.state) {
    highlighter.setCurrentState(session.state);
    highlighter.setStateStack(
        srchilite::HighlightStateStackPtr(new srchilite::HighlightStateStack(session.stack)));
  }
  std::vector<HighlightedLine> lines = session.lines;
  try {
    std::size_t pos = session.text.size();
    while (pos < code.size()) {
      std::size_t end = code.find('\n', pos);
      const bool whole = end != std::string_view::npos;
      if (!whole) end = code.size();
      impl_->current = &lines.emplace_back();
      highlighter.highlightParagraph(std::string(code.substr(pos, end - pos)));
      if (whole) {
        // The state after a whole line is where a longer text goes on.
        session.lines.push_back(lines.back());
        session.text.append(code.substr(pos, end + 1 - pos));
        session.state = highlighter.getCurrentState();
        session.stack = *highlighter.getStateStack();
      }
      pos = end + 1;
    }
  } catch (...) {
    // boost::regex gives up on a pathological line ("complexity exceeded"); the block is shown
    // plain rather than half coloured.
    impl_->current = nullptr;
    return plain_lines(code);
  }
  impl_->current = nullptr;
  if (!session.text.empty()) {
    sessions.push_front(std::move(session));
    if (sessions.size() > Impl::kSessions) sessions.pop_back();
  }
  return lines;
}

std::size_t Highlighter::loaded_languages() const {
  std::size_t n = 0;
  for (const auto& [file, state] : impl_->states) n += state ? 1 : 0;
  return n;
}

}  // namespace aui::tui
