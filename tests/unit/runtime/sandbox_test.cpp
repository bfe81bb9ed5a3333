// What a function sees of the machine when Stratus runs as root: a
// read-only tree with a private /tmp capped at EphemeralStorage, empty
// private /var/tmp and /dev/shm, no privileges to gain, a seccomp filter,
// no way to this machine's other ports or the cloud metadata address; and
// what Stratus refuses to do when it cannot confine a function (tests skip
// without root).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/cgroup.hpp"
#include "support.hpp"

namespace stratus::runtime::testing {
namespace {

class sandbox : public runtime_test {
 protected:
  void SetUp() override {
    runtime_test::SetUp();
    if (!the_pool().isolating()) GTEST_SKIP() << "the sandbox needs root";
  }
};

// Writes as much as it can to each path and reports the errno it stopped on.
constexpr const char* prober = R"(
import ctypes, errno, os, socket

def write(path, megabytes):
    try:
        with open(path, 'wb') as f:
            for _ in range(megabytes):
                f.write(b'x' * (1 << 20))
                f.flush()
        return 'written'
    except OSError as e:
        return errno.errorcode[e.errno]

def connect(host, port):
    s = socket.socket(socket.AF_INET6 if ':' in host else socket.AF_INET)
    s.settimeout(2)
    try:
        s.connect((host, port))
        return 'connected'
    except OSError as e:
        return errno.errorcode.get(e.errno, str(e)) if e.errno else 'timeout'
    finally:
        s.close()

def handler(event, context):
    out = {}
    out['tmp_big'] = write('/tmp/big', 24)
    os.remove('/tmp/big')
    out['tmp_small'] = write('/tmp/small', 1)
    for key, path in [('var_tmp', '/var/tmp/x'), ('dev_shm', '/dev/shm/x'),
                      ('task', os.environ['LAMBDA_TASK_ROOT'] + '/x'), ('etc', '/etc/x')]:
        out[key] = write(path, 1)
    out['var_tmp_entries'] = os.listdir('/var/tmp')
    out['dev_shm_entries'] = os.listdir('/dev/shm')
    status = dict(line.split(':', 1) for line in open('/proc/self/status') if ':' in line)
    for field in ('NoNewPrivs', 'Seccomp', 'CapBnd', 'CapEff'):
        out[field] = status[field].strip()
    libc = ctypes.CDLL(None, use_errno=True)
    for name, flags in (('unshare_user', 0x10000000), ('unshare_net', 0x40000000)):
        rc = libc.unshare(flags)
        out[name] = 'ok' if rc == 0 else errno.errorcode[ctypes.get_errno()]
    rc = libc.syscall(250, 0, 0, 0, 0, 0)  # keyctl(KEYCTL_GET_KEYRING_ID, ...)
    out['keyctl'] = 'ok' if rc >= 0 else errno.errorcode[ctypes.get_errno()]
    api_host, api_port = os.environ['AWS_LAMBDA_RUNTIME_API'].split(':')
    out['runtime_api'] = connect(api_host, int(api_port))
    out['host_port'] = connect('127.0.0.1', event['port'])
    out['host_port_v6_mapped'] = connect('::ffff:127.0.0.1', event['port'])
    out['other_loopback'] = connect('127.3.2.1', event['port'])
    out['metadata'] = connect('169.254.169.254', 80)
    return out
)";

// A listening socket of the test's own: a port of this machine.
struct host_listener {
  host_listener() {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    EXPECT_EQ(::listen(fd, 16), 0);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
  }
  ~host_listener() { ::close(fd); }
  int fd = -1;
  int port = 0;
};

TEST_F(sandbox, a_function_sees_a_read_only_machine_with_its_own_capped_tmp) {
  temp_dir code;
  code.write("app.py", prober);
  auto f = spec("python3.12", "app.handler", code);
  f.ephemeral_storage_mb = 16;
  host_listener listener;
  auto r = ok(f, "{\"port\":" + std::to_string(listener.port) + "}").as_object();

  EXPECT_EQ(r["tmp_big"], "ENOSPC");  // 24 MB into a 16 MB /tmp
  EXPECT_EQ(r["tmp_small"], "written");
  EXPECT_EQ(r["var_tmp"], "EROFS");
  EXPECT_EQ(r["dev_shm"], "EROFS");
  EXPECT_EQ(r["task"], "EROFS");
  EXPECT_EQ(r["etc"], "EROFS");
  EXPECT_EQ(r["var_tmp_entries"], boost::json::array());
  EXPECT_EQ(r["dev_shm_entries"], boost::json::array());

  EXPECT_EQ(r["NoNewPrivs"], "1");
  EXPECT_EQ(r["Seccomp"], "2");  // a filter
  EXPECT_EQ(r["CapBnd"], "0000000000000000");
  EXPECT_EQ(r["CapEff"], "0000000000000000");
  EXPECT_EQ(r["unshare_user"], "EPERM");
  EXPECT_EQ(r["unshare_net"], "EPERM");
  EXPECT_EQ(r["keyctl"], "EPERM");

  EXPECT_EQ(r["runtime_api"], "connected");
  if (the_pool().egress_filtered()) {
    EXPECT_EQ(r["host_port"], "EPERM");
    EXPECT_EQ(r["host_port_v6_mapped"], "EPERM");
    EXPECT_EQ(r["other_loopback"], "EPERM");
    EXPECT_EQ(r["metadata"], "EPERM");
  }
}

TEST_F(sandbox, nothing_a_function_wrote_reaches_the_next_one) {
  temp_dir code;
  code.write("app.py", R"(
import os
def handler(event, context):
    seen = os.listdir('/tmp')
    open('/tmp/left-behind', 'w').write(context.function_name)
    return seen
)");
  EXPECT_EQ(ok(spec("python3.12", "app.handler", code, "first")), boost::json::array());
  the_pool().retire("123456789012", "us-east-1", "first");
  // Whatever uid the next environment gets, it starts from nothing.
  for (int i = 0; i < 3; ++i) {
    const std::string name = "next" + std::to_string(i);
    EXPECT_EQ(ok(spec("python3.12", "app.handler", code, name)), boost::json::array());
    the_pool().retire("123456789012", "us-east-1", name);
  }
}

// An isolation root that anyone but root could have changed is never used:
// not adopted, not chmod-ed, nothing created in it, and no function runs.
class planted_root : public sandbox {
 protected:
  options make_options() override {
    auto o = sandbox::make_options();
    fs::permissions(planted_.path(), fs::perms(0755));
    EXPECT_EQ(::chown(planted_.path().c_str(), 4242, 4242), 0);
    o.isolation_root = planted_.path();
    return o;
  }
  temp_dir planted_{fs::path("/var/lib")};
};

TEST_F(planted_root, is_refused) {
  temp_dir code;
  code.write("app.py", "def handler(event, context):\n    return 1\n");
  auto r = invoke(spec("python3.12", "app.handler", code));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "ServiceException");
  EXPECT_NE(r.error().message.find("belongs to uid 4242"), std::string::npos) << r.error().message;
  EXPECT_TRUE(fs::is_empty(planted_.path()));
  struct stat st {};
  ASSERT_EQ(::lstat(planted_.path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0755u);
  EXPECT_EQ(st.st_uid, 4242u);
}

TEST(cgroup_limits, a_limit_that_cannot_be_written_refuses_the_group) {
  if (::geteuid() != 0) GTEST_SKIP() << "cgroups need root";
  auto groups = cgroups::detect("stratus-test-" + std::to_string(::getpid()));
  if (!groups) GTEST_SKIP() << "no usable cgroups here";
  std::string why;
  // The kernel refuses a negative pids.max.
  EXPECT_EQ(groups->create("refused", 64 << 20, -5, why), nullptr);
  EXPECT_NE(why.find("pids.max"), std::string::npos) << why;
  why.clear();
  auto fine = groups->create("fine", 64 << 20, 64, why);
  EXPECT_NE(fine, nullptr) << why;
  fine.reset();
  groups->remove();
}

// Shutting down while invocations run: each invocation still owns its
// environment and finishes with it; nothing it reads is freed under it
// (the sanitizer build checks the "nothing").
TEST_F(sandbox, shutdown_under_invocation_load_lets_every_invocation_finish) {
  temp_dir code;
  code.write("app.py", "import time\ndef handler(event, context):\n    time.sleep(5)\n");
  std::vector<std::future<result<lambda::invoke_result>>> running;
  for (int i = 0; i < 6; ++i)
    running.push_back(invoke_async(spec("python3.12", "app.handler", code, "slow"), "{}"));
  for (int i = 0; i < 2000 && the_pool().environment_count() < 6; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  the_pool().shutdown();
  for (auto& r : running) {
    ASSERT_EQ(r.wait_for(std::chrono::seconds(20)), std::future_status::ready);
    auto out = r.get();
    // Killed mid-invocation (or refused while starting): an error, not a hang.
    EXPECT_TRUE(!out || out->function_error);
  }
  EXPECT_EQ(the_pool().environment_count(), 0u);
}

}  // namespace
}  // namespace stratus::runtime::testing
