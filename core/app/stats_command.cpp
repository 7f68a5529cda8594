#include "app/stats_command.hpp"

#include "app/admin_server.hpp"
#include "app/stats_table.hpp"
#include "app/status_json.hpp"

#include <boost/asio.hpp>

#include <iostream>

namespace tickd::core {

int print_stats(const std::string& admin_address) {
  namespace asio = boost::asio;
  try {
    auto [host, port] = split_host_port(admin_address);
    asio::io_context io;
    asio::ip::tcp::socket socket(io);
    socket.connect({asio::ip::make_address(host), port});
    std::string request = "GET /health HTTP/1.1\r\nHost: " + admin_address + "\r\nConnection: close\r\n\r\n";
    asio::write(socket, asio::buffer(request));
    std::string reply;
    boost::system::error_code ec;
    char buf[4096];
    for (std::size_t n; (n = socket.read_some(asio::buffer(buf), ec)) > 0 || !ec;) reply.append(buf, n);
    auto body = reply.find("\r\n\r\n");
    if (body == std::string::npos) throw std::runtime_error("malformed reply");
    // The same struct the daemon rendered: a figure it does not send is an
    // error naming it, never a zero.
    DaemonStatus status = status_from_json(nlohmann::json::parse(reply.substr(body + 4)));
    std::cout << "tickd at " << admin_address << ": " << status.status << "\n" << render_stats_table(status);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "tickd stats: cannot read " << admin_address << ": " << e.what()
              << " (is the daemon running, with daemon.admin_listen set?)\n";
    return 1;
  }
}

}  // namespace tickd::core
