// websocketpp types used inside the plugin (never in a header the SDK or the
// daemon sees). One config tweak: a 4 KiB read buffer per connection instead of
// 16 KiB, because inbound messages are small and 10,000 idle clients should not
// cost 160 MB.
#pragma once

#include <websocketpp/config/asio_no_tls.hpp>
#include <websocketpp/server.hpp>

namespace tickd::ws {

struct WsppConfig : public websocketpp::config::asio {
  typedef WsppConfig type;
  typedef websocketpp::config::asio base;
  typedef base::concurrency_type concurrency_type;
  typedef base::request_type request_type;
  typedef base::response_type response_type;
  typedef base::message_type message_type;
  typedef base::con_msg_manager_type con_msg_manager_type;
  typedef base::endpoint_msg_manager_type endpoint_msg_manager_type;
  typedef base::alog_type alog_type;
  typedef base::elog_type elog_type;
  typedef base::rng_type rng_type;
  struct transport_config : public base::transport_config {
    typedef type::concurrency_type concurrency_type;
    typedef type::alog_type alog_type;
    typedef type::elog_type elog_type;
    typedef type::request_type request_type;
    typedef type::response_type response_type;
    typedef websocketpp::transport::asio::basic_socket::endpoint socket_type;
  };
  typedef websocketpp::transport::asio::endpoint<transport_config> transport_type;
  static const size_t connection_read_buffer_size = 4096;
};

using WsServer = websocketpp::server<WsppConfig>;
using ConnectionPtr = WsServer::connection_ptr;
using MessagePtr = WsppConfig::message_type::ptr;

}  // namespace tickd::ws
