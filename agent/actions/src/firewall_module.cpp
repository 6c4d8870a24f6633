#include "hadeck/agent/actions/firewall_module.h"

#include "hadeck/protocol/alarms.h"

#include "hadeck/agent/audit_log.h"
#include "hadeck/agent/files.h"
#include "hadeck/agent/log.h"
#include "hadeck/agent/publisher.h"
#include "hadeck/agent/registry.h"
#include "hadeck/probes/nft_backend.h"
#include "hadeck/probes/nft_ruleset.h"
#include "hadeck/protocol/methods.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <random>
#include <system_error>

#include <malloc.h>
#include <unistd.h>

namespace hadeck::agent {

// The alarm engine raises "firewall rollback happened" on this module's event.
static_assert(proto::alarm_events::kFirewallRollback == proto::fw::kEventRolledBack);

namespace fw = proto::fw;
namespace nft = probes::nft;

namespace {

constexpr std::size_t kSeenRulesets = 16;
constexpr std::string_view kPendingFile = "pending.json";
constexpr std::chrono::milliseconds kBusyRetry{200};
constexpr std::chrono::seconds kRestoreRetry{5};

std::int64_t nowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string newId()
{
    std::random_device rd;
    char buf[32];
    std::snprintf(buf, sizeof buf, "fw-%08x%08x", static_cast<unsigned>(nowMs() / 1000), rd());
    return buf;
}

/// The state files (the saved ruleset, the pending record) are private to the agent: 0600.
/// The persisted ruleset is new at 0644, as nftables.conf ships; an existing one keeps its mode.
Status writeAtomic(const std::filesystem::path& path, std::string_view text, mode_t mode = 0600)
{
    return files::writeFileAtomically(path, text, files::WriteOptions{.mode = mode});
}

Json pendingRecord(const fw::Pending& p, const std::string& savedPath)
{
    Json j = p;
    j["savedPath"] = savedPath;
    return j;
}

/// Why a change set is stale, naming what changed since the ruleset it was made against.
Json staleData(const std::string& base, const nft::Snapshot& now, const std::optional<std::string>& oldListing)
{
    Json d{{"check", "stale"}, {"baseHash", base}, {"currentHash", now.ruleset.hash}};
    d["changes"] = oldListing ? Json(nft::listingDiff(*oldListing, now.listing)) : Json::array();
    return d;
}

std::string staleMessage(const Json& data)
{
    std::string msg = "the ruleset changed since this change set was made (it was made against " +
                      data["baseHash"].get<std::string>().substr(0, 12) + ", the node now has " +
                      data["currentHash"].get<std::string>().substr(0, 12) + ")";
    const auto& changes = data["changes"];
    if (changes.empty()) {
        msg += "; show the ruleset again and rebuild the change";
    } else {
        msg += ":";
        std::size_t n = 0;
        for (const auto& c : changes) {
            if (++n > 10) {
                msg += " …";
                break;
            }
            msg += "\n  " + c.get<std::string>();
        }
    }
    return msg;
}

struct Outcome {
    int code = 0; // 0: ok
    std::string message;
    Json data;
    Json value;
};

/// What firewall.show's worker hands back: the ruleset already encoded, and its listing.
struct Shown {
    std::string hash;
    std::string listing;
    Json ruleset;
};

/// The worker's outcome, or an internal error when it threw or its lane was full.
Outcome outcomeOf(Expected<Outcome> done)
{
    if (!done) {
        return Outcome{rpc::InternalError, done.error().message, nullptr, nullptr};
    }
    return std::move(*done);
}

Outcome failed(int code, std::string message, Json data = nullptr)
{
    return Outcome{code, std::move(message), std::move(data), nullptr};
}

/// Restores a saved ruleset text (as `nft list ruleset` printed it) in one transaction.
nft::RunResult restore(const std::string& saved) { return nft::run("flush ruleset\n" + saved); }

} // namespace

FirewallModule::FirewallModule() = default;
FirewallModule::~FirewallModule() = default;

std::filesystem::path FirewallModule::dir() const { return m_context->stateDir / "firewall"; }

std::filesystem::path FirewallModule::persistPath() const
{
    const Json& modules = m_context->config.modules;
    if (modules.is_object() && modules.contains("firewall") && modules["firewall"].is_object()) {
        const Json& f = modules["firewall"];
        if (const auto p = f.find("persist_path"); p != f.end() && p->is_string() && !p->get<std::string>().empty()) {
            return p->get<std::string>();
        }
    }
    return "/etc/nftables.conf";
}

void FirewallModule::remember(const std::string& hash, const std::string& listing)
{
    for (const auto& [h, l] : m_seen) {
        if (h == hash) {
            return;
        }
    }
    m_seen.emplace_back(hash, listing);
    while (m_seen.size() > kSeenRulesets) {
        m_seen.pop_front();
    }
}

std::optional<std::string> FirewallModule::listingFor(const std::string& hash) const
{
    for (const auto& [h, l] : m_seen) {
        if (h == hash) {
            return l;
        }
    }
    return std::nullopt;
}

void FirewallModule::start(AgentContext& context)
{
    m_context = &context;
    std::error_code mkdirError;
    std::filesystem::create_directories(dir(), mkdirError);
    if (mkdirError) {
        logError("firewall: cannot create " + dir().string() + ": " + mkdirError.message());
    }
    auto& reg = context.registry;

    reg.add(proto::methods::FirewallShow, this, &FirewallModule::show);
    reg.add(proto::methods::FirewallCheck, this, &FirewallModule::check);
    reg.add(proto::methods::FirewallPending, this, &FirewallModule::pending);
    reg.add(proto::methods::FirewallApply, this, &FirewallModule::apply);
    reg.add(proto::methods::FirewallConfirm, this, &FirewallModule::confirm);
    reg.add(proto::methods::FirewallRollback, this, &FirewallModule::rollback);

    context.publisher.setSnapshot(std::string(fw::kTopic), [this] {
        return Json(fw::TopicDelta{m_lastHash, std::nullopt, {}, m_pending ? m_pending->info : fw::Pending{}});
    });
    if (auto t = context.loop.addTimer(context.config.sampleInterval, true, [this] { sample(); })) {
        m_sampler = std::move(*t);
    }

    // A rollback left pending by a previous run (crash, restart) is carried out.
    auto text = files::readFileIfExists(dir() / kPendingFile);
    if (!text || !text->has_value()) {
        if (!text) {
            logError("firewall: " + text.error().message +
                     "; a pending rollback in it is NOT carried out; restore the ruleset by hand");
        }
        return;
    }
    const Json j = Json::parse(**text, nullptr, false);
    auto info = j.is_discarded() ? Expected<fw::Pending>(fail("not JSON")) : proto::fromJson<fw::Pending>(j);
    if (!info || !j.contains("savedPath") || !j["savedPath"].is_string()) {
        logError("firewall: " + (dir() / kPendingFile).string() +
                 " cannot be read; the pending rollback in it is NOT carried out; restore the ruleset by hand");
        return;
    }
    m_pending = PendingState{*info, -1, j["savedPath"].get<std::string>()};
    const std::int64_t now = nowMs();
    if (info->deadline * 1000 <= now) {
        logWarning("firewall: change " + info->id + " was not confirmed before its deadline; rolling back now");
        context.loop.defer(
            [this] { rollbackPending("not confirmed in time (the deadline passed while the agent was down)"); });
    } else {
        logInfo("firewall: change " + info->id + " is still pending; rollback at " + std::to_string(info->deadline));
        arm(info->deadline);
    }
}

void FirewallModule::show(const CallContext&, proto::Empty, TypedResponder<fw::Ruleset> r)
{
    auto shared = std::make_shared<TypedResponder<fw::Ruleset>>(std::move(r));
    m_context->loop.offload(
        []() -> Expected<Shown> {
            auto snap = nft::readSnapshot(true);
            if (!snap) {
                return Unexpected<Failure>{snap.error()};
            }
            // Encoded once, here, with the declared type's to_json; moved, never copied, after.
            return Shown{snap->ruleset.hash, std::move(snap->listing), Json(snap->ruleset)};
        },
        [this, shared](Expected<Shown> shown) {
            if (!shown) {
                shared->error(rpc::Unavailable, shown.error().message);
                return;
            }
            remember(shown->hash, shown->listing);
            shared->raw().result(std::move(shown->ruleset));
            shown->ruleset = Json();
            shown->listing = std::string();
            ::malloc_trim(0); // a large ruleset's documents are gone: give the memory back
        });
}

void FirewallModule::check(const CallContext& caller, fw::CheckParams p, TypedResponder<fw::CheckResult> r)
{
    // The check is open to readers for the changes HaDeck builds from checked names and one-line
    // rules; raw text is nft's whole language run as root (even dry, nft parses and resolves it),
    // so only those who may apply it may check it.
    if (fw::hasRawText(p.changes) && caller.level < proto::PermissionLevel::Admin) {
        r.error(rpc::PermissionDenied, "raw nft text can be checked only by an admin (as it can be applied); "
                                       "rule, policy and set changes can be checked by anyone");
        return;
    }
    auto script = fw::toNftScript(p.changes);
    if (!script) {
        r.error(rpc::InvalidParams, script.error().message);
        return;
    }
    auto shared = std::make_shared<TypedResponder<fw::CheckResult>>(std::move(r));
    m_context->loop.offload(
        [base = p.changes.baseHash, old = listingFor(p.changes.baseHash), s = *script]() -> Expected<Outcome> {
            auto snap = nft::readSnapshot(false);
            if (!snap) {
                return failed(rpc::Unavailable, snap.error().message);
            }
            if (snap->ruleset.hash != base) {
                Json d = staleData(base, *snap, old);
                return failed(rpc::PreconditionFailed, staleMessage(d), d);
            }
            const auto run = nft::run(s, {.dryRun = true});
            fw::CheckResult res;
            res.ok = run.ok;
            res.script = s;
            res.error = run.ok ? std::string() : run.error;
            if (run.ok) {
                auto after = nft::preview(snap->restorable, s);
                if (after) {
                    res.diff = nft::listingDiff(snap->listing, after->listing);
                    res.after = std::move(after->ruleset);
                } else {
                    res.previewError = after.error().message;
                }
            }
            return Outcome{0, {}, nullptr, Json(res)};
        },
        [shared](Expected<Outcome> done) {
            Outcome o = outcomeOf(std::move(done));
            if (o.code != 0) {
                shared->error(o.code, o.message, o.data);
                return;
            }
            auto res = proto::fromJson<fw::CheckResult>(o.value);
            if (!res) {
                shared->error(rpc::InternalError, res.error().message);
                return;
            }
            shared->result(*res);
        });
}

void FirewallModule::pending(const CallContext&, proto::Empty, TypedResponder<fw::Pending> r)
{
    r.result(m_pending ? m_pending->info : fw::Pending{});
}

void FirewallModule::apply(const CallContext& caller, fw::ApplyParams p, TypedResponder<fw::ApplyResult> r)
{
    if (m_pending) {
        r.error(rpc::PreconditionFailed,
                "change " + m_pending->info.id + " by " + m_pending->info.user +
                    " is waiting for confirmation; confirm or roll it back first",
                Json{{"check", "pending"}, {"pending", m_pending->info}});
        return;
    }
    if (m_busy) {
        r.error(rpc::PreconditionFailed, "another firewall change is being carried out; try again");
        return;
    }
    auto script = fw::toNftScript(p.changes);
    if (!script) {
        r.error(rpc::InvalidParams, script.error().message);
        return;
    }
    m_busy = true;
    auto shared = std::make_shared<TypedResponder<fw::ApplyResult>>(std::move(r));
    const int clientId = caller.clientId;
    m_context->loop
        .offload(
            [base = p.changes.baseHash, old = listingFor(p.changes.baseHash), s = *script, dir = dir(),
             user = caller.user, within = p.confirmWithin, forced = p.force]() -> Expected<Outcome> {
                auto before = nft::readSnapshot(false);
                if (!before) {
                    return failed(rpc::Unavailable, before.error().message);
                }
                if (before->ruleset.hash != base) {
                    Json d = staleData(base, *before, old);
                    return failed(rpc::PreconditionFailed, staleMessage(d), d);
                }
                fw::Pending info;
                info.pending = true;
                info.id = newId();
                info.user = user;
                info.appliedAt = nowMs() / 1000;
                info.confirmWithin = within;
                // Rounded up: the rollback comes between confirmWithin and confirmWithin + 1 s.
                info.deadline = (nowMs() + 999) / 1000 + within;
                info.hashBefore = before->ruleset.hash;
                info.forced = forced;
                const auto saved = dir / ("saved-" + info.id + ".nft");
                // The way back first, then the record that says to take it, then the change.
                if (auto st = writeAtomic(saved, before->restorable); !st) {
                    return failed(rpc::ActionFailed, "cannot save the running ruleset: " + st.error().message);
                }
                const auto record = dir / kPendingFile;
                if (auto st = writeAtomic(record, pendingRecord(info, saved.string()).dump(2)); !st) {
                    std::filesystem::remove(saved);
                    return failed(rpc::ActionFailed, "cannot record the pending rollback: " + st.error().message);
                }
                const auto run = nft::run(s);
                if (!run.ok) {
                    std::error_code ec;
                    std::filesystem::remove(record, ec);
                    std::filesystem::remove(saved, ec);
                    return failed(rpc::ActionFailed, "nft refused the change set, nothing changed: " + run.error,
                                  Json{{"nftError", run.error}, {"script", s}});
                }
                auto after = nft::readSnapshot(false);
                if (after) {
                    info.hashAfter = after->ruleset.hash;
                    info.diff = nft::listingDiff(before->listing, after->listing);
                    (void)writeAtomic(record, pendingRecord(info, saved.string()).dump(2));
                }
                return Outcome{0,
                               {},
                               Json{{"savedPath", saved.string()}, {"listing", after ? after->listing : std::string()}},
                               Json(info)};
            },
            [this, shared, clientId](Expected<Outcome> done) {
                m_busy = false;
                Outcome o = outcomeOf(std::move(done));
                if (o.code != 0) {
                    shared->error(o.code, o.message, o.data);
                    return;
                }
                auto info = proto::fromJson<fw::Pending>(o.value);
                if (!info) {
                    shared->error(rpc::InternalError, info.error().message);
                    return;
                }
                m_pending = PendingState{*info, clientId, o.data["savedPath"].get<std::string>()};
                m_lastHash = info->hashAfter; // the topic's version now, sampled or not
                remember(info->hashAfter, o.data["listing"].get<std::string>());
                arm(info->deadline);
                m_context->publisher.event(Json(fw::AppliedEvent{m_context->config.nodeName, *info}));
                logInfo("firewall: change " + info->id + " applied by " + info->user + ", rolled back at " +
                        std::to_string(info->deadline) + " unless confirmed");
                shared->result(fw::ApplyResult{*info});
            });
}

void FirewallModule::confirm(const CallContext& caller, fw::ConfirmParams p, TypedResponder<fw::ConfirmResult> r)
{
    if (!m_pending) {
        r.error(rpc::PreconditionFailed, "no firewall change is waiting for confirmation (rolled back already?)");
        return;
    }
    if (p.id != m_pending->info.id) {
        r.error(rpc::PreconditionFailed, "change " + p.id + " is not the pending one (" + m_pending->info.id + ")");
        return;
    }
    if (caller.clientId == m_pending->applyClientId) {
        r.error(rpc::PreconditionFailed,
                "confirm over a new connection: this connection applied the change, and only a fresh one "
                "proves the new rules still let you in",
                Json{{"check", "sameConnection"}});
        return;
    }
    if (m_busy) {
        r.error(rpc::PreconditionFailed, "the change is being rolled back");
        return;
    }
    // Confirmed from here on: no timer can roll it back any more.
    m_timer.reset();
    const PendingState pending = *m_pending;
    m_pending.reset();
    m_busy = true;
    auto shared = std::make_shared<TypedResponder<fw::ConfirmResult>>(std::move(r));
    m_context->loop
        .offload(
            [pending, dir = dir(), target = persistPath()]() -> Expected<Outcome> {
                std::error_code ec;
                std::filesystem::remove(dir / kPendingFile, ec);
                std::filesystem::remove(pending.savedPath, ec);
                fw::ConfirmResult res;
                res.id = pending.info.id;
                auto snap = nft::readSnapshot(false);
                if (!snap) {
                    return failed(rpc::ActionFailed,
                                  "confirmed, but cannot read the ruleset to persist it: " + snap.error().message);
                }
                res.hash = snap->ruleset.hash;
                const std::string text = "#!/usr/sbin/nft -f\n# Written by hadeck-agent on confirming change " +
                                         pending.info.id + "\nflush ruleset\n\n" + snap->restorable;
                if (std::filesystem::exists(target, ec)) {
                    const auto backup = target.string() + ".bak";
                    auto previous = files::readFile(target);
                    if (!previous) {
                        return failed(rpc::ActionFailed, "confirmed, but cannot keep the previous file as a backup: " +
                                                             previous.error().message);
                    }
                    // The backup is as private as the file it keeps (a 0600 nftables.conf stays 0600).
                    const auto perms = std::filesystem::status(target, ec).permissions();
                    const mode_t mode = ec ? 0600 : static_cast<mode_t>(perms) & 0777;
                    if (auto st = writeAtomic(backup, *previous, mode); !st) {
                        return failed(rpc::ActionFailed, "confirmed, but " + st.error().message);
                    }
                    res.backup = backup;
                }
                std::filesystem::create_directories(target.parent_path(), ec);
                if (auto st = writeAtomic(target, text, 0644); !st) {
                    return failed(rpc::ActionFailed, "confirmed, but " + st.error().message);
                }
                res.persistedTo = target.string();
                return Outcome{0, {}, nullptr, Json(res)};
            },
            [this, shared, pending](Expected<Outcome> done) {
                m_busy = false;
                Outcome o = outcomeOf(std::move(done));
                m_context->publisher.event(
                    Json(fw::ConfirmedEvent{m_context->config.nodeName, pending.info.id, o.code == 0}));
                if (o.code != 0) {
                    shared->error(o.code, o.message, o.data);
                    return;
                }
                auto res = proto::fromJson<fw::ConfirmResult>(o.value);
                if (!res) {
                    shared->error(rpc::InternalError, res.error().message);
                    return;
                }
                if (!res->hash.empty()) {
                    m_lastHash = res->hash;
                }
                shared->result(*res);
            });
}

void FirewallModule::rollback(const CallContext& caller, fw::RollbackParams p, TypedResponder<fw::RollbackResult> r)
{
    if (m_busy) {
        r.error(rpc::PreconditionFailed, "another firewall change is being carried out; try again");
        return;
    }
    if (m_pending && (p.id.empty() || p.id == m_pending->info.id)) {
        m_pendingResponder = std::make_shared<TypedResponder<fw::RollbackResult>>(std::move(r));
        rollbackPending("rolled back by " + caller.user);
        return;
    }
    if (!p.id.empty()) {
        r.error(rpc::PreconditionFailed, "change " + p.id + " is not pending");
        return;
    }
    // Nothing pending: back to the last confirmed ruleset, the persisted file.
    m_busy = true;
    auto shared = std::make_shared<TypedResponder<fw::RollbackResult>>(std::move(r));
    m_context->loop.offload(
        [target = persistPath()]() -> Expected<Outcome> {
            auto text = files::readFile(target);
            if (!text) {
                return failed(rpc::PreconditionFailed, "no confirmed ruleset to go back to: " + text.error().message);
            }
            auto before = nft::readSnapshot(false);
            const auto run = nft::run(*text);
            if (!run.ok) {
                return failed(rpc::ActionFailed, "nft refused " + target.string() + ": " + run.error);
            }
            auto after = nft::readSnapshot(false);
            fw::RollbackResult res;
            res.restoredFrom = target.string();
            if (after) {
                res.hash = after->ruleset.hash;
                if (before) {
                    res.diff = nft::listingDiff(before->listing, after->listing);
                }
            }
            return Outcome{0, {}, nullptr, Json(res)};
        },
        [this, shared](Expected<Outcome> done) {
            m_busy = false;
            Outcome o = outcomeOf(std::move(done));
            if (o.code != 0) {
                shared->error(o.code, o.message, o.data);
                return;
            }
            auto res = proto::fromJson<fw::RollbackResult>(o.value);
            if (!res) {
                shared->error(rpc::InternalError, res.error().message);
                return;
            }
            shared->result(*res);
        });
}

void FirewallModule::arm(std::int64_t deadline)
{
    const std::int64_t wait = std::max<std::int64_t>(0, deadline * 1000 - nowMs());
    auto t = m_context->loop.addTimer(std::chrono::milliseconds(wait), false,
                                      [this] { rollbackPending("not confirmed in time"); });
    if (!t) {
        logError("firewall: cannot arm the rollback timer: " + t.error().message + "; rolling back now");
        m_context->loop.defer([this] { rollbackPending("the rollback timer could not be armed"); });
        return;
    }
    m_timer = std::move(*t);
}

void FirewallModule::rollbackPending(const std::string& reason)
{
    if (!m_pending) {
        return;
    }
    m_timer.reset();
    if (m_busy) {
        // Another step is still running (a show or sample does not set busy): come back shortly.
        if (auto t = m_context->loop.addTimer(kBusyRetry, false, [this, reason] { rollbackPending(reason); })) {
            m_timer = std::move(*t);
        }
        return;
    }
    m_busy = true;
    const PendingState pending = *m_pending;
    auto responder = std::move(m_pendingResponder);
    m_pendingResponder.reset();
    // The rollback stands in for the admin who did not confirm: it runs beside admins' work,
    // never behind viewers' reads (nor behind the agent's own samples).
    const agent::OffloadLaneScope lane(agent::OffloadLane::Change);
    m_context->loop.offload(
        [pending, dir = dir()]() -> Expected<Outcome> {
            auto saved = files::readFile(pending.savedPath);
            if (!saved) {
                return failed(rpc::ActionFailed, "cannot read the saved ruleset: " + saved.error().message);
            }
            auto before = nft::readSnapshot(false);
            const auto run = restore(*saved);
            if (!run.ok) {
                return failed(rpc::ActionFailed, "nft refused the saved ruleset: " + run.error);
            }
            std::error_code ec;
            std::filesystem::remove(dir / kPendingFile, ec);
            std::filesystem::remove(pending.savedPath, ec);
            fw::RollbackResult res;
            res.restoredFrom = "saved ruleset of " + pending.info.id;
            auto after = nft::readSnapshot(false);
            if (after) {
                res.hash = after->ruleset.hash;
                if (before) {
                    res.diff = nft::listingDiff(before->listing, after->listing);
                }
            }
            return Outcome{0, {}, nullptr, Json(res)};
        },
        [this, pending, reason, responder](Expected<Outcome> done) {
            m_busy = false;
            Outcome o = outcomeOf(std::move(done));
            const std::string node = m_context->config.nodeName;
            if (o.code != 0) {
                logError("firewall: rollback of " + pending.info.id + " failed: " + o.message + "; retrying");
                m_context->publisher.event(Json(fw::RolledBack{node, pending.info.id, false, reason, o.message, {}, {}}));
                (void)m_context->audit.append("hadeck-agent", "firewall.rollback",
                                              Json{{"id", pending.info.id}, {"reason", reason}},
                                              Json{{"ok", false}, {"error", o.message}});
                if (responder) {
                    responder->error(o.code, o.message);
                }
                if (auto t = m_context->loop.addTimer(kRestoreRetry, false, [this, reason] { rollbackPending(reason); })) {
                    m_timer = std::move(*t);
                }
                return;
            }
            m_pending.reset();
            auto res = proto::fromJson<fw::RollbackResult>(o.value);
            const fw::RollbackResult value = res ? *res : fw::RollbackResult{};
            // The topic's hash is what a reconnecting console compares with the change: never
            // leave it at the rolled-back ruleset's (the sampler may not have run since, when
            // the change cut its watchers off). Unknown is better than that.
            m_lastHash = value.hash;
            logWarning("firewall: change " + pending.info.id + " rolled back: " + reason);
            m_context->publisher.event(Json(fw::RolledBack{node, pending.info.id, true, reason, {}, value.hash, value.diff}));
            if (!responder) {
                // The dispatcher audits the admin's own rollback; the timer's is audited here.
                (void)m_context->audit.append("hadeck-agent", "firewall.rollback",
                                              Json{{"id", pending.info.id}, {"reason", reason}},
                                              Json{{"ok", true}, {"hash", value.hash}, {"diff", value.diff}});
            } else {
                responder->result(value);
            }
        });
}

void FirewallModule::sample()
{
    if (m_sampling || m_context->publisher.subscriberCount(fw::kTopic) == 0) {
        return;
    }
    m_sampling = true;
    // The worker builds the whole topic payload (the ruleset when its hash moved, else
    // the counters); the loop thread only publishes it.
    auto delta = std::make_shared<std::optional<fw::TopicDelta>>();
    m_context->loop.offload(
        [last = m_lastHash, delta]() -> Status {
            auto snap = nft::readSnapshot(false);
            if (!snap) {
                return Unexpected<Failure>{snap.error()};
            }
            fw::TopicDelta d;
            d.hash = snap->ruleset.hash;
            if (d.hash != last) {
                nft::addHostFacts(snap->ruleset); // published whole: the same facts as firewall.show
                d.ruleset = std::move(snap->ruleset);
            } else {
                for (const auto& r : snap->ruleset.rules) {
                    if (r.counter) {
                        d.counters.push_back(fw::CounterSample{r.family, r.table, r.chain, r.handle, *r.counter});
                    }
                }
            }
            *delta = std::move(d);
            return {};
        },
        [this, delta](const Status&) {
            m_sampling = false;
            if (!*delta) {
                return;
            }
            if ((*delta)->ruleset) {
                m_lastHash = (*delta)->hash;
            }
            m_context->publisher.publish(fw::kTopic, Json(**delta));
        });
}

} // namespace hadeck::agent
