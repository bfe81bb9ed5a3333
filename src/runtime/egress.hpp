#pragma once
// Where a function's sockets may go: a cgroup BPF program on connect() and
// on sendmsg() of unconnected datagrams, for IPv4 and IPv6, attached to the
// environment's cgroup v2 group. The outside world stays reachable, as on
// AWS; this machine does not: a loopback or local address answers EPERM
// except on the ports allowed (Stratus's API, the environment's own Runtime
// API, DNS), and so do the link-local metadata addresses of cloud machines
// (169.254.0.0/16, fd00:ec2::254), whose answers would be the host's role.
//
// The programs are assembled here (a few dozen instructions, no compiler
// or library needed) with the environment's ports and this machine's
// addresses as constants, and go away with their group.
//
// Thread-safety: an egress_filter belongs to one environment; attach() may
// be called from any thread.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace stratus::runtime {

struct egress_policy {
  std::vector<std::uint16_t> local_ports;  // the ports a local address may be reached on
};

class egress_filter {
 public:
  // Attaches the programs to the cgroup v2 directory `group`; nullptr and
  // `why` when the kernel refuses.
  [[nodiscard]] static std::unique_ptr<egress_filter> attach(const std::filesystem::path& group,
                                                             const egress_policy& policy,
                                                             std::string& why);
  ~egress_filter();
  egress_filter(const egress_filter&) = delete;
  egress_filter& operator=(const egress_filter&) = delete;

 private:
  egress_filter() = default;
  int group_fd_ = -1;
  std::vector<std::pair<int, int>> programs_;  // (attach type, program fd)
};

}  // namespace stratus::runtime
