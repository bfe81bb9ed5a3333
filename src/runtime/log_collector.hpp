#pragma once
// One environment's log: the runtime's stdout and stderr lines and Lambda's
// own START/END/REPORT lines become events of one CloudWatch Logs stream,
// in the order they happened, and the current invocation's tail (LogType:
// Tail) is kept.
//
// Thread-safety: all members may be called from any thread; one mutex
// orders the lines and the sink calls.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "lambda/invoker.hpp"

namespace stratus::runtime {

class log_collector : public std::enable_shared_from_this<log_collector> {
 public:
  log_collector(lambda::log_sink& sink, std::string account, std::string region, std::string group,
                std::string stream);

  // Starts pumping the (non-blocking) pipe fds; takes ownership of them.
  void watch(const boost::asio::any_io_executor& executor, int stdout_fd, int stderr_fd);
  // Reads whatever the runtime has written so far: what it wrote before
  // answering an invocation is in the pipes by the time the answer arrives,
  // so END follows the invocation's own lines.
  void drain();
  // Lines of Lambda's own (END, REPORT, ...), after whatever the runtime has
  // written so far (drain()), in one write to the sink.
  void platform_lines(std::vector<std::string> lines);
  // Starts a new tail (the first invocation's tail also holds the init lines)
  // with the invocation's START line, if given. That line keeps its time but
  // goes to the sink with the next lines (the function's first output, or
  // END): a quiet invocation costs one storage write, not two.
  void begin_invocation(std::string start_line = {});
  // The last 4 KB of the current invocation's log.
  [[nodiscard]] std::string tail() const;
  // Stops pumping and closes the pipes (unread output is read first).
  void close();

  [[nodiscard]] const std::string& stream() const { return stream_; }

 private:
  struct pipe;
  void pump(std::shared_ptr<pipe> p);
  void read_locked(pipe& p, std::vector<lambda::log_event>& out);
  void drain_locked(std::vector<lambda::log_event>& out);
  void emit_locked(std::vector<lambda::log_event> events);
  void add_tail_locked(const std::string& line);

  lambda::log_sink& sink_;
  const std::string account_, region_, group_, stream_;
  mutable std::mutex mutex_;
  std::shared_ptr<pipe> out_, err_;
  std::string tail_;
  std::optional<lambda::log_event> held_start_;
  bool first_invocation_ = true;
};

}  // namespace stratus::runtime
