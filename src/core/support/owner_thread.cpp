#include "aui/support/owner_thread.hpp"

#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace aui {

bool owner_checks_enabled() noexcept {
#if defined(AUI_OWNER_CHECKS) && AUI_OWNER_CHECKS
  return true;
#else
  return false;
#endif
}

void OwnerThread::fail(const char* operation) const noexcept {
  std::ostringstream caller, owner;
  caller << std::this_thread::get_id();
  owner << id_;
  // A wrong-thread call is a programming error that would otherwise be a silent data race: stop
  // here, where the stack still shows the caller.
  std::fprintf(
      stderr,
      "aui: %s was called on thread %s, but this object belongs to thread %s. Call it on its "
      "owner thread (post the call through the Dispatcher).\n",
      operation, caller.str().c_str(), owner.str().c_str());
  std::fflush(stderr);
  std::abort();
}

}  // namespace aui
