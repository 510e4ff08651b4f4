#include "kube/subprocess.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace mg::kube {
namespace {

constexpr std::size_t kMaxStderr = 64 * 1024;

struct Pipe {
  int read = -1, write = -1;
  ~Pipe() {
    if (read >= 0) ::close(read);
    if (write >= 0) ::close(write);
  }
};

core::Result<int> wait_child(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return core::fail(core::ErrorCode::internal, std::string("waitpid: ") + std::strerror(errno));
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

}  // namespace

core::Result<ProcessOutput> run_process(const std::vector<std::string>& argv, std::uint64_t max_stdout,
                                        std::chrono::milliseconds timeout) {
  if (argv.empty()) return core::fail(core::ErrorCode::invalid_usage, "no program to run");
  Pipe out, err;
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return core::fail(core::ErrorCode::io, std::string("pipe: ") + std::strerror(errno));
  out.read = fds[0], out.write = fds[1];
  if (::pipe2(fds, O_CLOEXEC) != 0) return core::fail(core::ErrorCode::io, std::string("pipe: ") + std::strerror(errno));
  err.read = fds[0], err.write = fds[1];

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out.write, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err.write, STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);

  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    return core::fail(core::ErrorCode::io, "cannot run " + argv[0] + ": " + std::strerror(spawned));
  }
  ::close(out.write), out.write = -1;
  ::close(err.write), err.write = -1;

  ProcessOutput result;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string failure;
  char buffer[65536];
  bool out_open = true, err_open = true;
  while ((out_open || err_open) && failure.empty()) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      failure = argv[0] + " did not finish within " + std::to_string(timeout.count() / 1000) + " s";
      break;
    }
    pollfd polls[2] = {{out_open ? out.read : -1, POLLIN, 0}, {err_open ? err.read : -1, POLLIN, 0}};
    const int ready = ::poll(polls, 2, static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (ready < 0 && errno != EINTR) {
      failure = std::string("poll: ") + std::strerror(errno);
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (polls[i].fd < 0 || (polls[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      const ssize_t n = ::read(polls[i].fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        (i == 0 ? out_open : err_open) = false;
        continue;
      }
      if (i == 0) {
        result.out.append(buffer, static_cast<std::size_t>(n));
        if (result.out.size() > max_stdout) {
          failure = argv[0] + " printed more than " + std::to_string(max_stdout >> 20) + " MiB (--max-input-bytes)";
        }
      } else if (result.err.size() < kMaxStderr) {
        result.err.append(buffer, std::min<std::size_t>(static_cast<std::size_t>(n), kMaxStderr - result.err.size()));
      }
    }
  }
  if (!failure.empty()) ::kill(pid, SIGKILL);
  auto code = wait_child(pid);
  if (!failure.empty()) return core::fail(core::ErrorCode::limit_exceeded, failure);
  if (!code) return std::unexpected(code.error());
  result.exit_code = *code;
  return result;
}

}  // namespace mg::kube
