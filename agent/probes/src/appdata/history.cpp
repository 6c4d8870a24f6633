#include "hadeck/probes/appdata/history.h"

#include <algorithm>

namespace hadeck::probes {

void HistoryStore::flushMinute(Series& s)
{
    if (s.count > 0) {
        Slot& slot = s.coarse[static_cast<std::size_t>(s.minute) % kCoarseSlots];
        slot.time = static_cast<std::uint32_t>(s.minute);
        slot.value = static_cast<float>(s.sum / s.count);
    }
    s.sum = 0;
    s.count = 0;
}

bool HistoryStore::record(std::string_view name, std::int64_t t, double value)
{
    if (t <= 0 || t > 0xFFFFFFFFLL) {
        return false;
    }
    auto it = m_series.find(name);
    if (it == m_series.end()) {
        if (m_series.size() >= kMaxSeries) {
            ++m_refused;
            return false;
        }
        it = m_series.emplace(std::string(name), Series{}).first;
    }
    Series& s = it->second;
    if (t < s.last) {
        return true; // the clock went back: keep what is there
    }
    s.last = t;
    Slot& slot = s.fine[static_cast<std::size_t>(t) % kFineSlots];
    slot.time = static_cast<std::uint32_t>(t);
    slot.value = static_cast<float>(value);
    const std::int64_t minute = t / 60;
    if (minute != s.minute) {
        flushMinute(s);
        s.minute = minute;
    }
    s.sum += value;
    ++s.count;
    return true;
}

HistoryStore::Points HistoryStore::query(std::string_view name, std::int64_t since, std::uint32_t step) const
{
    Points p;
    p.step = std::max<std::uint32_t>(step, 1);
    const auto it = m_series.find(name);
    if (it == m_series.end()) {
        return p;
    }
    const Series& s = it->second;
    if (p.step < 60) {
        const std::int64_t from = std::max<std::int64_t>(since, s.last - static_cast<std::int64_t>(kFineSlots) + 1);
        for (std::int64_t t = from; t <= s.last; ++t) {
            const Slot& slot = s.fine[static_cast<std::size_t>(t) % kFineSlots];
            if (slot.time == static_cast<std::uint32_t>(t) && (t % p.step) == 0) {
                p.times.push_back(t);
                p.values.push_back(slot.value);
            }
        }
        return p;
    }
    p.step = (p.step / 60) * 60;
    const std::uint32_t everyMinutes = p.step / 60;
    const std::int64_t lastMinute = s.last / 60;
    const std::int64_t from =
        std::max<std::int64_t>(since / 60, lastMinute - static_cast<std::int64_t>(kCoarseSlots) + 1);
    for (std::int64_t m = from; m <= lastMinute; ++m) {
        double v = 0;
        if (m == s.minute && s.count > 0) {
            v = s.sum / s.count; // the minute in progress
        } else {
            const Slot& slot = s.coarse[static_cast<std::size_t>(m) % kCoarseSlots];
            if (slot.time != static_cast<std::uint32_t>(m)) {
                continue;
            }
            v = slot.value;
        }
        if (m % everyMinutes == 0) {
            p.times.push_back(m * 60);
            p.values.push_back(v);
        }
    }
    return p;
}

std::vector<std::string> HistoryStore::series() const
{
    std::vector<std::string> out;
    out.reserve(m_series.size());
    for (const auto& [k, v] : m_series) {
        out.push_back(k);
    }
    return out;
}

} // namespace hadeck::probes
