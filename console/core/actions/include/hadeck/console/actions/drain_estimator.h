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

} // namespace hadeck::console
