// aui::Text: shared, append-only storage with one allocation per block.

#include "aui/model/text.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <new>
#include <stdexcept>

#include <sys/mman.h>

namespace aui {

namespace {
constexpr std::size_t kMaxSize = 0xffffffffu;
// A text that grows past this gets reserved address space (see Block::reserve): at least
// kReserveMin, four times what it needs when that is more.
constexpr std::size_t kReserveFrom = std::size_t{1} << 20;
constexpr std::size_t kReserveMin = std::size_t{256} << 20;
}  // namespace

struct Text::Block {
  // 32-bit fields keep the header small (16 bytes), which on a short message is a good part of
  // what it costs. A Text is limited to 4 GiB; a count of 4 billion copies would take 64 GB of
  // Texts.
  std::atomic<std::uint32_t> refs{1};
  // Bytes [0, used) have been claimed by some Text; a Text may append in place only when its
  // own size equals `used` (it is the newest view), by claiming the range with a CAS first.
  std::atomic<std::uint32_t> used{0};
  std::uint32_t capacity = 0;
  bool mapped = false;  // reserved address space (reserve()), not a heap allocation

  char* bytes() noexcept { return reinterpret_cast<char*>(this + 1); }  // NOLINT

  static Block* make(std::size_t capacity) {
    if (capacity > kMaxSize) throw std::length_error("aui::Text: a text is limited to 4 GiB");
    void* raw = ::operator new(sizeof(Block) + capacity);
    auto* b = new (raw) Block();
    b->capacity = static_cast<std::uint32_t>(capacity);
    return b;
  }
  // Address space for `needed` bytes and far more, mapped without backing: the kernel gives a
  // page memory only when it is first written, so the block costs what it holds and rarely has
  // to grow. Growing by copying holds the old and the new copy at once (3× the text with
  // doubling) while a snapshot still reads the old one; a long streamed reply must not cost
  // that. Null when the system will not reserve (strict overcommit, no address space): the
  // heap then.
  static Block* reserve(std::size_t needed) noexcept {
    const std::size_t capacity =
        std::min(std::max(kReserveMin, needed > kMaxSize / 4 ? kMaxSize : 4 * needed), kMaxSize);
    void* raw = ::mmap(nullptr, sizeof(Block) + capacity, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (raw == MAP_FAILED) return nullptr;
    auto* b = new (raw) Block();
    b->capacity = static_cast<std::uint32_t>(capacity);
    b->mapped = true;
    return b;
  }
  static void retain(Block* b) noexcept {
    if (b) b->refs.fetch_add(1, std::memory_order_relaxed);
  }
  static void release(Block* b) noexcept {
    if (b && b->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      const bool mapped = b->mapped;
      const std::size_t length = sizeof(Block) + b->capacity;
      b->~Block();
      if (mapped) {
        ::munmap(b, length);
      } else {
        ::operator delete(b);
      }
    }
  }
};

Text::Text(std::string_view s) {
  if (s.empty()) return;
  block_ = Block::make(s.size());
  std::memcpy(block_->bytes(), s.data(), s.size());
  block_->used.store(static_cast<std::uint32_t>(s.size()), std::memory_order_relaxed);
  size_ = s.size();
}

Text::Text(const Text& other) noexcept : block_(other.block_), size_(other.size_) {
  Block::retain(block_);
}

Text::Text(Text&& other) noexcept : block_(other.block_), size_(other.size_) {
  other.block_ = nullptr;
  other.size_ = 0;
}

Text& Text::operator=(const Text& other) noexcept {
  if (this != &other) {
    Block::retain(other.block_);
    Block::release(block_);
    block_ = other.block_;
    size_ = other.size_;
  }
  return *this;
}

Text& Text::operator=(Text&& other) noexcept {
  if (this != &other) {
    Block::release(block_);
    block_ = other.block_;
    size_ = other.size_;
    other.block_ = nullptr;
    other.size_ = 0;
  }
  return *this;
}

Text::~Text() { Block::release(block_); }

const char* Text::data() const noexcept { return block_ ? block_->bytes() : ""; }

std::size_t Text::capacity() const noexcept {
  if (!block_) return 0;
  if (!block_->mapped) return block_->capacity;
  // Only the pages written so far take memory.
  const std::size_t page = 4096;
  const std::size_t used = sizeof(Block) + block_->used.load(std::memory_order_relaxed);
  return (used + page - 1) / page * page;
}

Text& Text::append(std::string_view s) {
  if (s.empty()) return *this;
  const std::size_t n = s.size();
  if (block_ && size_ + n <= block_->capacity) {
    auto expected = static_cast<std::uint32_t>(size_);
    if (block_->used.compare_exchange_strong(expected, static_cast<std::uint32_t>(size_ + n),
                                             std::memory_order_acq_rel)) {
      std::memcpy(block_->bytes() + size_, s.data(), n);
      size_ += n;
      return *this;
    }
  }
  // Not the newest view, or out of room: copy once into a block with room to grow.
  if (n > kMaxSize - size_) throw std::length_error("aui::Text: a text is limited to 4 GiB");
  Block* fresh = size_ + n >= kReserveFrom ? Block::reserve(size_ + n) : nullptr;
  if (!fresh) {
    fresh = Block::make(std::min(std::max<std::size_t>(2 * (size_ + n), 32), kMaxSize));
  }
  if (size_) std::memcpy(fresh->bytes(), data(), size_);
  std::memcpy(fresh->bytes() + size_, s.data(), n);
  fresh->used.store(static_cast<std::uint32_t>(size_ + n), std::memory_order_relaxed);
  Block::release(block_);
  block_ = fresh;
  size_ += n;
  return *this;
}

}  // namespace aui
