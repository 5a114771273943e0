#include "aui/tui/transcript_layout.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "aui/tui/text_width.hpp"

namespace aui::tui {

void LayoutLine::append(std::string_view text, const Style& style, std::uint16_t hit) {
  if (text.empty()) return;
  if (!spans.empty() && spans.back().style == style && spans.back().hit == hit) {
    spans.back().text += text;
  } else {
    spans.push_back(LayoutSpan{std::string(text), style, hit});
  }
}

std::string LayoutLine::text() const {
  std::string out;
  for (const auto& s : spans) out += s.text;
  return out;
}

void layout_text(std::string_view text, int width, const Style& style,
                 std::vector<LayoutLine>& out) {
  for (const WrappedLine& w : wrap_to_width(text, std::max(1, width))) {
    LayoutLine line;
    line.append(text.substr(w.begin, w.end - w.begin), style);
    out.push_back(std::move(line));
  }
}

std::string pretty_json(const Json& json) {
  if (json.is_string()) return json.get<std::string>();
  // Replace invalid UTF-8 rather than throw: the text comes from a model or a tool.
  return json.dump(2, ' ', false, Json::error_handler_t::replace);
}

namespace {

// Lines of `text` wrapped to `width`, each prefixed with `prefix` (the card's bar).
void wrapped_with_prefix(std::string_view text, int width, std::string_view prefix,
                         const Style& prefix_style, const Style& style,
                         std::vector<LayoutLine>& out) {
  const int inner = std::max(1, width - static_cast<int>(display_width(prefix)));
  for (const WrappedLine& w : wrap_to_width(text, inner)) {
    LayoutLine line;
    line.append(prefix, prefix_style);
    line.append(text.substr(w.begin, w.end - w.begin), style);
    out.push_back(std::move(line));
  }
}

std::string error_text(const Json& error) {
  if (error.is_object()) {
    auto it = error.find("message");
    if (it != error.end() && it->is_string()) return it->get<std::string>();
  }
  if (error.is_string()) return error.get<std::string>();
  if (error.is_null()) return {};
  return error.dump(-1, ' ', false, Json::error_handler_t::replace);
}

class Builder {
 public:
  Builder(const ThreadMessage& message, int width, std::uint32_t flags,
          const LayoutOptions& options)
      : m_(message), width_(std::max(1, width)), flags_(flags), o_(options) {}

  MessageLayout build() {
    for (std::size_t i = 0; i < m_.content.size(); ++i) part(i, m_.content[i]);
    for (const Attachment& a : m_.attachments) {
      std::string line = "[attached] " + (a.name.empty() ? a.id : a.name);
      if (!a.content_type.empty()) line += " (" + a.content_type + ")";
      wrapped_with_prefix(line, width_, "", o_.dim, o_.dim, out_.lines);
    }
    if (m_.role == Role::Assistant && m_.status.type == StatusType::Incomplete &&
        m_.status.reason == StatusReason::Error) {
      std::string text = error_text(*m_.status.error);
      if (text.empty()) text = "The reply failed.";
      wrapped_with_prefix(text, width_, "\u26a0 ", o_.error, o_.error, out_.lines);
    }
    return std::move(out_);
  }

 private:
  std::uint16_t hit(LayoutHitKind kind, std::size_t part, std::string option_id = {}) {
    out_.hits.push_back(LayoutHit{kind, part, std::move(option_id)});
    return static_cast<std::uint16_t>(out_.hits.size());
  }

  void part(std::size_t index, const ContentPart& p) {
    switch (p.type()) {
      case PartType::Text:
        // An empty part (a reply that has not started, or failed first) takes no row.
        if (p.as<TextPart>().text.empty()) break;
        if (o_.text_layout) {
          const TextLayoutRequest request{m_, index, p.as<TextPart>().text.view(), width_,
                                          m_.status.type == StatusType::Running};
          o_.text_layout(request, o_.text, out_.lines);
        } else {
          layout_text(p.as<TextPart>().text.view(), width_, o_.text, out_.lines);
        }
        break;
      case PartType::Reasoning: reasoning(index, p.as<ReasoningPart>()); break;
      case PartType::ToolCall: tool_card(index, p.as<ToolCallPart>()); break;
      case PartType::Source: {
        const auto& s = p.as<SourcePart>();
        std::string title = s.title ? *s.title : std::string();
        std::string where = s.source_type == SourceType::Url ? s.url : s.filename;
        std::string line = title.empty() ? where : title + " \u2014 " + where;
        wrapped_with_prefix(line, width_, "\u2197 ", o_.dim, o_.link, out_.lines);
        break;
      }
      case PartType::Image: {
        const auto& img = p.as<ImagePart>();
        wrapped_with_prefix("[image] " + (img.filename.empty() ? "(inline)" : img.filename), width_,
                            "", o_.dim, o_.dim, out_.lines);
        break;
      }
      case PartType::File: {
        const auto& f = p.as<FilePart>();
        std::string line = "[file] " + (f.filename.empty() ? "(unnamed)" : f.filename);
        if (!f.mime_type.empty()) line += " (" + f.mime_type + ")";
        wrapped_with_prefix(line, width_, "", o_.dim, o_.dim, out_.lines);
        break;
      }
      case PartType::Audio:
        wrapped_with_prefix("[audio] " + p.as<AudioPart>().format, width_, "", o_.dim, o_.dim,
                            out_.lines);
        break;
      case PartType::Data:
        wrapped_with_prefix("[data] " + p.as<DataPart>().name, width_, "", o_.dim, o_.dim,
                            out_.lines);
        break;
      case PartType::GenerativeUI:
        wrapped_with_prefix("[interface: shown by graphical front ends]", width_, "", o_.dim,
                            o_.dim, out_.lines);
        break;
    }
  }

  void reasoning(std::size_t index, const ReasoningPart& r) {
    const bool streaming = part_status(m_, index).type == StatusType::Running;
    const std::uint16_t h = hit(LayoutHitKind::ToggleReasoning, index);
    LayoutLine head;
    if (flags_ & kReasoningOpen) {
      head.append("\u25be Reasoning (t hides)", o_.dim, h);
      out_.lines.push_back(std::move(head));
      wrapped_with_prefix(r.text.view(), width_, "  ", o_.dim, o_.dim, out_.lines);
    } else {
      const std::size_t lines = wrap_to_width(r.text.view(), std::max(1, width_ - 2)).size();
      std::string label = streaming ? "\u25b8 Thinking\u2026" : "\u25b8 Reasoning";
      label += " (" + std::to_string(lines) + (lines == 1 ? " line" : " lines") + ", t shows)";
      head.append(label, o_.dim, h);
      out_.lines.push_back(std::move(head));
    }
  }

  void tool_card(std::size_t index, const ToolCallPart& call) {
    const Approval* approval = call.approval.get();
    const bool pending_approval = approval && approval->pending();
    const bool human = waits_for_answer(m_, call, o_.is_human_tool);
    std::string status;
    Style status_style = o_.dim;
    if (pending_approval) {
      status = "waiting for approval";
      status_style = o_.warn;
    } else if (approval && approval->approved == false) {
      status = "denied";
      status_style = o_.error;
    } else if (human) {
      status = "waiting for your answer";
      status_style = o_.warn;
    } else if (call.resolved()) {
      const bool failed = call.is_error.value_or(false);
      status = failed ? "failed" : "done";
      status_style = failed ? o_.error : o_.ok;
    } else if (m_.status.type == StatusType::Running) {
      status = "running";
    } else {
      status = "not run";
    }
    const std::string bar = "\u2502 ";
    LayoutLine head;
    head.append("\u256d\u2500 ", o_.card);
    std::string name = call.tool_name.empty() ? std::string("tool") : call.tool_name;
    if (o_.tool_label && !call.tool_name.empty()) name = o_.tool_label(call.tool_name);
    head.append(name, o_.tool_name);
    head.append(" \u00b7 ", o_.card);
    head.append(status, status_style);
    out_.lines.push_back(std::move(head));

    // The arguments: the parsed (possibly partial) object pretty-printed, or the raw text when
    // nothing parsed yet.
    std::string args;
    if (call.args.is_object() && !call.args.empty()) {
      args = pretty_json(call.args);
    } else if (!call.args_text.empty()) {
      args = std::string(call.args_text.view());
    } else {
      args = "{}";
    }
    wrapped_with_prefix(args, width_, bar, o_.card, o_.text, out_.lines);

    if (call.resolved()) {
      const bool failed = call.is_error.value_or(false);
      LayoutLine label;
      label.append(bar, o_.card);
      label.append(failed ? "error:" : "result:", failed ? o_.error : o_.dim);
      out_.lines.push_back(std::move(label));
      std::vector<LayoutLine> result;
      wrapped_with_prefix(pretty_json(*call.result), width_, bar, o_.card,
                          failed ? o_.error : o_.text, result);
      const std::size_t limit = static_cast<std::size_t>(std::max(1, o_.result_lines));
      const bool open = flags_ & kResultsOpen;
      if (result.size() > limit + 1 && !open) {
        const std::size_t more = result.size() - limit;
        result.resize(limit);
        LayoutLine fold;
        fold.append(bar, o_.card);
        fold.append("\u2026 " + std::to_string(more) + " more lines (o shows)", o_.dim,
                    hit(LayoutHitKind::ToggleResults, index));
        result.push_back(std::move(fold));
      } else if (result.size() > limit + 1) {
        LayoutLine fold;
        fold.append(bar, o_.card);
        fold.append("\u25b4 o hides", o_.dim, hit(LayoutHitKind::ToggleResults, index));
        result.push_back(std::move(fold));
      }
      for (auto& l : result) out_.lines.push_back(std::move(l));
    }
    if (approval && approval->reason && !approval->reason->empty()) {
      wrapped_with_prefix("reason: " + *approval->reason, width_, bar, o_.card, o_.dim, out_.lines);
    }
    if (pending_approval) choices(index, *approval);
    if (human) {
      LayoutLine ask;
      ask.append(bar, o_.card);
      ask.append("[Enter] answer", o_.choice, hit(LayoutHitKind::Answer, index));
      out_.lines.push_back(std::move(ask));
    }
    LayoutLine foot;
    foot.append("\u2570\u2500", o_.card);
    out_.lines.push_back(std::move(foot));
  }

  // The approval's choices, as many on a line as fit.
  void choices(std::size_t index, const Approval& approval) {
    struct Choice {
      std::string label;
      std::uint16_t hit;
    };
    std::vector<Choice> list;
    if (approval.options && !approval.options->empty()) {
      int n = 0;
      for (const ApprovalOption& opt : *approval.options) {
        ++n;
        std::string key = n <= 9 ? "[" + std::to_string(n) + "] " : std::string();
        list.push_back(Choice{key + (opt.label.empty() ? opt.kind : opt.label),
                              hit(LayoutHitKind::Option, index, opt.id)});
      }
    } else {
      list.push_back(Choice{"[a] Allow once", hit(LayoutHitKind::ApproveOnce, index)});
      list.push_back(Choice{"[A] Always allow", hit(LayoutHitKind::ApproveAlways, index)});
      list.push_back(Choice{"[d] Deny", hit(LayoutHitKind::Deny, index)});
    }
    const std::string bar = "\u2502 ";
    const int inner = std::max(1, width_ - 2);
    LayoutLine line;
    int used = 0;
    for (const Choice& c : list) {
      const int w = static_cast<int>(display_width(c.label));
      if (used > 0 && used + 2 + w > inner) {
        out_.lines.push_back(std::move(line));
        line = LayoutLine{};
        used = 0;
      }
      if (used == 0) {
        line.append(bar, o_.card);
      } else {
        line.append("  ", o_.text);
        used += 2;
      }
      line.append(c.label, o_.choice, c.hit);
      used += w;
    }
    if (!line.spans.empty()) out_.lines.push_back(std::move(line));
  }

  const ThreadMessage& m_;
  int width_;
  std::uint32_t flags_;
  const LayoutOptions& o_;
  MessageLayout out_;
};

}  // namespace

bool waits_for_answer(const ThreadMessage& message, const ToolCallPart& call,
                      const std::function<bool(const std::string&)>& is_human_tool) {
  if (call.resolved() || call.approval) return false;
  if (!call.interrupt.is_null()) return true;
  return is_human_tool && message.status.type == StatusType::RequiresAction &&
         is_human_tool(call.tool_name);
}

std::optional<WaitingToolCall> first_waiting_call(
    const ThreadMessage& message, const std::function<bool(const std::string&)>& is_human_tool) {
  if (message.role != Role::Assistant) return std::nullopt;
  for (std::size_t i = 0; i < message.content.size(); ++i) {
    const auto* call = message.content[i].get_if<ToolCallPart>();
    if (!call) continue;
    const Approval* approval = call->approval.get();
    const bool pending_approval = approval && approval->pending();
    const bool human = waits_for_answer(message, *call, is_human_tool);
    if (!pending_approval && !human) continue;
    WaitingToolCall w;
    w.part = i;
    w.tool_call_id = call->tool_call_id;
    w.tool_name = call->tool_name;
    w.arguments = call->args.is_object() && !call->args.empty()
                      ? pretty_json(call->args)
                      : std::string(call->args_text.view());
    if (pending_approval) {
      w.approval_id = approval->id;
      w.has_options = approval->options && !approval->options->empty();
    }
    return w;
  }
  return std::nullopt;
}

MessageLayout layout_message(const ThreadMessage& message, int width, std::uint32_t flags,
                             const LayoutOptions& options) {
  return Builder(message, width, flags, options).build();
}

}  // namespace aui::tui
