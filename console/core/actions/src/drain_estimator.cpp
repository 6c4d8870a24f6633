#include "hadeck/console/actions/drain_estimator.h"

#include <algorithm>
#include <cmath>

namespace hadeck::console {

void DrainEstimator::addSample(double t, double remaining)
{
    if (!m_samples.empty() && t <= m_samples.back().t) {
        return; // out of order or duplicate: the fit needs increasing time
    }
    m_samples.push_back({t, remaining < 0 ? 0 : remaining});
    while (m_samples.size() > m_window) {
        m_samples.pop_front();
    }
}

std::optional<double> DrainEstimator::lastRemaining() const
{
    if (m_samples.empty()) {
        return std::nullopt;
    }
    return m_samples.back().remaining;
}

std::optional<double> DrainEstimator::decayRate() const
{
    // ln(0) is undefined; shift by one so an emptied server still fits.
    double n = 0;
    double sumT = 0;
    double sumY = 0;
    double sumTT = 0;
    double sumTY = 0;
    for (const auto& s : m_samples) {
        const double y = std::log(s.remaining + 1.0);
        n += 1;
        sumT += s.t;
        sumY += y;
        sumTT += s.t * s.t;
        sumTY += s.t * y;
    }
    if (n < 3) {
        return std::nullopt;
    }
    const double denom = n * sumTT - sumT * sumT;
    if (std::abs(denom) < 1e-12) {
        return std::nullopt;
    }
    const double slope = (n * sumTY - sumT * sumY) / denom;
    if (!(slope < -1e-6)) {
        return std::nullopt; // flat or growing: no honest estimate
    }
    return -slope;
}

std::optional<double> DrainEstimator::etaSeconds() const
{
    const auto last = lastRemaining();
    if (!last) {
        return std::nullopt;
    }
    if (*last <= 0) {
        return 0.0;
    }
    const auto k = decayRate();
    if (!k) {
        return std::nullopt;
    }
    // remaining+1 decays as e^{-kt}; done when it falls below 1.5 (under one connection, rounded).
    return std::max(0.0, std::log((*last + 1.0) / 1.5) / *k);
}

void PersistenceClock::addSample(double t, double connections, double templates, double timeoutSec)
{
    if (m_seen && t <= m_lastT) {
        return;
    }
    if (!m_seen || connections > 0) {
        m_lastConnectionT = t; // not seen yet: a connection may have ended just before, so count from now
    }
    m_seen = true;
    m_lastT = t;
    m_connections = std::max(0.0, connections);
    m_templates = std::max(0.0, templates);
    m_timeout = std::max(0.0, timeoutSec);
}

std::optional<double> PersistenceClock::expiresInSeconds() const
{
    if (!m_seen || m_templates <= 0) {
        return 0.0;
    }
    if (m_connections > 0 || m_timeout <= 0) {
        return std::nullopt;
    }
    return std::max(0.0, m_lastConnectionT + m_timeout - m_lastT);
}

std::optional<double> PersistenceClock::combinedEta(std::optional<double> connectionsEta) const
{
    if (m_templates <= 0) {
        return connectionsEta;
    }
    if (m_connections > 0) {
        // The templates expire one timeout after the last connection ends.
        if (!connectionsEta || m_timeout <= 0) {
            return std::nullopt;
        }
        return *connectionsEta + m_timeout;
    }
    return expiresInSeconds();
}

} // namespace hadeck::console
