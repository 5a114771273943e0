#pragma once
// Measures a WAV file with sox (soxi for the duration, `sox … -n stat` for the loudness).

#include <cstdio>
#include <stdexcept>
#include <string>

namespace aui::testing {

inline std::string run_command(const std::string& command) {
  std::string out;
  FILE* p = popen((command + " 2>&1").c_str(), "r");
  if (!p) throw std::runtime_error("cannot run " + command);
  char buf[512];
  while (std::fgets(buf, sizeof buf, p)) out += buf;
  pclose(p);
  return out;
}

/// The duration in seconds, as soxi reports it.
inline double wav_seconds(const std::string& path) {
  return std::stod(run_command("soxi -D '" + path + "'"));
}

/// The RMS amplitude (0..1), as `sox stat` reports it.
inline double wav_rms(const std::string& path) {
  const auto out = run_command("sox '" + path + "' -n stat");
  const auto at = out.find("RMS     amplitude:");
  if (at == std::string::npos) throw std::runtime_error("sox stat said: " + out);
  return std::stod(out.substr(at + 18));
}

}  // namespace aui::testing
