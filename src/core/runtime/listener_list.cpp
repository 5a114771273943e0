// ListenerList support (see listener_list.hpp).

#include "runtime/listener_list.hpp"

namespace aui::detail {

std::string describe_exception(const std::exception_ptr& e) {
  if (!e) return "no error";
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    return ex.what();
  } catch (const std::string& s) {
    return s;
  } catch (const char* s) {
    return s;
  } catch (...) {
    return "unknown exception";
  }
}

}  // namespace aui::detail
