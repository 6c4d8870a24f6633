#include "hadeck/agent/event_loop.h"
#include "hadeck/agent/lazy_lib.h"

#include "hadeck/agent/log.h"

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include <csignal>
#include <pthread.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <systemd/sd-event.h>
#include <unistd.h>

namespace hadeck::agent {

namespace {

struct CallbackBase {
    virtual ~CallbackBase() = default;
};

template <typename F>
struct Holder final : CallbackBase {
    explicit Holder(F f) : fn(std::move(f)) {}
    F fn;
};

struct TimerHolder final : CallbackBase {
    EventLoop::TimerCallback fn;
    std::uint64_t intervalUsec = 0;
    bool repeating = false;
};

void destroyHolder(void* userdata)
{
    std::unique_ptr<CallbackBase> owned(static_cast<CallbackBase*>(userdata));
}

// Callbacks come from sockets and files; an exception escaping into C code
// would terminate the agent, so each trampoline catches and logs.
template <typename Fn>
void guarded(const char* what, Fn&& fn)
{
    try {
        fn();
    } catch (const std::exception& e) {
        logError(std::string("unhandled exception in ") + what + " callback: " + e.what());
    } catch (...) {
        logError(std::string("unhandled exception in ") + what + " callback");
    }
}

Unexpected<Failure> sdFail(const char* what, int r)
{
    return fail(std::string(what) + ": " + std::strerror(-r), -r);
}

template <typename H>
Expected<EventSource> adopt(int r, sd_event_source* source, std::unique_ptr<H> holder, const char* what)
{
    if (r < 0) {
        return sdFail(what, r);
    }
    sd_event_source_set_userdata(source, holder.release());
    sd_event_source_set_destroy_callback(source, destroyHolder);
    return EventSource(source);
}

int onIo(sd_event_source* /*s*/, int /*fd*/, std::uint32_t revents, void* userdata)
{
    auto* h = static_cast<Holder<EventLoop::IoCallback>*>(userdata);
    guarded("io", [&] { h->fn(revents); });
    return 0;
}

std::uint64_t monotonicUsec()
{
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1000000U + static_cast<std::uint64_t>(ts.tv_nsec) / 1000U;
}

/// Repeating timers fire on a grid of the monotonic clock (their interval, at most 1 s): every
/// module's 1 s sample, and a 100 ms look, then share one wakeup instead of one each.
std::uint64_t timerGrid(std::uint64_t intervalUsec) { return std::clamp<std::uint64_t>(intervalUsec, 1, 1000000U); }

/// The first point of @p grid at or after @p t.
std::uint64_t alignUp(std::uint64_t t, std::uint64_t grid) { return (t + grid - 1) / grid * grid; }

int onTimer(sd_event_source* s, std::uint64_t usec, void* userdata)
{
    auto* h = static_cast<TimerHolder*>(userdata);
    if (h->repeating) {
        // The next point one interval on; after a busy spell that missed it, the next grid point
        // from now: never a burst of catch-up ticks.
        const std::uint64_t grid = timerGrid(h->intervalUsec);
        std::uint64_t next = usec + std::max<std::uint64_t>(h->intervalUsec, 1);
        if (const auto now = monotonicUsec(); next <= now) {
            next = alignUp(now + 1, grid);
        }
        sd_event_source_set_time(s, next);
        sd_event_source_set_enabled(s, SD_EVENT_ON);
    }
    guarded("timer", [&] { h->fn(); });
    return 0;
}

int onSignal(sd_event_source* /*s*/, const struct signalfd_siginfo* si, void* userdata)
{
    auto* h = static_cast<Holder<EventLoop::SignalCallback>*>(userdata);
    guarded("signal", [&] { h->fn(static_cast<int>(si->ssi_signo)); });
    return 0;
}

int onChild(sd_event_source* /*s*/, const siginfo_t* si, void* userdata)
{
    auto* h = static_cast<Holder<EventLoop::ChildCallback>*>(userdata);
    ChildExit exit;
    exit.pid = si->si_pid;
    exit.exited = si->si_code == CLD_EXITED;
    exit.status = si->si_status;
    guarded("child", [&] { h->fn(exit); });
    return 0;
}

int onInotify(sd_event_source* /*s*/, const struct inotify_event* ev, void* userdata)
{
    auto* h = static_cast<Holder<EventLoop::InotifyCallback>*>(userdata);
    const std::string_view name = ev->len > 0 ? std::string_view(ev->name) : std::string_view();
    guarded("inotify", [&] { h->fn(ev->mask, name); });
    return 0;
}

struct DeferHolder final : CallbackBase {
    DeferHolder(std::function<void()> f, std::unordered_set<sd_event_source*>* set) : fn(std::move(f)), pending(set) {}
    std::function<void()> fn;
    std::unordered_set<sd_event_source*>* pending;
};

int onDefer(sd_event_source* s, void* userdata)
{
    auto* h = static_cast<DeferHolder*>(userdata);
    h->pending->erase(s);
    guarded("deferred", [&] { h->fn(); });
    // sd-event holds its own reference while dispatching, so this frees the
    // source (and the holder) only after we return.
    sd_event_source_disable_unref(s);
    return 0;
}

} // namespace

// ---------------------------------------------------------------- EventSource

EventSource::~EventSource() { reset(); }

EventSource::EventSource(EventSource&& other) noexcept : m_source(std::exchange(other.m_source, nullptr)) {}

EventSource& EventSource::operator=(EventSource&& other) noexcept
{
    if (this != &other) {
        reset();
        m_source = std::exchange(other.m_source, nullptr);
    }
    return *this;
}

void EventSource::reset()
{
    if (m_source != nullptr) {
        sd_event_source_disable_unref(m_source);
        m_source = nullptr;
    }
}

Status EventSource::setIoEvents(std::uint32_t events)
{
    if (m_source == nullptr) {
        return fail("no event source");
    }
    if (const int r = sd_event_source_set_io_events(m_source, events); r < 0) {
        return sdFail("sd_event_source_set_io_events", r);
    }
    return {};
}

Status EventSource::setEnabled(bool enabled)
{
    if (m_source == nullptr) {
        return fail("no event source");
    }
    if (const int r = sd_event_source_set_enabled(m_source, enabled ? SD_EVENT_ON : SD_EVENT_OFF); r < 0) {
        return sdFail("sd_event_source_set_enabled", r);
    }
    return {};
}

// -------------------------------------------------------------------- offload

// Shared with the worker threads, which are detached: a worker stuck in slow
// work must not hold up shutdown. Whatever finishes after the loop is gone
// writes into this state and is dropped with it.
struct OffloadState {
    struct Job {
        std::uint64_t id;
        std::function<void()> work;
    };
    std::mutex mutex;
    std::condition_variable wake;
    std::deque<Job> jobs;
    std::deque<std::pair<std::uint64_t, std::optional<Failure>>> results; // nullopt: the work returned
    bool stopping = false;
    unsigned running = 0;               // worker threads not yet returned
    std::condition_variable workerExit; // signalled as each returns
    int eventFd = -1;

    ~OffloadState()
    {
        if (eventFd >= 0) {
            ::close(eventFd);
        }
    }
};

struct EventLoop::Offload {
    std::shared_ptr<OffloadState> state = std::make_shared<OffloadState>();
    unsigned workers = 2;
    unsigned started = 0;
    std::uint64_t nextId = 1;
    std::map<std::uint64_t, std::function<void(std::optional<Failure>)>> pending;
    EventSource source;
};

namespace {
void workerMain(std::shared_ptr<OffloadState> state)
{
    // Signals belong to the loop thread (signalfd); a worker must never take one.
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, nullptr);
    struct Exit {
        OffloadState& s;
        ~Exit()
        {
            // This thread's libcrypto state (TLS by libcurl's jobs), now. libcrypto is there only
            // once libcurl or libmariadb was opened (lazy_lib.h); otherwise there is nothing to free.
            lazy::callIfLoaded("libcrypto.so.3", "OPENSSL_thread_stop");
            const std::lock_guard lock(s.mutex);
            --s.running;
            s.workerExit.notify_all();
        }
    } const exit{*state};
    for (;;) {
        OffloadState::Job job;
        {
            std::unique_lock lock(state->mutex);
            state->wake.wait(lock, [&] { return state->stopping || !state->jobs.empty(); });
            if (state->stopping) {
                return;
            }
            job = std::move(state->jobs.front());
            state->jobs.pop_front();
        }
        std::optional<Failure> result;
        try {
            job.work();
        } catch (const std::exception& e) {
            result = Failure{e.what()};
        } catch (...) {
            result = Failure{"unknown exception"};
        }
        {
            const std::lock_guard lock(state->mutex);
            if (state->stopping) {
                return;
            }
            state->results.emplace_back(job.id, std::move(result));
        }
        const std::uint64_t one = 1;
        [[maybe_unused]] const auto n = ::write(state->eventFd, &one, sizeof one);
    }
}
} // namespace

// ------------------------------------------------------------------ EventLoop

Expected<std::unique_ptr<EventLoop>> EventLoop::create(unsigned workers)
{
    // sd-event's child watching needs SIGCHLD blocked in every thread; block it
    // before any worker exists so they inherit the mask.
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    pthread_sigmask(SIG_BLOCK, &chld, nullptr);

    sd_event* event = nullptr;
    if (const int r = sd_event_new(&event); r < 0) {
        return sdFail("sd_event_new", r);
    }
    // Lets systemd's WatchdogSec= see a stuck loop; a no-op without it.
    sd_event_set_watchdog(event, 1);
    auto loop = std::make_unique<EventLoop>(Passkey{}, event, workers == 0 ? 1 : workers);

    for (Offload* offload : {loop->m_offload.get(), loop->m_changeOffload.get(), loop->m_ownOffload.get()}) {
        if (auto attached = loop->attachOffload(*offload); !attached) {
            return Unexpected<Failure>{attached.error()};
        }
    }
    return loop;
}

EventLoop::EventLoop(Passkey, sd_event* event, unsigned workers)
    : m_event(event)
    , m_offload(std::make_unique<Offload>())
    , m_changeOffload(std::make_unique<Offload>())
    , m_ownOffload(std::make_unique<Offload>())
{
    m_offload->workers = workers;
    m_changeOffload->workers = workers;
    m_ownOffload->workers = workers;
}

Status EventLoop::attachOffload(Offload& offload)
{
    const int efd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (efd < 0) {
        return fail(std::string("eventfd: ") + std::strerror(errno), errno);
    }
    offload.state->eventFd = efd;
    Offload* o = &offload;
    auto source = addIo(efd, EPOLLIN, [o](std::uint32_t) {
        std::uint64_t count = 0;
        [[maybe_unused]] const auto n = ::read(o->state->eventFd, &count, sizeof count);
        std::deque<std::pair<std::uint64_t, std::optional<Failure>>> results;
        {
            const std::lock_guard lock(o->state->mutex);
            results.swap(o->state->results);
        }
        for (auto& [id, value] : results) {
            auto it = o->pending.find(id);
            if (it == o->pending.end()) {
                continue;
            }
            auto done = std::move(it->second);
            o->pending.erase(it);
            guarded("offload completion", [&] { done(std::move(value)); });
        }
    });
    if (!source) {
        return Unexpected<Failure>{source.error()};
    }
    offload.source = std::move(*source);
    return {};
}

EventLoop::~EventLoop()
{
    for (Offload* o : {m_offload.get(), m_changeOffload.get(), m_ownOffload.get()}) {
        {
            const std::lock_guard lock(o->state->mutex);
            o->state->stopping = true;
        }
        o->state->wake.notify_all();
        o->source.reset();
        o->pending.clear();
    }
    // Idle workers return at once; one in a job finishes it first. Waiting (bounded) lets
    // each thread's library state (libcrypto's, libcurl's) be released as the thread ends.
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    for (Offload* o : {m_offload.get(), m_changeOffload.get(), m_ownOffload.get()}) {
        std::unique_lock lock(o->state->mutex);
        o->state->workerExit.wait_until(lock, until, [&] { return o->state->running == 0; });
    }
    // Freeing a callback may defer another: until none is left.
    while (!m_deferred.empty()) {
        const std::vector<sd_event_source*> left(m_deferred.begin(), m_deferred.end());
        m_deferred.clear();
        for (sd_event_source* s : left) {
            sd_event_source_disable_unref(s);
        }
    }
    sd_event_unref(m_event);
}

Expected<EventSource> EventLoop::addIo(int fd, std::uint32_t events, IoCallback callback)
{
    auto holder = std::make_unique<Holder<IoCallback>>(std::move(callback));
    sd_event_source* s = nullptr;
    const int r = sd_event_add_io(m_event, &s, fd, events, onIo, holder.get());
    return adopt(r, s, std::move(holder), "sd_event_add_io");
}

Expected<EventSource> EventLoop::addTimer(std::chrono::milliseconds interval, bool repeating, TimerCallback callback)
{
    auto holder = std::make_unique<TimerHolder>();
    holder->fn = std::move(callback);
    holder->intervalUsec = static_cast<std::uint64_t>(std::max<std::int64_t>(interval.count(), 0)) * 1000U;
    holder->repeating = repeating;
    sd_event_source* s = nullptr;
    // 1 ms accuracy: sd-event's default of 250 ms would smear 1 s samples. A repeating timer's
    // first tick is one interval on, rounded up to its grid (see timerGrid).
    const int r =
        repeating ? sd_event_add_time(m_event, &s, CLOCK_MONOTONIC,
                                      alignUp(monotonicUsec() + holder->intervalUsec, timerGrid(holder->intervalUsec)),
                                      1000, onTimer, holder.get())
                  : sd_event_add_time_relative(m_event, &s, CLOCK_MONOTONIC, holder->intervalUsec, 1000, onTimer,
                                               holder.get());
    if (r >= 0 && repeating) {
        sd_event_source_set_enabled(s, SD_EVENT_ON);
    }
    return adopt(r, s, std::move(holder), "sd_event_add_time");
}

Expected<EventSource> EventLoop::addSignal(int signo, SignalCallback callback)
{
    auto holder = std::make_unique<Holder<SignalCallback>>(std::move(callback));
    sd_event_source* s = nullptr;
    const int r = sd_event_add_signal(m_event, &s, signo | SD_EVENT_SIGNAL_PROCMASK, onSignal, holder.get());
    return adopt(r, s, std::move(holder), "sd_event_add_signal");
}

Expected<EventSource> EventLoop::addChild(pid_t pid, ChildCallback callback)
{
    auto holder = std::make_unique<Holder<ChildCallback>>(std::move(callback));
    sd_event_source* s = nullptr;
    const int r = sd_event_add_child(m_event, &s, pid, WEXITED, onChild, holder.get());
    return adopt(r, s, std::move(holder), "sd_event_add_child");
}

Expected<EventSource> EventLoop::addInotify(const std::filesystem::path& path, std::uint32_t mask,
                                            InotifyCallback callback)
{
    auto holder = std::make_unique<Holder<InotifyCallback>>(std::move(callback));
    sd_event_source* s = nullptr;
    const int r = sd_event_add_inotify(m_event, &s, path.c_str(), mask, onInotify, holder.get());
    return adopt(r, s, std::move(holder), "sd_event_add_inotify");
}

void EventLoop::defer(std::function<void()> callback)
{
    auto holder = std::make_unique<DeferHolder>(std::move(callback), &m_deferred);
    sd_event_source* s = nullptr;
    const int r = sd_event_add_defer(m_event, &s, onDefer, holder.get());
    if (r < 0) {
        logError(std::string("sd_event_add_defer: ") + std::strerror(-r));
        return;
    }
    sd_event_source_set_userdata(s, holder.release());
    sd_event_source_set_destroy_callback(s, destroyHolder);
    m_deferred.insert(s);
}

namespace {
thread_local OffloadLane t_lane = OffloadLane::Own; // outside a call: the agent's own work

const char* laneName(OffloadLane lane)
{
    switch (lane) {
    case OffloadLane::Read: return "read";
    case OffloadLane::Change: return "change";
    case OffloadLane::Own: return "own";
    }
    return "own";
}
} // namespace

OffloadLaneScope::OffloadLaneScope(OffloadLane lane) : m_previous(std::exchange(t_lane, lane)) {}

OffloadLaneScope::~OffloadLaneScope() { t_lane = m_previous; }

EventLoop::Offload& EventLoop::lane(OffloadLane which) const
{
    switch (which) {
    case OffloadLane::Read: return *m_offload;
    case OffloadLane::Change: return *m_changeOffload;
    case OffloadLane::Own: return *m_ownOffload;
    }
    return *m_ownOffload;
}

void EventLoop::offloadTask(std::function<void()> work, std::function<void(std::optional<Failure>)> done)
{
    Offload& o = lane(t_lane);
    if (o.pending.size() >= kOffloadQueueLimit) {
        // Answer at once (but not from inside the caller): the queue stays bounded.
        defer([done = std::move(done), lane = laneName(t_lane)] {
            done(Failure{std::string("the agent is busy (") + std::to_string(kOffloadQueueLimit) +
                         " jobs waiting in its " + lane + " lane); try again shortly"});
        });
        return;
    }
    while (o.started < o.workers) {
        {
            const std::lock_guard lock(o.state->mutex);
            ++o.state->running;
        }
        std::thread(workerMain, o.state).detach();
        ++o.started;
    }
    const std::uint64_t id = o.nextId++;
    o.pending.emplace(id, std::move(done));
    {
        const std::lock_guard lock(o.state->mutex);
        o.state->jobs.push_back(OffloadState::Job{id, std::move(work)});
    }
    o.state->wake.notify_one();
}

std::size_t EventLoop::offloadBacklog(OffloadLane lane) const { return this->lane(lane).pending.size(); }

EventLoop::Clock::time_point EventLoop::now() const
{
    std::uint64_t usec = 0;
    if (sd_event_now(m_event, CLOCK_MONOTONIC, &usec) < 0) {
        return Clock::now();
    }
    return Clock::time_point(std::chrono::duration_cast<Clock::duration>(std::chrono::microseconds(usec)));
}

int EventLoop::run() { return sd_event_loop(m_event); }

void EventLoop::exit(int code) { sd_event_exit(m_event, code); }

} // namespace hadeck::agent
