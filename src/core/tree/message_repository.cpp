// The message tree (spec §3). Nodes live in an arena addressed by index; node 0 is the invisible
// root. The current branch is kept as a PersistentVector and updated from the point where the
// old and new branches diverge, so a branch switch costs the divergence, not the thread.

#include "aui/tree/message_repository.hpp"

#include <algorithm>
#include <iterator>
#include <optional>

#include "aui/support/errors.hpp"

namespace aui {

namespace {

constexpr std::uint32_t kNone = 0xffffffffu;
constexpr std::uint32_t kRoot = 0;

std::string q(std::string_view id) { return "\"" + std::string(id) + "\""; }

struct StringHash {
  std::size_t operator()(std::string_view s) const noexcept {
    return std::hash<std::string_view>{}(s);
  }
};

}  // namespace

struct MessageRepository::Impl {
  // Children form an intrusive singly linked list in insertion (branch) order: a node costs no
  // allocation of its own beyond its 40 bytes in the arena. Unlinking a child walks its siblings,
  // which only removal and moves do; appending stays O(1) through last_child.
  struct Node {
    MessagePtr message;
    std::uint32_t parent = kNone;
    std::uint32_t selected = kNone;
    std::uint32_t level = 0;
    std::uint32_t first_child = kNone;
    std::uint32_t last_child = kNone;
    std::uint32_t next = kNone;
  };

  std::vector<Node> nodes{Node{}};  // nodes[0] is the root
  std::vector<std::uint32_t> free_nodes;
  // The id index: an open-addressing table (linear probing) of node numbers, keyed by the id of
  // the node's message. It stores no key of its own, so an entry costs 4 bytes of a table kept
  // at most 3/4 full (a node-based hash map cost ~57 bytes a message: a 48-byte node holding a
  // view of the id, plus its bucket).
  std::vector<std::uint32_t> slots;  // size 0 or a power of two; kNone = empty
  std::size_t count = 0;

  static std::size_t hash_of(std::string_view id) noexcept { return StringHash{}(id); }
  std::string_view key_of(std::uint32_t n) const noexcept { return nodes[n].message->id; }

  // `hash` is hash_of(the node's id), when the caller has it already.
  void index_insert(std::uint32_t n) { index_insert(n, hash_of(key_of(n))); }
  void index_insert(std::uint32_t n, std::size_t hash) {
    grow_index(count + 1);
    place(n, hash);
    ++count;
  }
  // Makes room in the index for `entries` entries without growing again.
  void grow_index(std::size_t entries) {
    if (entries * 4 <= slots.size() * 3) return;
    std::size_t size = slots.empty() ? 16 : slots.size() * 2;
    while (entries * 4 > size * 3) size *= 2;
    std::vector<std::uint32_t> old = std::move(slots);
    slots.assign(size, kNone);
    for (const std::uint32_t x : old) {
      if (x != kNone) place(x, hash_of(key_of(x)));
    }
  }
  void place(std::uint32_t n, std::size_t hash) {
    const std::size_t mask = slots.size() - 1;
    std::size_t i = hash & mask;
    while (slots[i] != kNone) i = (i + 1) & mask;
    slots[i] = n;
  }
  // Removes id's entry; later entries of its cluster shift back, so no tombstones accumulate.
  void index_erase(std::string_view id) {
    if (slots.empty()) return;
    const std::size_t mask = slots.size() - 1;
    std::size_t i = hash_of(id) & mask;
    while (slots[i] != kNone && key_of(slots[i]) != id) i = (i + 1) & mask;
    if (slots[i] == kNone) return;
    --count;
    for (std::size_t j = (i + 1) & mask; slots[j] != kNone; j = (j + 1) & mask) {
      const std::size_t home = hash_of(key_of(slots[j])) & mask;
      // slots[j] may move into the hole at i unless its home lies cyclically in (i, j].
      const bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
      if (stays) continue;
      slots[i] = slots[j];
      i = j;
    }
    slots[i] = kNone;
  }

  std::vector<std::uint32_t> children_of(std::uint32_t n) const {
    std::vector<std::uint32_t> out;
    for (std::uint32_t c = nodes[n].first_child; c != kNone; c = nodes[c].next) out.push_back(c);
    return out;
  }

  void link_last(std::uint32_t parent, std::uint32_t n) {
    Node& p = nodes[parent];
    nodes[n].next = kNone;
    if (p.last_child != kNone) {
      nodes[p.last_child].next = n;
    } else {
      p.first_child = n;
    }
    p.last_child = n;
  }

  // `message` has the id of the node's current message, so its index entry stays as it is.
  void replace_message(std::uint32_t n, MessagePtr message) {
    nodes[n].message = std::move(message);
  }
  std::uint32_t head = kNone;
  MessageList branch;

  std::uint32_t lookup(std::string_view id) const { return lookup(id, hash_of(id)); }
  std::uint32_t lookup(std::string_view id, std::size_t hash) const {
    if (slots.empty()) return kNone;
    const std::size_t mask = slots.size() - 1;
    for (std::size_t i = hash & mask; slots[i] != kNone; i = (i + 1) & mask) {
      if (key_of(slots[i]) == id) return slots[i];
    }
    return kNone;
  }

  bool on_branch(std::uint32_t n) const {
    if (n == kRoot) return true;
    const Node& node = nodes[n];
    return node.level < branch.size() && branch[node.level].get() == node.message.get();
  }

  std::uint32_t deepest_from(std::uint32_t n) const {
    while (nodes[n].selected != kNone) n = nodes[n].selected;
    return n;
  }

  // Every ancestor of n selects the path to n. Ancestors of a node on the current branch already
  // do (the head's path is always selected), so the walk stops there: it costs the divergence.
  void select_path_to(std::uint32_t n) {
    while (n != kRoot) {
      const std::uint32_t p = nodes[n].parent;
      const bool already = on_branch(n);
      nodes[p].selected = n;
      if (already) break;
      n = p;
    }
  }

  // The same, for use after a structural change, when the cached branch may name moved nodes
  // and cannot tell where to stop: walks to the root (what rebuilding the branch costs anyway).
  void select_whole_path_to(std::uint32_t n) {
    for (; n != kRoot; n = nodes[n].parent) nodes[nodes[n].parent].selected = n;
  }

  bool is_ancestor_or_self(std::uint32_t ancestor, std::uint32_t n) const {
    while (n != kNone) {
      if (n == ancestor) return true;
      if (n == kRoot) return false;
      n = nodes[n].parent;
    }
    return false;
  }

  // Makes `new_head` the head and brings `branch` up to date from the divergence point.
  void set_branch_to(std::uint32_t new_head) {
    head = new_head == kRoot ? kNone : new_head;
    std::vector<std::uint32_t> path;
    std::uint32_t x = new_head;
    while (x != kRoot && x != kNone && !on_branch(x)) {
      path.push_back(x);
      x = nodes[x].parent;
    }
    const std::size_t keep = (x == kRoot || x == kNone) ? 0 : nodes[x].level + 1;
    branch = extended(branch.take(keep), path);
  }

  // After a structural change the cached branch may name moved nodes: rebuild it from the head.
  void rebuild_branch() {
    std::vector<std::uint32_t> path;
    for (std::uint32_t x = head == kNone ? kRoot : head; x != kRoot; x = nodes[x].parent)
      path.push_back(x);
    branch = extended(MessageList(), path);
  }

  // `base` followed by the messages of `path`, which lists nodes deepest first. One append for
  // a long path: a push_back each copies the last leaf every time.
  MessageList extended(const MessageList& base, const std::vector<std::uint32_t>& path) const {
    if (path.empty()) return base;
    if (path.size() == 1) return base.push_back(nodes[path[0]].message);
    std::vector<MessagePtr> items;
    items.reserve(path.size());
    for (auto it = path.rbegin(); it != path.rend(); ++it) items.push_back(nodes[*it].message);
    return base.append(std::make_move_iterator(items.begin()),
                       std::make_move_iterator(items.end()));
  }

  void recompute_levels(std::uint32_t top) {
    std::vector<std::uint32_t> stack{top};
    while (!stack.empty()) {
      const std::uint32_t n = stack.back();
      stack.pop_back();
      const std::uint32_t p = nodes[n].parent;
      nodes[n].level = p == kRoot ? 0 : nodes[p].level + 1;
      for (std::uint32_t c = nodes[n].first_child; c != kNone; c = nodes[c].next)
        stack.push_back(c);
    }
  }

  void detach_from_parent(std::uint32_t n) {
    const std::uint32_t p = nodes[n].parent;
    std::uint32_t before = kNone;
    for (std::uint32_t c = nodes[p].first_child; c != n; c = nodes[c].next) before = c;
    Node& node = nodes[n];
    if (before != kNone) {
      nodes[before].next = node.next;
    } else {
      nodes[p].first_child = node.next;
    }
    if (node.next == kNone) nodes[p].last_child = before;
    node.next = kNone;
    if (nodes[p].selected == n) nodes[p].selected = nodes[p].last_child;
  }

  // Moves n (with its subtree) under `to` (spec §3.3 move rules).
  void move(std::uint32_t n, std::uint32_t to) {
    const bool leads_to_head = head != kNone && deepest_from(n) == head;
    detach_from_parent(n);
    nodes[n].parent = to;
    link_last(to, n);
    recompute_levels(n);
    if (leads_to_head) {
      select_whole_path_to(n);
    } else if (nodes[to].selected == kNone) {
      nodes[to].selected = n;
    }
  }

  // Inserts a message whose id is not in the tree (hash = hash_of(its id)) as the last child of
  // `parent`, spec §3.3; returns its node. When its parent was the head it becomes the head, and
  // the caller puts it on `branch`.
  std::uint32_t add_new(std::uint32_t parent, MessagePtr message, std::size_t hash) {
    const std::uint32_t n = new_node();
    auto& node = nodes[n];
    node.parent = parent;
    node.level = parent == kRoot ? 0 : nodes[parent].level + 1;
    node.message = std::move(message);
    index_insert(n, hash);
    link_last(parent, n);
    if (nodes[parent].selected == kNone) nodes[parent].selected = n;
    const bool parent_is_head = parent == kRoot ? head == kNone : head == parent;
    if (parent_is_head) {
      nodes[parent].selected = n;
      head = n;
    }
    return n;
  }

  std::uint32_t new_node() {
    if (!free_nodes.empty()) {
      const std::uint32_t n = free_nodes.back();
      free_nodes.pop_back();
      return n;
    }
    nodes.emplace_back();
    return static_cast<std::uint32_t>(nodes.size() - 1);
  }

  void free_node(std::uint32_t n) {
    index_erase(nodes[n].message->id);
    nodes[n] = Node{};
    free_nodes.push_back(n);
  }

  // Deletes every descendant of n (not n itself).
  void delete_descendants(std::uint32_t n) {
    std::vector<std::uint32_t> stack = children_of(n);
    nodes[n].first_child = nodes[n].last_child = kNone;
    nodes[n].selected = kNone;
    while (!stack.empty()) {
      const std::uint32_t x = stack.back();
      stack.pop_back();
      for (std::uint32_t c = nodes[x].first_child; c != kNone; c = nodes[c].next)
        stack.push_back(c);
      free_node(x);
    }
  }

  // spec §3.6
  void remove(std::uint32_t n, std::uint32_t replacement) {
    const bool was_head = head == n;
    const auto children = children_of(n);  // a copy: move() edits the list
    for (auto c : children) move(c, replacement);
    detach_from_parent(n);
    free_node(n);
    if (was_head) head = deepest_from(replacement) == kRoot ? kNone : deepest_from(replacement);
    if (head != kNone) select_whole_path_to(head);
    rebuild_branch();
  }

  // Optimistic messages on the old path that the new path does not share are evicted (§3.8).
  void evict_optimistic(std::uint32_t old_head) {
    std::vector<std::uint32_t> victims;
    for (std::uint32_t x = old_head; x != kRoot && x != kNone && !on_branch(x);
         x = nodes[x].parent) {
      if (nodes[x].message->metadata.is_optimistic) victims.push_back(x);
    }
    for (auto v : victims) remove(v, nodes[v].parent);
  }

  void move_head(std::uint32_t new_head) {
    const std::uint32_t old_head = head;
    set_branch_to(new_head);
    if (old_head != kNone && old_head != head && nodes[old_head].message)
      evict_optimistic(old_head);
  }
};

MessageRepository::MessageRepository() : impl_(std::make_unique<Impl>()) {}
MessageRepository::~MessageRepository() = default;
MessageRepository::MessageRepository(MessageRepository&&) noexcept = default;
MessageRepository& MessageRepository::operator=(MessageRepository&&) noexcept = default;

const MessageList& MessageRepository::messages() const noexcept { return impl_->branch; }

MessageList MessageRepository::messages_up_to(std::string_view id) const {
  const std::uint32_t n = impl_->lookup(id);
  if (n == kNone) throw Error(ErrorKind::HeadNotFound, "message " + q(id) + " not found");
  // Shares the current branch down to where the path leaves it: costs the divergence.
  std::vector<std::uint32_t> path;
  std::uint32_t x = n;
  while (x != kRoot && !impl_->on_branch(x)) {
    path.push_back(x);
    x = impl_->nodes[x].parent;
  }
  return impl_->extended(x == kRoot ? MessageList() : impl_->branch.take(impl_->nodes[x].level + 1),
                         path);
}

std::optional<Id> MessageRepository::head_id() const {
  if (impl_->head == kNone) return std::nullopt;
  return impl_->nodes[impl_->head].message->id;
}

std::optional<Id> MessageRepository::canonical_head_id() const {
  for (std::uint32_t x = impl_->head; x != kNone && x != kRoot; x = impl_->nodes[x].parent) {
    if (!impl_->nodes[x].message->metadata.is_optimistic) return impl_->nodes[x].message->id;
  }
  return std::nullopt;
}

bool MessageRepository::contains(std::string_view id) const noexcept {
  return impl_->lookup(id) != kNone;
}

std::size_t MessageRepository::size() const noexcept { return impl_->count; }

MessageLocation MessageRepository::get(std::string_view id) const {
  const std::uint32_t n = impl_->lookup(id);
  if (n == kNone) throw Error(ErrorKind::MessageNotFound, "message " + q(id) + " not found");
  const auto& node = impl_->nodes[n];
  MessageLocation loc;
  loc.message = node.message;
  if (node.parent != kRoot) loc.parent_id = impl_->nodes[node.parent].message->id;
  loc.index = node.level;
  return loc;
}

MessagePtr MessageRepository::find(std::string_view id) const noexcept {
  const std::uint32_t n = impl_->lookup(id);
  return n == kNone ? nullptr : impl_->nodes[n].message;
}

std::vector<Id> MessageRepository::get_branches(std::string_view id) const {
  const std::uint32_t n = impl_->lookup(id);
  if (n == kNone) throw Error(ErrorKind::MessageNotFound, "message " + q(id) + " not found");
  std::vector<Id> out;
  for (auto c : impl_->children_of(impl_->nodes[n].parent))
    out.push_back(impl_->nodes[c].message->id);
  return out;
}

std::pair<std::size_t, std::size_t> MessageRepository::branch_number(std::string_view id) const {
  const std::uint32_t n = impl_->lookup(id);
  if (n == kNone) throw Error(ErrorKind::MessageNotFound, "message " + q(id) + " not found");
  std::size_t pos = 0;
  std::size_t count = 0;
  for (std::uint32_t c = impl_->nodes[impl_->nodes[n].parent].first_child; c != kNone;
       c = impl_->nodes[c].next) {
    ++count;
    if (c == n) pos = count;
  }
  return {pos, count};
}

std::vector<Id> MessageRepository::children(const std::optional<Id>& id) const {
  std::uint32_t n = kRoot;
  if (id) {
    n = impl_->lookup(*id);
    if (n == kNone) throw Error(ErrorKind::MessageNotFound, "message " + q(*id) + " not found");
  }
  std::vector<Id> out;
  for (auto c : impl_->children_of(n)) out.push_back(impl_->nodes[c].message->id);
  return out;
}

void MessageRepository::add_or_update(const std::optional<Id>& parent_id, MessagePtr message) {
  auto& im = *impl_;
  std::uint32_t parent = kRoot;
  if (parent_id) {
    parent = im.lookup(*parent_id);
    if (parent == kNone)
      throw Error(ErrorKind::ParentNotFound, "parent message " + q(*parent_id) + " not found");
  }
  const std::size_t hash = Impl::hash_of(message->id);
  const std::uint32_t existing = im.lookup(message->id, hash);
  if (existing != kNone) {
    if (im.nodes[existing].parent != parent) {
      if (im.is_ancestor_or_self(existing, parent)) {
        throw Error(ErrorKind::Cycle,
                    "message " + q(message->id) + " cannot be placed under itself");
      }
      im.replace_message(existing, std::move(message));
      im.move(existing, parent);
      im.rebuild_branch();
      return;
    }
    // Update in place: position and children are kept.
    const bool was_on_branch = im.on_branch(existing);
    im.replace_message(existing, std::move(message));
    if (was_on_branch)
      im.branch = im.branch.set(im.nodes[existing].level, im.nodes[existing].message);
    return;
  }
  const std::uint32_t n = im.add_new(parent, std::move(message), hash);
  if (im.head == n) im.branch = im.branch.push_back(im.nodes[n].message);
}

bool MessageRepository::replace(MessagePtr message) {
  auto& im = *impl_;
  const std::uint32_t n = im.lookup(message->id);
  if (n == kNone) return false;
  const bool was_on_branch = im.on_branch(n);
  im.replace_message(n, std::move(message));
  if (was_on_branch) im.branch = im.branch.set(im.nodes[n].level, im.nodes[n].message);
  return true;
}

void MessageRepository::switch_to_branch(std::string_view id) {
  auto& im = *impl_;
  const std::uint32_t n = im.lookup(id);
  if (n == kNone) throw Error(ErrorKind::BranchNotFound, "branch " + q(id) + " not found");
  im.select_path_to(n);
  im.move_head(im.deepest_from(n));
}

void MessageRepository::reset_head(const std::optional<Id>& id) {
  auto& im = *impl_;
  if (!id) {
    clear();
    return;
  }
  const std::uint32_t n = im.lookup(*id);
  if (n == kNone) throw Error(ErrorKind::BranchNotFound, "branch " + q(*id) + " not found");
  const bool head_below = im.head != kNone && im.head != n && im.is_ancestor_or_self(n, im.head);
  im.delete_descendants(n);
  im.select_path_to(n);
  if (head_below) {
    // The old head was deleted: nothing of the old path below n remains to evict.
    im.head = kNone;
    im.set_branch_to(n);
  } else {
    im.move_head(n);
  }
}

void MessageRepository::remove(std::string_view id) {
  const std::uint32_t n = impl_->lookup(id);
  if (n == kNone) throw Error(ErrorKind::MessageNotFound, "message " + q(id) + " not found");
  impl_->remove(n, impl_->nodes[n].parent);
}

void MessageRepository::remove(std::string_view id, const std::optional<Id>& replacement) {
  auto& im = *impl_;
  const std::uint32_t n = im.lookup(id);
  if (n == kNone) throw Error(ErrorKind::MessageNotFound, "message " + q(id) + " not found");
  std::uint32_t to = kRoot;
  if (replacement) {
    to = im.lookup(*replacement);
    if (to == kNone)
      throw Error(ErrorKind::MessageNotFound, "message " + q(*replacement) + " not found");
    if (im.is_ancestor_or_self(n, to)) {
      throw Error(ErrorKind::Cycle,
                  "message " + q(id) + " cannot be replaced by its own descendant");
    }
  }
  im.remove(n, to);
}

void MessageRepository::clear() { *impl_ = Impl{}; }

ExportedMessageRepository MessageRepository::export_repository() const {
  const auto& im = *impl_;
  ExportedMessageRepository out;
  out.head_id = canonical_head_id();
  // Depth-first pre-order; an optimistic node is skipped and its children hang under the nearest
  // exported ancestor.
  struct Frame {
    std::uint32_t node;
    std::uint32_t exported_parent;
  };
  std::vector<Frame> stack;
  // Children go on the stack last first, so that the first child is exported first.
  auto push_children = [&](std::uint32_t n, std::uint32_t exported_parent) {
    const std::size_t from = stack.size();
    for (std::uint32_t c = im.nodes[n].first_child; c != kNone; c = im.nodes[c].next) {
      stack.push_back({c, exported_parent});
    }
    std::reverse(stack.begin() + static_cast<std::ptrdiff_t>(from), stack.end());
  };
  push_children(kRoot, kRoot);
  out.messages.reserve(im.count);
  while (!stack.empty()) {
    const Frame f = stack.back();
    stack.pop_back();
    const auto& node = im.nodes[f.node];
    std::uint32_t parent_for_children = f.node;
    if (node.message->metadata.is_optimistic) {
      parent_for_children = f.exported_parent;
    } else {
      ExportedMessageRepositoryItem item;
      item.message = node.message;
      if (f.exported_parent != kRoot) item.parent_id = im.nodes[f.exported_parent].message->id;
      out.messages.push_back(std::move(item));
    }
    push_children(f.node, parent_for_children);
  }
  return out;
}

void MessageRepository::import_repository(const ExportedMessageRepository& data) {
  auto& im = *impl_;
  // On failure the tree goes back to what it was; an empty one needs no copy for that (a thread
  // runtime always imports into a fresh tree).
  std::optional<Impl> backup;
  if (im.count > 0) backup.emplace(im);
  try {
    // add_or_update of each item, in one pass: room for every node and index entry up front,
    // each id hashed once, the parent found without a lookup when it is the item before (a
    // branch), and the messages that extend the head put on the branch together.
    im.nodes.reserve(im.nodes.size() + data.messages.size());
    im.grow_index(im.count + data.messages.size());
    std::vector<MessagePtr> extend;
    extend.reserve(data.messages.size());
    const auto put_on_branch = [&] {
      if (extend.empty()) return;
      im.branch = im.branch.append(std::make_move_iterator(extend.begin()),
                                   std::make_move_iterator(extend.end()));
      extend.clear();
    };
    std::uint32_t previous = kNone;
    for (const auto& item : data.messages) {
      if (!item.message) throw Error(ErrorKind::InvalidMessage, "an imported item has no message");
      std::uint32_t parent = kRoot;
      if (item.parent_id) {
        if (previous != kNone && im.nodes[previous].message->id == *item.parent_id) {
          parent = previous;
        } else {
          parent = im.lookup(*item.parent_id);
          if (parent == kNone) {
            throw Error(ErrorKind::ParentNotFound,
                        "parent message " + q(*item.parent_id) + " not found");
          }
        }
      }
      const std::size_t hash = Impl::hash_of(item.message->id);
      if (im.lookup(item.message->id, hash) != kNone) {
        // An update or a move: the general path, which reads the branch.
        put_on_branch();
        add_or_update(item.parent_id, item.message);
        previous = im.lookup(item.message->id, hash);
        continue;
      }
      previous = im.add_new(parent, item.message, hash);
      if (im.head == previous) extend.push_back(item.message);
    }
    put_on_branch();
    std::optional<Id> head = data.head_id;
    if (!head && !data.messages.empty()) head = data.messages.back().message->id;
    reset_head(head);
  } catch (...) {
    if (backup) {
      im = std::move(*backup);
    } else {
      clear();
    }
    throw;
  }
}

}  // namespace aui

namespace aui {

ExportedMessageRepository from_array(std::vector<ThreadMessageLike> messages) {
  ExportedMessageRepository out;
  out.messages.reserve(messages.size());
  std::optional<Id> parent;
  for (auto& like : messages) {
    const Id fallback = generate_id();
    auto m = std::make_shared<const ThreadMessage>(
        normalize_message(std::move(like), fallback, MessageStatus::complete()));
    out.messages.push_back({m, parent, std::nullopt});
    parent = m->id;
  }
  return out;
}

ExportedMessageRepository from_branchable_array(std::vector<BranchableItem> items,
                                                std::optional<Id> head_id) {
  ExportedMessageRepository out;
  out.head_id = std::move(head_id);
  out.messages.reserve(items.size());
  for (auto& item : items) {
    if (!item.message.id)
      throw Error(ErrorKind::InvalidMessage, "fromBranchableArray: every item needs an id");
    auto m = std::make_shared<const ThreadMessage>(
        normalize_message(std::move(item.message), Id(), MessageStatus::complete()));
    out.messages.push_back({m, item.parent_id, std::nullopt});
  }
  return out;
}

}  // namespace aui
