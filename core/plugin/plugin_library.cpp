#include "plugin/plugin_library.hpp"

#include <boost/dll/shared_library.hpp>

namespace tickd::core {

struct PluginLibrary::Handle {
  boost::dll::shared_library lib;
};

std::string abi_version_string(std::uint32_t v) {
  return std::to_string(v >> 16) + "." + std::to_string(v & 0xffffu);
}

bool abi_compatible(std::uint32_t host, std::uint32_t plugin) {
  return (host >> 16) == (plugin >> 16) && (host & 0xffffu) >= (plugin & 0xffffu);
}

PluginLibrary::~PluginLibrary() = default;

std::shared_ptr<PluginLibrary> PluginLibrary::load(const std::string& path) {
  std::shared_ptr<PluginLibrary> self(new PluginLibrary());
  self->path_ = path;
  self->handle_ = std::make_unique<Handle>();
  boost::system::error_code ec;
  self->handle_->lib.load(path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, ec);
  if (ec) {
    // dlerror() carries the useful part (e.g. an undefined symbol); Boost.DLL
    // puts it in the message of a throwing load, so ask again to get it.
    std::string detail = ec.message();
    try {
      boost::dll::shared_library probe(path,
                                       boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    } catch (const std::exception& e) {
      detail = e.what();
    }
    throw PluginError(path + ": cannot load: " + detail);
  }
  auto& lib = self->handle_->lib;
  if (!lib.has(TICKD_SYMBOL_ABI_VERSION))
    throw PluginError(path + ": not a tickd plugin: missing export '" TICKD_SYMBOL_ABI_VERSION "'");
  self->abi_version_ = lib.get<std::uint32_t()>(TICKD_SYMBOL_ABI_VERSION)();
  if (!abi_compatible(TICKD_ABI_VERSION, self->abi_version_))
    throw PluginError(path + ": ABI mismatch: plugin was built for ABI " +
                      abi_version_string(self->abi_version_) + ", this tickd provides ABI " +
                      abi_version_string(TICKD_ABI_VERSION));
  if (!lib.has(TICKD_SYMBOL_GET_API)) throw PluginError(path + ": missing export '" TICKD_SYMBOL_GET_API "'");
  self->api_ = lib.get<const tickd_plugin_api*()>(TICKD_SYMBOL_GET_API)();
  const tickd_plugin_api* api = self->api_;
  if (!api || api->struct_size < offsetof(tickd_plugin_api, restore) || !api->create || !api->start ||
      !api->on_tick || !api->on_candle || !api->on_signal || !api->stop || !api->destroy)
    throw PluginError(path + ": incomplete plugin API table (size " +
                      std::to_string(api ? api->struct_size : 0) + ")");
  return self;
}

}  // namespace tickd::core
