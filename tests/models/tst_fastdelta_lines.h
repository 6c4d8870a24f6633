#pragma once

// Hand-written state.delta lines for tst_fastdelta (kept apart: moc does not read raw strings).

namespace fastdelta_lines {

inline constexpr const char* kLine0 =
    R"({"jsonrpc":"2.0","method":"state.delta","params":{"topic":"ipvs","snapshot":true,"services":[{"protocol":"tcp","address":"198.18.0.100","port":80,"scheduler":"w\u006cc \"x\"","realServers":[{"address":"198.18.1.\u0031\u0031","port":80,"weight":1}]}]}})";
inline constexpr const char* kLine1 =
    R"({"jsonrpc":"2.0","method":"state.delta","params":{"topic":"ipvs","snapshot":true,"services":[{"protocol":"tcp","address":"198.18.0.100","port":80,"realServers":[{"address":"a","port":80,"weight":1,"weight":2}],"realServers":[{"address":"b","port":81,"weight":3}]}]}})";
inline constexpr const char* kLine2 =
    R"({"params":{"services":[],"snapshot":true,"topic":"ipvs"},"method":"state.delta","jsonrpc":"2.0"})";
inline constexpr const char* kLine3 =
    R"({"jsonrpc":"2.0","method":"state.delta","params":{"topic":"ipvs","snapshot":true,"services":[{"protocol":"tcp","address":"a","port":80,"realServers":[{"address":"b","port":80,"weight":1.0}]}]}})";
inline constexpr const char* kLine4 =
    R"({"jsonrpc":"2.0","method":"state.delta","params":{"topic":"ipvs","snapshot":true,"services":[{"protocol":"tcp","address":"a","port":80,"realServers":[{"address":"b","port":80,"stats":{"conns":18446744073709551616}}]}]}})";
inline constexpr const char* kLine5 =
    R"({"jsonrpc":"2.0","id":1,"method":"state.delta","params":{"topic":"ipvs","services":[]}})";
inline constexpr const char* kLine6 =
    R"({"jsonrpc":"1.0","method":"state.delta","params":{"topic":"ipvs","services":[]}})";
inline constexpr const char* kLine7 = R"({"jsonrpc":"2.0","method":"state.delta","params":[1]})";
inline constexpr const char* kLine8 = R"({"jsonrpc":"2.0","method":"state.delta","params":{"topic":1}})";
inline constexpr const char* kLine9 =
    R"({"jsonrpc":"2.0","method":"state.delta","params":{"topic":"ipvs","services":[]}} x)";
inline constexpr const char* kLine10 =
    R"({"jsonrpc":"2.0","method":"state.delta","params":{"topic":"ipvs","services":[)";
inline constexpr const char* kLine11 =
    R"({"jsonrpc":"2.0","method":"state.delta","params":{"topic":"ipvs","backend":"\ud800","services":[]}})";
inline constexpr const char* kLine12 =
    R"({"jsonrpc":"2.0","method":"state.delta","params":{"topic":"ipvs","services":[],"x":)";
inline constexpr const char* kLine13 =
    R"({"jsonrpc":"2.0","method":"state.delta","params":{"topic":"ipvs","services":[],"x":)";

} // namespace fastdelta_lines
