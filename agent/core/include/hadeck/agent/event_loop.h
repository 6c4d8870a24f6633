#pragma once

// The agent's single-threaded event loop, a thin owner of sd-event. Everything
// runs on the loop thread except the work handed to offload(), which runs on a
// small worker pool and reports back on the loop thread through an eventfd.
// Nothing on the loop thread may block.

#include "hadeck/protocol/expected.h"
#include "hadeck/protocol/jsonrpc.h"

#include <chrono>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <type_traits>
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

/// The offload lanes, each with workers and a queue of its own:
///  Read:   work for a viewer's call;
///  Change: work for an operate or admin caller's call, and the safety work that stands in
///          for an admin (the firewall's rollback of an unconfirmed change);
///  Own:    work the agent starts itself (samples, alarm deliveries, keepalived's dump),
///          outside any call: the default. So nothing a viewer sends can hold it up.
enum class OffloadLane { Read, Change, Own };

/// While alive, offload() on this thread uses @p lane (the dispatcher sets it
/// from the caller's level around each handler).
class OffloadLaneScope {
public:
    explicit OffloadLaneScope(OffloadLane lane);
    ~OffloadLaneScope();
    OffloadLaneScope(const OffloadLaneScope&) = delete;
    OffloadLaneScope& operator=(const OffloadLaneScope&) = delete;

private:
    OffloadLane m_previous;
};

/// How a child process ended (see addChild).
struct ChildExit {
    pid_t pid = 0;
    bool exited = false; // true: status is the exit code; false: status is the signal number
    int status = 0;
};

/// True for Expected<T, Failure> (and so Status): what offload() work may return.
template <class T>
struct IsExpected : std::false_type {};
template <class T>
struct IsExpected<Expected<T, Failure>> : std::true_type {};

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
    /// loop thread. @p work returns an Expected<T> (or a Status); @p done receives
    /// it, typed. If @p work throws, @p done receives a Failure with the exception's
    /// message. @p work must not touch loop-owned objects. Results that arrive after
    /// the loop object is gone are dropped. std::function needs copyable captures:
    /// carry a Responder into @p done as std::make_shared<Responder>(std::move(r)).
    ///
    /// Work runs in one of three lanes with their own workers and queues (OffloadLane):
    /// work started for an operate or admin caller, or by the agent itself, never waits
    /// behind viewers' reads. Each lane queues at most kOffloadQueueLimit jobs; beyond it
    /// @p done receives a Failure ("the agent is busy...") at once.
    template <class Work, class Done>
    requires IsExpected<std::invoke_result_t<Work&>>::value && std::invocable<Done&, std::invoke_result_t<Work&>>
    void offload(Work work, Done done)
    {
        using Result = std::invoke_result_t<Work&>;
        // Written by the worker, read on the loop thread after the hand-over (under the lane's mutex).
        auto slot = std::make_shared<std::optional<Result>>();
        offloadTask([work = std::move(work), slot]() mutable { slot->emplace(work()); },
                    [done = std::move(done), slot](std::optional<Failure> failure) mutable {
                        if (failure || !slot->has_value()) {
                            done(Result(Unexpected<Failure>{failure ? std::move(*failure) : Failure{"no result"}}));
                            return;
                        }
                        done(std::move(**slot));
                    });
    }

    using OffloadLane = agent::OffloadLane;
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
    /// The untyped core of offload(): @p work on a worker, then @p done on the loop thread
    /// with nothing (the work returned) or the Failure that stopped it (it threw, the lane was full).
    void offloadTask(std::function<void()> work, std::function<void(std::optional<Failure>)> done);
    sd_event* m_event = nullptr;
    /// Deferred callbacks not yet run. Each holds a reference on the sd-event loop: they are
    /// dropped (not run) before the loop is released, or the loop and what they capture leak.
    std::unordered_set<sd_event_source*> m_deferred;
    [[nodiscard]] Offload& lane(OffloadLane which) const;
    std::unique_ptr<Offload> m_offload;       // the read lane
    std::unique_ptr<Offload> m_changeOffload; // operate and admin callers' work
    std::unique_ptr<Offload> m_ownOffload;    // the agent's own work
};

} // namespace hadeck::agent
