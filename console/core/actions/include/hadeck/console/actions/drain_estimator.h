#pragma once

#include <cstddef>
#include <deque>
#include <optional>

namespace hadeck::console {

/// Estimates when a drain finishes from how fast its remaining connections
/// decay. Web connections end roughly independently of one another, so the
/// count decays exponentially; the rate comes from a least-squares fit of
/// ln(remaining) over a sliding window. A plateau (clients on keep-alive that
/// never leave) gives no estimate rather than a wrong one.
class DrainEstimator {
public:
    explicit DrainEstimator(std::size_t window = 30) : m_window(window) {}

    /// @param t seconds since any fixed origin, increasing.
    /// @param remaining connections still open on the real server.
    void addSample(double t, double remaining);
    void reset() { m_samples.clear(); }

    /// Decay rate per second (> 0 while draining), if there are enough samples.
    [[nodiscard]] std::optional<double> decayRate() const;
    /// Seconds from the last sample until fewer than one connection is left.
    [[nodiscard]] std::optional<double> etaSeconds() const;
    [[nodiscard]] std::optional<double> lastRemaining() const;

private:
    struct Sample {
        double t;
        double remaining;
    };
    std::deque<Sample> m_samples;
    std::size_t m_window;
};

/// The persistence templates IPVS keeps for a drained real server of a persistent service.
/// A template lives for the service's persistence timeout after the last connection it
/// governs ends, so once no connection is left, every template is gone at most one timeout
/// after the last connection was seen. (A returning client refreshes its template unless
/// net.ipv4.vs.expire_quiescent_template=1; the clock restarts when connections reappear.)
class PersistenceClock {
public:
    /// @param t seconds since any fixed origin, increasing.
    /// @param connections connections still open on the real server (templates excluded).
    /// @param templates persistence templates left for it.
    /// @param timeoutSec the longest persistence timeout of the services it is drained from; 0 if none.
    void addSample(double t, double connections, double templates, double timeoutSec);
    void reset() { *this = PersistenceClock(); }

    [[nodiscard]] double templatesLeft() const { return m_templates; }
    [[nodiscard]] double timeoutSeconds() const { return m_timeout; }
    /// Seconds from the last sample until the last template is gone: 0 with none left, unknown while
    /// connections remain (each one restarts its template's timeout) or without a timeout.
    [[nodiscard]] std::optional<double> expiresInSeconds() const;
    /// The drain's ETA: the later of the connections' (@p connectionsEta) and the templates' expiry.
    [[nodiscard]] std::optional<double> combinedEta(std::optional<double> connectionsEta) const;

private:
    bool m_seen = false;
    double m_lastT = 0;
    double m_lastConnectionT = 0; // the last sample with a connection, or the first sample
    double m_connections = 0;
    double m_templates = 0;
    double m_timeout = 0;
};

} // namespace hadeck::console
