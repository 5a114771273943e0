// The message queue's lanes (spec §9.2, §9.7). When to dispatch is the runtime's business.

#include "aui/runtime/message_queue.hpp"

#include <algorithm>
#include <iostream>

#include "aui/runtime/append_message.hpp"
#include "aui/support/errors.hpp"

namespace aui {

struct MessageQueue::Entry {
  Id id;
  AppendMessage message;
};

namespace {

std::string quote(const Id& id) { return "\"" + id + "\""; }

}  // namespace

QueueItem project_queue_item(const AppendMessage& message) {
  QueueItem item;
  for (const auto& part : message.content) {
    if (const auto* t = part.get_if<TextPart>()) {
      if (!item.prompt.empty()) item.prompt += "\n\n";
      item.prompt += t->text.view();
      item.parts.push_back(part);
    } else if (part.is<FilePart>()) {
      item.parts.push_back(part);
    } else if (const auto* image = part.get_if<ImagePart>()) {
      item.parts.emplace_back(
          FilePart{.data = image->image, .mime_type = "image/*", .filename = image->filename});
    }
  }
  // Attachments add their non-text parts; their text parts are file bodies, not the prompt.
  for (const auto& attachment : message.attachments) {
    for (const auto& part : attachment.content) {
      if (part.is<TextPart>()) continue;
      if (const auto* image = part.get_if<ImagePart>()) {
        item.parts.emplace_back(
            FilePart{.data = image->image, .mime_type = "image/*", .filename = image->filename});
      } else {
        item.parts.push_back(part);
      }
    }
  }
  return item;
}

MessageQueue::MessageQueue()
    : steer_(std::make_unique<std::deque<Entry>>()),
      queue_(std::make_unique<std::deque<Entry>>()) {}

MessageQueue::~MessageQueue() = default;

std::deque<MessageQueue::Entry>& MessageQueue::lane(QueueLane l) {
  return l == QueueLane::Steer ? *steer_ : *queue_;
}

std::vector<QueueItem> MessageQueue::items() const {
  owner_.check("MessageQueue::items");
  std::vector<QueueItem> out;
  out.reserve(size());
  for (QueueLane l : {QueueLane::Steer, QueueLane::Queue}) {
    for (const auto& e : l == QueueLane::Steer ? *steer_ : *queue_) {
      QueueItem item = project_queue_item(e.message);
      item.id = e.id;
      item.lane = l;
      out.push_back(std::move(item));
    }
  }
  return out;
}

std::size_t MessageQueue::size() const noexcept {
  owner_.check("MessageQueue::size");
  return steer_->size() + queue_->size();
}

Id MessageQueue::add(AppendMessage message, QueueLane l) {
  owner_.check("MessageQueue::add");
  Id id = generate_id();
  lane(l).push_back(Entry{id, std::move(message)});
  changed();
  return id;
}

std::optional<AppendMessage> MessageQueue::take_next() {
  owner_.check("MessageQueue::take_next");
  for (auto* l : {steer_.get(), queue_.get()}) {
    if (l->empty()) continue;
    AppendMessage m = std::move(l->front().message);
    l->pop_front();
    changed();
    return m;
  }
  return std::nullopt;
}

void MessageQueue::clear() {
  owner_.check("MessageQueue::clear");
  if (empty()) return;
  steer_->clear();
  queue_->clear();
  changed();
}

const AppendMessage* MessageQueue::message(const Id& id) const {
  owner_.check("MessageQueue::message");
  for (const auto* l : {steer_.get(), queue_.get()}) {
    for (const auto& e : *l) {
      if (e.id == id) return &e.message;
    }
  }
  return nullptr;
}

void MessageQueue::remove(const Id& id) {
  owner_.check("MessageQueue::remove");
  for (auto* l : {steer_.get(), queue_.get()}) {
    auto it = std::find_if(l->begin(), l->end(), [&](const Entry& e) { return e.id == id; });
    if (it != l->end()) {
      l->erase(it);
      changed();
      return;
    }
  }
}

void MessageQueue::edit(const Id& id, AppendMessage message) {
  owner_.check("MessageQueue::edit");
  for (auto* l : {steer_.get(), queue_.get()}) {
    for (auto& e : *l) {
      if (e.id == id) {
        e.message = std::move(message);
        changed();
        return;
      }
    }
  }
  throw Error(ErrorKind::UnknownQueueItem, "no queued message " + quote(id));
}

void MessageQueue::move(const Id& id, const QueueMove& where) {
  owner_.check("MessageQueue::move");
  QueueLane from = QueueLane::Queue;
  std::deque<Entry>* source = nullptr;
  for (QueueLane l : {QueueLane::Steer, QueueLane::Queue}) {
    auto& q = lane(l);
    if (std::any_of(q.begin(), q.end(), [&](const Entry& e) { return e.id == id; })) {
      from = l;
      source = &q;
    }
  }
  if (!source) throw Error(ErrorKind::UnknownQueueItem, "no queued message " + quote(id));
  const QueueLane to = where.lane.value_or(from);
  auto& dest = lane(to);

  // Validate the anchors before anything moves.
  auto index_in_dest = [&](const Id& anchor) -> std::size_t {
    if (anchor == id)
      throw Error(ErrorKind::SelfAnchor, "a queued message cannot be placed next to itself");
    for (std::size_t i = 0; i < dest.size(); ++i) {
      if (dest[i].id == anchor) return i;
    }
    throw Error(ErrorKind::UnknownAnchor, "no queued message " + quote(anchor) + " in that lane");
  };
  std::optional<std::size_t> after;
  std::optional<std::size_t> before;
  bool front = false;
  bool end = false;
  if (where.insert_after) {
    if (*where.insert_after) {
      after = index_in_dest(**where.insert_after);
    } else {
      front = true;
    }
  }
  if (where.insert_before) {
    if (*where.insert_before) {
      before = index_in_dest(**where.insert_before);
    } else {
      end = true;
    }
  }
  if (where.insert_after && where.insert_before) {
    // Both anchors: they must be neighbours (ignoring the item itself).
    std::vector<Id> order;
    for (const auto& e : dest) {
      if (e.id != id) order.push_back(e.id);
    }
    auto pos = [&](const Id& x) {
      return std::find(order.begin(), order.end(), x) - order.begin();
    };
    const long a = front ? -1 : pos(dest[*after].id);
    const long b = end ? static_cast<long>(order.size()) : pos(dest[*before].id);
    if (b != a + 1) throw Error(ErrorKind::NotAdjacent, "the two anchors are not neighbours");
  }

  auto it =
      std::find_if(source->begin(), source->end(), [&](const Entry& e) { return e.id == id; });
  const std::size_t old_index = static_cast<std::size_t>(it - source->begin());
  Entry entry = std::move(*it);
  source->erase(it);
  std::size_t index = 0;
  const bool same_lane = source == &dest;
  auto shift = [&](std::size_t i) { return same_lane && i > old_index ? i - 1 : i; };
  if (after) {
    index = shift(*after) + 1;
  } else if (front) {
    index = 0;
  } else if (before) {
    index = shift(*before);
  } else if (end) {
    index = dest.size();
  } else {
    index = same_lane ? old_index : dest.size();  // no anchors: same place, or the other lane's end
  }
  dest.insert(dest.begin() + static_cast<long>(std::min(index, dest.size())), std::move(entry));
  changed();
  if (on_moved) on_moved();
}

Subscription MessageQueue::subscribe(std::function<void()> on_change) {
  owner_.check("MessageQueue::subscribe");
  const auto key = ++next_listener_;
  listeners_.emplace_back(key, std::make_shared<std::function<void()>>(std::move(on_change)));
  return Subscription(lifetime_.guard(
      [this, key] { std::erase_if(listeners_, [key](const auto& l) { return l.first == key; }); }));
}

void MessageQueue::changed() {
  auto snapshot = listeners_;  // a listener may unsubscribe while we call
  for (const auto& [key, fn] : snapshot) {
    try {
      (*fn)();
    } catch (...) {
      const std::exception_ptr thrown = std::current_exception();
      const Error error(ErrorKind::ListenerFailed,
                        "a queue subscriber threw: " + describe_exception(thrown), thrown);
      if (on_error) {
        on_error(error);
      } else {
        std::cerr << "aui: " << error.what() << '\n';
      }
    }
  }
}

}  // namespace aui
