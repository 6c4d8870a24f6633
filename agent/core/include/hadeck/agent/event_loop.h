#pragma once

// The agent's single-threaded event loop, a thin owner of sd-event. Everything
// runs on the loop thread except the work handed to offload(), which runs on a
// small worker pool and reports back on the loop thread through an eventfd.
// Nothing on the loop thread may block.

#include "hadeck/protocol/expected.h"
#include "hadeck/protocol/jsonrpc.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string_view>
#include <unordered_set>

#include <sys/types.h>

struct sd_event;
struct sd_event_source;

namespace hadeck::agent {

using rpc::Json;

/// Owns one event source; destroying or reset()ting it removes the source and
/// frees its callback. Move-only. Safe to destroy from inside its own callback.
class EventSource {
public:
    EventSource() = default;
    explicit EventSource(sd_event_source* source) : m_source(source) {}
    ~EventSource();
    EventSource(EventSource&& other) noexcept;
    EventSource& operator=(EventSource&& other) noexcept;
    EventSource(const EventSource&) = delete;
    EventSource& operator=(const EventSource&) = delete;

    void reset();
    [[nodiscard]] bool valid() const { return m_source != nullptr; }
    /// Changes the epoll events of an io source (e.g. add EPOLLOUT while output is queued).
    Status setIoEvents(std::uint32_t events);
    /// Turns a source on or off without removing it.
    Status setEnabled(bool enabled);
    [[nodiscard]] sd_event_source* raw() const { return m_source; }

private:
    sd_event_source* m_source = nullptr;
};

/// While alive, offload() on this thread uses @p lane (the dispatcher sets it
/// from the caller's level around each handler).
class OffloadLaneScope {
public:
    explicit OffloadLaneScope(bool change);
    ~OffloadLaneScope();
    OffloadLaneScope(const OffloadLaneScope&) = delete;
    OffloadLaneScope& operator=(const OffloadLaneScope&) = delete;

private:
    bool m_previous;
};

/// How a child process ended (see addChild).
struct ChildExit {
    pid_t pid = 0;
    bool exited = false; // true: status is the exit code; false: status is the signal number
    int status = 0;
};

class EventLoop {
public:
    using IoCallback = std::function<void(std::uint32_t revents)>;
    using TimerCallback = std::function<void()>;
    using SignalCallback = std::function<void(int signo)>;
    using ChildCallback = std::function<void(const ChildExit&)>;
    using InotifyCallback = std::function<void(std::uint32_t mask, std::string_view name)>;
    using Clock = std::chrono::steady_clock; // CLOCK_MONOTONIC, the clock sd-event timers use

    /// @param workers threads for offload(); they start on the first offload().
    static Expected<std::unique_ptr<EventLoop>> create(unsigned workers = 2);
    ~EventLoop();
    EventLoop(const EventLoop&) = delete;
    EventLoop& operator=(const EventLoop&) = delete;

    /// Watches @p fd (EPOLLIN, EPOLLOUT...). The fd stays owned by the caller.
    Expected<EventSource> addIo(int fd, std::uint32_t events, IoCallback callback);
    /// Fires after @p interval, then every @p interval when @p repeating. A repeating timer keeps
    /// to a grid of the monotonic clock (multiples of its interval, or of 1 s for longer ones), so
    /// timers of one period share a wakeup; its first tick may come up to one grid step late.
    Expected<EventSource> addTimer(std::chrono::milliseconds interval, bool repeating, TimerCallback callback);
    /// Delivers @p signo inside the loop (it is blocked for normal delivery).
    Expected<EventSource> addSignal(int signo, SignalCallback callback);
    /// Reports once when child @p pid exits or is killed. SIGCHLD is blocked for this.
    Expected<EventSource> addChild(pid_t pid, ChildCallback callback);
    /// Watches @p path with inotify @p mask (IN_MODIFY, IN_CLOSE_WRITE...).
    Expected<EventSource> addInotify(const std::filesystem::path& path, std::uint32_t mask, InotifyCallback callback);
    /// Runs @p callback once on the next loop iteration; not cancellable.
    void defer(std::function<void()> callback);

    /// Runs @p work on a worker thread and then @p done with its result on the
    /// loop thread. @p work must not touch loop-owned objects. If @p work throws,
    /// @p done receives {"error": message}. Results that arrive after the loop
    /// object is gone are dropped. std::function needs copyable captures: carry
    /// a Responder into @p done as std::make_shared<Responder>(std::move(r)).
    ///
    /// Work runs in one of two lanes with their own workers and queues: work started
    /// for an operate or admin caller (see OffloadLaneScope) never waits behind
    /// viewers' reads. Each lane queues at most kOffloadQueueLimit jobs; beyond it
    /// @p done receives {"error": "the agent is busy..."} at once.
    void offload(std::function<Json()> work, std::function<void(Json)> done);

    enum class OffloadLane { Read, Change };
    static constexpr std::size_t kOffloadQueueLimit = 64;
    /// Jobs queued or running in @p lane (for tests and the soak).
    [[nodiscard]] std::size_t offloadBacklog(OffloadLane lane) const;

    [[nodiscard]] Clock::time_point now() const;
    /// Runs until exit(); @return the exit code, or a negative errno on a loop failure.
    int run();
    void exit(int code);

    /// For libraries that attach to sd-event themselves (sd-bus).
    [[nodiscard]] sd_event* raw() const { return m_event; }

private:
    struct Passkey {
        explicit Passkey() = default;
    };

public:
    EventLoop(Passkey, sd_event* event, unsigned workers); // use create()

private:
    struct Offload;
    Status attachOffload(Offload& offload);
    sd_event* m_event = nullptr;
    /// Deferred callbacks not yet run. Each holds a reference on the sd-event loop: they are
    /// dropped (not run) before the loop is released, or the loop and what they capture leak.
    std::unordered_set<sd_event_source*> m_deferred;
    std::unique_ptr<Offload> m_offload;       // the read lane
    std::unique_ptr<Offload> m_changeOffload; // operate and admin callers' work
};

} // namespace hadeck::agent
