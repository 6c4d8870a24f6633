#pragma once

// The agent's short history: for every numeric series, a ring of 1 h at 1 s and
// a ring of 24 h at 1 min (the minute's mean). Memory is fixed: each series costs
// (3600 + 1440) slots of 8 bytes, allocated when the series first appears, and at
// most kMaxSeries series are kept (further series are refused and counted), so the
// bound is kMaxSeries * 40320 B = 5.2 MB. Pure and single-threaded: the modules
// record on the loop thread. Long-term history belongs in Prometheus.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace hadeck::probes {

class HistoryStore {
public:
    static constexpr std::size_t kFineSlots = 3600;  // 1 h at 1 s
    static constexpr std::size_t kCoarseSlots = 1440; // 24 h at 1 min
    static constexpr std::size_t kMaxSeries = 128;
    static constexpr std::size_t kBytesPerSeries = (kFineSlots + kCoarseSlots) * 8;

    struct Points {
        std::uint32_t step = 1;
        std::vector<std::int64_t> times;
        std::vector<double> values;
    };

    /// Records @p value at unix time @p t (seconds). Samples of the same second
    /// replace each other; time going backwards is ignored. @return false when the
    /// series is new and the store is full.
    bool record(std::string_view series, std::int64_t t, double value);

    /// Points of @p series at or after @p since, oldest first. @p step 1..59 reads
    /// the 1 s ring (thinned to every step-th second), >= 60 the 1 min ring.
    [[nodiscard]] Points query(std::string_view series, std::int64_t since, std::uint32_t step) const;

    [[nodiscard]] std::vector<std::string> series() const;
    [[nodiscard]] std::size_t refused() const { return m_refused; }

private:
    struct Slot {
        std::uint32_t time = 0; // unix seconds (or minutes for the coarse ring); 0: empty
        float value = 0;
    };
    struct Series {
        std::unique_ptr<Slot[]> fine{new Slot[kFineSlots]};
        std::unique_ptr<Slot[]> coarse{new Slot[kCoarseSlots]};
        std::int64_t last = 0;
        std::int64_t minute = 0; // the minute being averaged
        double sum = 0;
        std::uint32_t count = 0;
    };
    static void flushMinute(Series& s);

    std::map<std::string, Series, std::less<>> m_series;
    std::size_t m_refused = 0;
};

} // namespace hadeck::probes
