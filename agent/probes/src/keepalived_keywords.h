#pragma once

// keepalived 2.2.7's keyword tree: which keywords each block knows.

#include <string_view>

namespace hadeck::probes::kconf {

struct KeywordContext;

/// The top level of keepalived.conf.
const KeywordContext* rootContext();
/// True when keepalived knows @p keyword in @p ctx; a null context (a block keepalived reads as raw lines) knows all.
bool knows(const KeywordContext* ctx, std::string_view keyword);
/// The context of the block opened by a known @p keyword; null for a block read as raw lines.
const KeywordContext* subContext(const KeywordContext* ctx, std::string_view keyword);

} // namespace hadeck::probes::kconf
