// What only the RocksDB store promises: data survives a reopen and a kill -9,
// and the directory is locked while open.

#include "storage/rocksdb_store.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <fstream>

#include "store_fixture.hpp"

extern char** environ;

namespace stratus::storage::test {
namespace {

std::unique_ptr<store> open_at(const std::filesystem::path& dir, bool sync = false) {
  auto opened = open_rocksdb({dir, sync});
  EXPECT_TRUE(opened) << opened.error().message;
  return opened ? std::move(*opened) : nullptr;
}

std::optional<std::string> value_of(store& db, std::string_view key) {
  auto value = db.get(key);
  EXPECT_TRUE(value) << value.error().message;
  return value ? *value : std::nullopt;
}

TEST(rocksdb_store, reopening_keeps_the_data) {
  temp_dir dir;
  {
    auto db = open_at(dir.path(), true);
    ASSERT_TRUE(db);
    write_batch batch;
    batch.put("a\0b", "1");
    batch.put("gone", "x");
    ASSERT_TRUE(db->write(batch));
    auto txn = db->begin();
    txn->put("t", "2");
    txn->erase("gone");
    ASSERT_TRUE(txn->commit());
    db->close();
  }
  {
    // Destroyed without close(): the destructor closes.
    auto db = open_at(dir.path());
    ASSERT_TRUE(db);
    EXPECT_EQ(value_of(*db, "a\0b"), "1");
    EXPECT_EQ(value_of(*db, "t"), "2");
    EXPECT_EQ(value_of(*db, "gone"), std::nullopt);
    write_batch batch;
    batch.put("late", "3");
    ASSERT_TRUE(db->write(batch));
  }
  auto db = open_at(dir.path());
  ASSERT_TRUE(db);
  EXPECT_EQ(value_of(*db, "late"), "3");
}

TEST(rocksdb_store, acknowledged_writes_survive_kill_9) {
  temp_dir dir;
  const std::string out = (dir.path() / "writer.out").string();
  const std::string db_dir = (dir.path() / "db").string();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::string program = STORAGE_CRASH_WRITER;
  std::string count = "500";
  char* argv[] = {program.data(), const_cast<char*>(db_dir.c_str()), count.data(), nullptr};
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, program.c_str(), &actions, nullptr, argv, environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "writer status " << status;
  std::string line;
  std::getline(std::ifstream(out), line);
  ASSERT_EQ(line, "acknowledged 500");

  auto db = open_at(db_dir);
  ASSERT_TRUE(db);
  for (int i = 0; i < 500; ++i) {
    EXPECT_EQ(value_of(*db, "key" + std::to_string(i)), std::to_string(i));
  }
  EXPECT_EQ(value_of(*db, "txn"), "committed");
}

TEST(rocksdb_store, an_open_directory_is_locked) {
  temp_dir dir;
  auto db = open_at(dir.path());
  ASSERT_TRUE(db);
  auto second = open_rocksdb({dir.path()});
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, errc::io_error);

  db->close();
  auto reopened = open_rocksdb({dir.path()});
  EXPECT_TRUE(reopened) << reopened.error().message;
}

// RocksDB shuts down when the last handed-out object goes, not before.
TEST(rocksdb_store, directory_is_released_once_outstanding_objects_are_gone) {
  temp_dir dir;
  auto db = open_at(dir.path());
  ASSERT_TRUE(db);
  auto it = db->scan({});
  db->close();
  ASSERT_FALSE(open_rocksdb({dir.path()}));
  it.reset();
  auto reopened = open_rocksdb({dir.path()});
  EXPECT_TRUE(reopened) << reopened.error().message;
}

TEST(rocksdb_store, unusable_directory_is_an_error) {
  temp_dir dir;
  const auto file = dir.path() / "file";
  std::ofstream(file) << "not a directory";
  auto opened = open_rocksdb({file / "db"});
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, errc::io_error);
}

}  // namespace
}  // namespace stratus::storage::test
