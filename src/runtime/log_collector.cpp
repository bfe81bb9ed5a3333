#include "runtime/log_collector.hpp"

#include <unistd.h>

#include <boost/asio/posix/stream_descriptor.hpp>

namespace stratus::runtime {
namespace asio = boost::asio;

namespace {
constexpr std::size_t tail_bytes = 4096;            // LogType: Tail returns the last 4 KB
constexpr std::size_t max_line_bytes = 256 * 1024;  // CloudWatch's event size limit
}  // namespace

struct log_collector::pipe {
  pipe(const asio::any_io_executor& ex, int fd) : descriptor(ex, fd), fd(fd) {}
  asio::posix::stream_descriptor descriptor;
  int fd;
  std::string partial;
  bool closed = false;
};

log_collector::log_collector(lambda::log_sink& sink, std::string account, std::string region,
                             std::string group, std::string stream)
    : sink_(sink),
      account_(std::move(account)),
      region_(std::move(region)),
      group_(std::move(group)),
      stream_(std::move(stream)) {}

void log_collector::watch(const asio::any_io_executor& executor, int stdout_fd, int stderr_fd) {
  {
    std::lock_guard lock(mutex_);
    out_ = std::make_shared<pipe>(executor, stdout_fd);
    err_ = std::make_shared<pipe>(executor, stderr_fd);
  }
  pump(out_);
  pump(err_);
}

void log_collector::pump(std::shared_ptr<pipe> p) {
  // Waits are started and the descriptor closed under the mutex: Asio
  // objects take no concurrent calls.
  std::lock_guard lock(mutex_);
  if (p->closed) return;
  auto self = shared_from_this();
  p->descriptor.async_wait(asio::posix::stream_descriptor::wait_read,
                           [self, p](const boost::system::error_code& ec) {
                             if (ec) return;
                             {
                               std::lock_guard lock(self->mutex_);
                               if (p->closed) return;
                               std::vector<lambda::log_event> events;
                               self->read_locked(*p, events);
                               self->emit_locked(std::move(events));
                             }
                             self->pump(p);
                           });
}

void log_collector::read_locked(pipe& p, std::vector<lambda::log_event>& out) {
  char buf[64 * 1024];
  const auto now = std::chrono::system_clock::now();
  for (;;) {
    const ssize_t n = ::read(p.fd, buf, sizeof buf);
    if (n > 0) {
      p.partial.append(buf, static_cast<std::size_t>(n));
      std::size_t start = 0;
      for (std::size_t nl; (nl = p.partial.find('\n', start)) != std::string::npos;
           start = nl + 1) {
        out.push_back({now, p.partial.substr(start, nl - start)});
      }
      p.partial.erase(0, start);
      while (p.partial.size() > max_line_bytes) {
        out.push_back({now, p.partial.substr(0, max_line_bytes)});
        p.partial.erase(0, max_line_bytes);
      }
      continue;
    }
    if (n == 0) {  // the runtime (and all its children) closed the pipe
      if (!p.partial.empty()) out.push_back({now, std::exchange(p.partial, {})});
      p.closed = true;
      boost::system::error_code ec;
      p.descriptor.close(ec);
    }
    return;  // EAGAIN: all read for now
  }
}

void log_collector::emit_locked(std::vector<lambda::log_event> events) {
  if (events.empty() && !held_start_) return;
  if (held_start_) events.insert(events.begin(), *std::exchange(held_start_, std::nullopt));
  for (const auto& e : events) add_tail_locked(e.message);
  sink_.write(account_, region_, group_, stream_, std::move(events));
}

void log_collector::add_tail_locked(const std::string& line) {
  tail_ += line;
  tail_ += '\n';
  if (tail_.size() > 2 * tail_bytes) tail_.erase(0, tail_.size() - tail_bytes);
}

void log_collector::drain_locked(std::vector<lambda::log_event>& events) {
  for (auto* p : {out_.get(), err_.get()}) {
    if (!p || p->closed) continue;
    read_locked(*p, events);
    // A line the function has not finished by now is still its own event.
    if (!p->partial.empty())
      events.push_back({std::chrono::system_clock::now(), std::exchange(p->partial, {})});
  }
}

void log_collector::drain() {
  std::lock_guard lock(mutex_);
  std::vector<lambda::log_event> events;
  drain_locked(events);
  emit_locked(std::move(events));
}

void log_collector::platform_lines(std::vector<std::string> lines) {
  std::lock_guard lock(mutex_);
  std::vector<lambda::log_event> events;
  drain_locked(events);
  const auto now = std::chrono::system_clock::now();
  for (auto& line : lines) events.push_back({now, std::move(line)});
  emit_locked(std::move(events));
}

void log_collector::begin_invocation(std::string start_line) {
  std::lock_guard lock(mutex_);
  if (!std::exchange(first_invocation_, false)) tail_.clear();
  if (held_start_) emit_locked({});  // a START nothing followed (never expected)
  if (!start_line.empty())
    held_start_ = lambda::log_event{std::chrono::system_clock::now(), std::move(start_line)};
}

std::string log_collector::tail() const {
  std::lock_guard lock(mutex_);
  return tail_.size() > tail_bytes ? tail_.substr(tail_.size() - tail_bytes) : tail_;
}

void log_collector::close() {
  drain();
  std::lock_guard lock(mutex_);
  for (auto* p : {out_.get(), err_.get()}) {
    if (!p || p->closed) continue;
    p->closed = true;
    boost::system::error_code ec;
    p->descriptor.close(ec);
  }
}

}  // namespace stratus::runtime
