// One loaded plugin library: Boost.DLL with RTLD_NOW | RTLD_LOCAL, the ABI
// version read and checked before anything else is called.
#pragma once

#include <tickd/abi.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

namespace tickd::core {

class PluginError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "1.0"
std::string abi_version_string(std::uint32_t version);
// Same major, and the host's minor at least the plugin's.
bool abi_compatible(std::uint32_t host_version, std::uint32_t plugin_version);

class PluginLibrary {
 public:
  // Throws PluginError naming the file and the cause: cannot open (with the
  // loader's message), missing export (named), ABI mismatch (both versions).
  static std::shared_ptr<PluginLibrary> load(const std::string& path);
  ~PluginLibrary();

  const tickd_plugin_api& api() const { return *api_; }
  const std::string& path() const { return path_; }
  std::uint32_t abi_version() const { return abi_version_; }

 private:
  struct Handle;
  PluginLibrary() = default;
  std::unique_ptr<Handle> handle_;
  const tickd_plugin_api* api_ = nullptr;
  std::string path_;
  std::uint32_t abi_version_ = 0;
};

}  // namespace tickd::core
