// Blocking delivery of one notification, run on an offload worker: libcurl for
// webhooks and SMTP, posix_spawn for the exec hook.
//
// libcurl is opened at the first webhook or mail, not at start (hadeck/agent/lazy_lib.h): with
// the TLS, Kerberos, LDAP and SSH libraries it pulls in, it was a quarter of every agent's
// resident memory, on nodes that may never send a notification.

#include "hadeck/agent/actions/notify.h"
#include "hadeck/agent/lazy_lib.h"

#include <curl/curl.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <utility>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace hadeck::agent {

namespace {

// The libcurl functions the delivery calls, with the signatures of curl/curl.h.
struct CurlApi {
    decltype(&::curl_global_init) globalInit = nullptr;
    decltype(&::curl_easy_init) easyInit = nullptr;
    decltype(&::curl_easy_setopt) setopt = nullptr;
    decltype(&::curl_easy_perform) perform = nullptr;
    decltype(&::curl_easy_getinfo) getinfo = nullptr;
    decltype(&::curl_easy_cleanup) cleanup = nullptr;
    decltype(&::curl_easy_strerror) strerror = nullptr;
    decltype(&::curl_slist_append) slistAppend = nullptr;
    decltype(&::curl_slist_free_all) slistFreeAll = nullptr;
};

// libcurl, opened and initialised once (thread-safe: a function-local static); nullptr with
// `error` set when it cannot be loaded (then every delivery reports that error).
const CurlApi* curl(std::string& error)
{
    static const auto loaded = [] {
        std::pair<CurlApi, std::string> r;
        auto& [api, why] = r;
        constexpr const char* so = "libcurl.so.4";
        void* h = lazy::open(so, why);
        if (h != nullptr && lazy::resolve(h, so, "curl_global_init", api.globalInit, why) &&
            lazy::resolve(h, so, "curl_easy_init", api.easyInit, why) &&
            lazy::resolve(h, so, "curl_easy_setopt", api.setopt, why) &&
            lazy::resolve(h, so, "curl_easy_perform", api.perform, why) &&
            lazy::resolve(h, so, "curl_easy_getinfo", api.getinfo, why) &&
            lazy::resolve(h, so, "curl_easy_cleanup", api.cleanup, why) &&
            lazy::resolve(h, so, "curl_easy_strerror", api.strerror, why) &&
            lazy::resolve(h, so, "curl_slist_append", api.slistAppend, why) &&
            lazy::resolve(h, so, "curl_slist_free_all", api.slistFreeAll, why)) {
            if (api.globalInit(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
                why = "cannot start libcurl";
            }
        } else if (why.empty()) {
            why = "cannot load libcurl";
        }
        return r;
    }();
    if (!loaded.second.empty()) {
        error = loaded.second;
        return nullptr;
    }
    return &loaded.first;
}

std::size_t collect(char* data, std::size_t size, std::size_t n, void* out)
{
    auto* s = static_cast<std::string*>(out);
    if (s->size() < 65536) {
        s->append(data, size * n);
    }
    return size * n;
}

struct Upload {
    const std::string* text;
    std::size_t pos = 0;
};

std::size_t feed(char* buf, std::size_t size, std::size_t n, void* user)
{
    auto* u = static_cast<Upload*>(user);
    const std::size_t left = u->text->size() - u->pos;
    const std::size_t take = std::min(left, size * n);
    std::memcpy(buf, u->text->data() + u->pos, take);
    u->pos += take;
    return take;
}

struct Easy {
    explicit Easy(const CurlApi& a) : api(a), h(a.easyInit()) {}
    Easy(const Easy&) = delete;
    Easy& operator=(const Easy&) = delete;
    ~Easy()
    {
        api.slistFreeAll(list);
        api.cleanup(h);
    }
    const CurlApi& api;
    CURL* h;
    curl_slist* list = nullptr;
};

std::int64_t nowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string postWebhook(const NotifyChannel& ch, const proto::AlarmEvent& ev)
{
    std::string loadError;
    const CurlApi* c = curl(loadError);
    if (c == nullptr) {
        return loadError;
    }
    Easy e(*c);
    if (e.h == nullptr) {
        return "cannot start libcurl";
    }
    const std::string url = ch.type == ChannelType::DingTalk ? dingtalkSignedUrl(ch.url, ch.secret, nowMs()) : ch.url;
    const std::string body = webhookPayload(ch.type, ev).dump(-1, ' ', false, rpc::Json::error_handler_t::replace);
    std::string answer;
    e.list = c->slistAppend(e.list, "Content-Type: application/json; charset=utf-8");
    c->setopt(e.h, CURLOPT_URL, url.c_str());
    c->setopt(e.h, CURLOPT_HTTPHEADER, e.list);
    c->setopt(e.h, CURLOPT_POSTFIELDS, body.c_str());
    c->setopt(e.h, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    c->setopt(e.h, CURLOPT_TIMEOUT_MS, static_cast<long>(ch.timeout.count()));
    c->setopt(e.h, CURLOPT_NOSIGNAL, 1L);
    c->setopt(e.h, CURLOPT_PROTOCOLS_STR, "http,https");
    c->setopt(e.h, CURLOPT_WRITEFUNCTION, collect);
    c->setopt(e.h, CURLOPT_WRITEDATA, &answer);
    c->setopt(e.h, CURLOPT_USERAGENT, "hadeck-agent");
    const CURLcode rc = c->perform(e.h);
    if (rc != CURLE_OK) {
        return c->strerror(rc);
    }
    long status = 0;
    c->getinfo(e.h, CURLINFO_RESPONSE_CODE, &status);
    std::string why;
    return webhookAccepted(ch.type, status, answer, why) ? std::string() : why;
}

std::string sendMail(const NotifyChannel& ch, const proto::AlarmEvent& ev)
{
    std::string loadError;
    const CurlApi* c = curl(loadError);
    if (c == nullptr) {
        return loadError;
    }
    Easy e(*c);
    if (e.h == nullptr) {
        return "cannot start libcurl";
    }
    const std::string msg = emailMessage(ch, ev, static_cast<std::int64_t>(std::time(nullptr)));
    Upload up{&msg};
    for (const auto& r : ch.to) {
        e.list = c->slistAppend(e.list, ("<" + r + ">").c_str());
    }
    const std::string from = "<" + ch.from + ">";
    c->setopt(e.h, CURLOPT_URL, ch.url.c_str());
    c->setopt(e.h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    c->setopt(e.h, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY)); // STARTTLS when offered
    c->setopt(e.h, CURLOPT_MAIL_FROM, from.c_str());
    c->setopt(e.h, CURLOPT_MAIL_RCPT, e.list);
    c->setopt(e.h, CURLOPT_READFUNCTION, feed);
    c->setopt(e.h, CURLOPT_READDATA, &up);
    c->setopt(e.h, CURLOPT_UPLOAD, 1L);
    c->setopt(e.h, CURLOPT_TIMEOUT_MS, static_cast<long>(ch.timeout.count()));
    c->setopt(e.h, CURLOPT_NOSIGNAL, 1L);
    if (!ch.username.empty()) {
        c->setopt(e.h, CURLOPT_USERNAME, ch.username.c_str());
        c->setopt(e.h, CURLOPT_PASSWORD, ch.password.c_str());
    }
    const CURLcode rc = c->perform(e.h);
    return rc == CURLE_OK ? std::string() : std::string(c->strerror(rc));
}

std::string runHook(const NotifyChannel& ch, const proto::AlarmEvent& ev)
{
    int in[2];
    if (pipe2(in, O_CLOEXEC) != 0) {
        return std::string("pipe: ") + std::strerror(errno);
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attr, &none); // the agent blocks signals for sd-event
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
    std::vector<char*> argv;
    for (const auto& a : ch.command) {
        argv.push_back(const_cast<char*>(a.c_str()));
    }
    argv.push_back(nullptr);
    pid_t pid = -1;
    const int err = posix_spawn(&pid, argv[0], &fa, &attr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    close(in[0]);
    if (err != 0) {
        close(in[1]);
        return ch.command[0] + ": " + std::strerror(err);
    }
    const std::string json = rpc::Json(ev).dump(-1, ' ', false, rpc::Json::error_handler_t::replace) + "\n";
    const auto deadline = std::chrono::steady_clock::now() + ch.timeout;
    std::size_t off = 0;
    while (off < json.size()) {
        const ssize_t n = write(in[1], json.data() + off, json.size() - off);
        if (n <= 0) {
            break; // the hook need not read it all
        }
        off += static_cast<std::size_t>(n);
    }
    close(in[1]);
    int status = 0;
    for (;;) {
        const pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid) {
            break;
        }
        if (w < 0 && errno != EINTR) {
            return std::string("waitpid: ") + std::strerror(errno);
        }
        if (std::chrono::steady_clock::now() > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            return ch.command[0] + ": killed after " + std::to_string(ch.timeout.count()) + " ms";
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        return {};
    }
    return ch.command[0] + (WIFEXITED(status) ? ": exit code " + std::to_string(WEXITSTATUS(status))
                                              : ": killed by signal " + std::to_string(WTERMSIG(status)));
}

} // namespace

std::string deliverOnce(const NotifyChannel& ch, const proto::AlarmEvent& ev)
{
    switch (ch.type) {
    case ChannelType::Exec:
        return runHook(ch, ev);
    case ChannelType::Smtp:
        return sendMail(ch, ev);
    case ChannelType::DingTalk:
    case ChannelType::WeCom:
    case ChannelType::Feishu:
    case ChannelType::Webhook:
        return postWebhook(ch, ev);
    }
    return "unknown channel type";
}

} // namespace hadeck::agent
