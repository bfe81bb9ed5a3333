#include "runtime/egress.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <linux/bpf.h>
#include <netinet/in.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstddef>
#include <cstring>

namespace stratus::runtime {
namespace {

// This machine's own addresses, in network byte order, read afresh for each
// environment: an address added since is local too.
struct local_addresses {
  std::vector<std::uint32_t> v4;
  std::vector<std::array<std::uint32_t, 4>> v6;
};

local_addresses machine_addresses() {
  local_addresses out;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return out;
  for (auto* a = list; a; a = a->ifa_next) {
    if (!a->ifa_addr) continue;
    if (a->ifa_addr->sa_family == AF_INET) {
      out.v4.push_back(reinterpret_cast<const sockaddr_in*>(a->ifa_addr)->sin_addr.s_addr);
    } else if (a->ifa_addr->sa_family == AF_INET6) {
      std::array<std::uint32_t, 4> words{};
      std::memcpy(words.data(), &reinterpret_cast<const sockaddr_in6*>(a->ifa_addr)->sin6_addr, 16);
      out.v6.push_back(words);
    }
  }
  freeifaddrs(list);
  return out;
}

// The registers the programs use.
constexpr std::uint8_t r0 = 0, r1 = 1, r2 = 2, r3 = 3, r4 = 4, r6 = 6, r7 = 7, r8 = 8, r9 = 9;

// A small assembler with forward labels: enough for straight-line
// comparisons.
class assembler {
 public:
  using label = std::size_t;
  label new_label() {
    targets_.push_back(npos);
    return targets_.size() - 1;
  }
  void bind(label l) { targets_[l] = code_.size(); }

  void load_word(std::uint8_t dst, std::uint8_t src, std::int16_t offset) {
    emit(BPF_LDX | BPF_MEM | BPF_W, dst, src, offset, 0);
  }
  void move(std::uint8_t dst, std::uint8_t src) {
    emit(BPF_ALU64 | BPF_MOV | BPF_X, dst, src, 0, 0);
  }
  void move(std::uint8_t dst, std::int32_t imm) {
    emit(BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, imm);
  }
  void mask(std::uint8_t dst, std::int32_t imm) { emit(BPF_ALU | BPF_AND | BPF_K, dst, 0, 0, imm); }
  // 32-bit compares: addresses with the top bit set are not sign-extended.
  void jump_if_equal(std::uint8_t reg, std::uint32_t value, label to) {
    jump(BPF_JMP32 | BPF_JEQ | BPF_K, reg, value, to);
  }
  void jump_if_not_equal(std::uint8_t reg, std::uint32_t value, label to) {
    jump(BPF_JMP32 | BPF_JNE | BPF_K, reg, value, to);
  }
  void jump_always(label to) { jump(BPF_JMP | BPF_JA, 0, 0, to); }
  void exit() { emit(BPF_JMP | BPF_EXIT, 0, 0, 0, 0); }

  std::vector<bpf_insn> finish() {
    for (const auto& [at, l] : fixups_)
      code_[at].off = static_cast<std::int16_t>(targets_[l] - at - 1);
    return code_;
  }

 private:
  static constexpr std::size_t npos = ~std::size_t{0};
  void emit(std::uint8_t code, std::uint8_t dst, std::uint8_t src, std::int16_t off,
            std::int32_t imm) {
    bpf_insn i{};
    i.code = code;
    i.dst_reg = dst & 0xf;
    i.src_reg = src & 0xf;
    i.off = off;
    i.imm = imm;
    code_.push_back(i);
  }
  void jump(std::uint8_t code, std::uint8_t reg, std::uint32_t value, label to) {
    fixups_.emplace_back(code_.size(), to);
    emit(code, reg, 0, 0, static_cast<std::int32_t>(value));
  }
  std::vector<bpf_insn> code_;
  std::vector<std::size_t> targets_;
  std::vector<std::pair<std::size_t, label>> fixups_;
};

constexpr std::int16_t ip4_offset = offsetof(bpf_sock_addr, user_ip4);
constexpr std::int16_t ip6_offset = offsetof(bpf_sock_addr, user_ip6);
constexpr std::int16_t port_offset = offsetof(bpf_sock_addr, user_port);

// The 32-bit word whose bytes in memory are a.b.c.d: how an address or a
// mask in network order reads as an integer on this machine.
std::uint32_t net_word(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  const std::uint8_t bytes[4] = {a, b, c, d};
  std::uint32_t w;
  std::memcpy(&w, bytes, 4);
  return w;
}

// The IPv4 rules on the address in r2 (network order).
void ipv4_rules(assembler& a, const local_addresses& local, assembler::label is_local,
                assembler::label allow, assembler::label deny) {
  a.move(r4, r2);
  a.mask(r4, static_cast<std::int32_t>(net_word(255, 0, 0, 0)));
  a.jump_if_equal(r4, net_word(127, 0, 0, 0), is_local);  // 127.0.0.0/8
  a.jump_if_equal(r2, 0, is_local);                       // 0.0.0.0 is this machine
  for (const auto address : local.v4) a.jump_if_equal(r2, address, is_local);
  a.move(r4, r2);
  a.mask(r4, static_cast<std::int32_t>(net_word(255, 255, 0, 0)));
  a.jump_if_equal(r4, net_word(169, 254, 0, 0), deny);  // link-local: cloud metadata
  a.jump_always(allow);
}

std::vector<bpf_insn> program(bool ipv6, const egress_policy& policy,
                              const local_addresses& local) {
  assembler a;
  const auto is_local = a.new_label(), allow = a.new_label(), deny = a.new_label();
  a.move(r6, r1);
  a.load_word(r3, r6, port_offset);
  if (!ipv6) {
    a.load_word(r2, r6, ip4_offset);
    ipv4_rules(a, local, is_local, allow, deny);
  } else {
    a.load_word(r2, r6, ip6_offset);
    a.load_word(r7, r6, ip6_offset + 4);
    a.load_word(r8, r6, ip6_offset + 8);
    a.load_word(r9, r6, ip6_offset + 12);
    // ::ffff:a.b.c.d is the IPv4 address a.b.c.d.
    const auto not_mapped = a.new_label();
    a.jump_if_not_equal(r2, 0, not_mapped);
    a.jump_if_not_equal(r7, 0, not_mapped);
    a.jump_if_not_equal(r8, htonl(0xffff), not_mapped);
    a.move(r2, r9);
    ipv4_rules(a, local, is_local, allow, deny);
    a.bind(not_mapped);
    // ::1 and ::
    const auto not_loopback = a.new_label();
    a.jump_if_not_equal(r2, 0, not_loopback);
    a.jump_if_not_equal(r7, 0, not_loopback);
    a.jump_if_not_equal(r8, 0, not_loopback);
    a.jump_if_equal(r9, 0, is_local);
    a.jump_if_equal(r9, htonl(1), is_local);
    a.bind(not_loopback);
    auto words_equal = [&](const std::array<std::uint32_t, 4>& w, assembler::label to) {
      const auto differs = a.new_label();
      a.jump_if_not_equal(r2, w[0], differs);
      a.jump_if_not_equal(r7, w[1], differs);
      a.jump_if_not_equal(r8, w[2], differs);
      a.jump_if_equal(r9, w[3], to);
      a.bind(differs);
    };
    for (const auto& address : local.v6) words_equal(address, is_local);
    // fd00:ec2::254, the metadata service's IPv6 address.
    words_equal({htonl(0xfd000ec2), 0, 0, htonl(0x254)}, deny);
    a.jump_always(allow);
  }
  a.bind(is_local);
  for (const auto port : policy.local_ports) a.jump_if_equal(r3, htons(port), allow);
  a.jump_always(deny);
  a.bind(allow);
  a.move(r0, 1);
  a.exit();
  a.bind(deny);
  a.move(r0, 0);  // the caller gets EPERM
  a.exit();
  return a.finish();
}

long bpf(int command, bpf_attr& attr) {
  return syscall(SYS_bpf, command, &attr, sizeof attr);
}

}  // namespace

std::unique_ptr<egress_filter> egress_filter::attach(const std::filesystem::path& group,
                                                     const egress_policy& policy,
                                                     std::string& why) {
  std::unique_ptr<egress_filter> filter(new egress_filter());
  filter->group_fd_ = ::open(group.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (filter->group_fd_ < 0) {
    why = "cannot open " + group.string() + ": " + std::strerror(errno);
    return nullptr;
  }
  const auto local = machine_addresses();
  static constexpr char license[] = "Apache-2.0";
  for (const auto type : {BPF_CGROUP_INET4_CONNECT, BPF_CGROUP_INET6_CONNECT,
                          BPF_CGROUP_UDP4_SENDMSG, BPF_CGROUP_UDP6_SENDMSG}) {
    const bool ipv6 = type == BPF_CGROUP_INET6_CONNECT || type == BPF_CGROUP_UDP6_SENDMSG;
    const auto code = program(ipv6, policy, local);
    std::array<char, 4096> log{};
    bpf_attr load{};
    load.prog_type = BPF_PROG_TYPE_CGROUP_SOCK_ADDR;
    load.expected_attach_type = type;
    load.insns = reinterpret_cast<std::uint64_t>(code.data());
    load.insn_cnt = static_cast<std::uint32_t>(code.size());
    load.license = reinterpret_cast<std::uint64_t>(license);
    load.log_buf = reinterpret_cast<std::uint64_t>(log.data());
    load.log_size = log.size();
    load.log_level = 1;
    const int prog = static_cast<int>(bpf(BPF_PROG_LOAD, load));
    if (prog < 0) {
      why = std::string("the kernel refused the egress filter: ") + std::strerror(errno) + " " +
            log.data();
      return nullptr;
    }
    bpf_attr attach{};
    attach.target_fd = static_cast<std::uint32_t>(filter->group_fd_);
    attach.attach_bpf_fd = static_cast<std::uint32_t>(prog);
    attach.attach_type = type;
    if (bpf(BPF_PROG_ATTACH, attach) != 0) {
      why = std::string("cannot attach the egress filter to ") + group.string() + ": " +
            std::strerror(errno);
      ::close(prog);
      return nullptr;
    }
    filter->programs_.emplace_back(static_cast<int>(type), prog);
  }
  return filter;
}

egress_filter::~egress_filter() {
  for (const auto& [type, prog] : programs_) {
    bpf_attr detach{};
    detach.target_fd = static_cast<std::uint32_t>(group_fd_);
    detach.attach_bpf_fd = static_cast<std::uint32_t>(prog);
    detach.attach_type = static_cast<std::uint32_t>(type);
    bpf(BPF_PROG_DETACH, detach);  // fails harmlessly once the group is gone
    ::close(prog);
  }
  if (group_fd_ >= 0) ::close(group_fd_);
}

}  // namespace stratus::runtime
