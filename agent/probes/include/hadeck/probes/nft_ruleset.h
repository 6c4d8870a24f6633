#pragma once

// nftables as the agent reads it: pure parsers of libnftables' JSON listing
// (`nft -j list ruleset`, schema in libnftables-json(5)) and text listing
// (`nft -a list ruleset`), the ruleset hash, listing diffs, and iptables-legacy
// detection from iptables-save. No I/O here; the fuzz target feeds them anything.

#include "hadeck/protocol/expected.h"
#include "hadeck/protocol/firewall.h"

#include <string>
#include <string_view>
#include <vector>

namespace hadeck::probes::nft {

/**
 * Parses a JSON listing into the model. @p listing, the text listing with handles
 * of the same ruleset, gives each rule its one-line text (counter values and the
 * handle comment taken out); without it, or for a rule missing from it, the text
 * stays empty. Fills in the hash. Objects of kinds it does not model (flowtables,
 * quotas...) are skipped; a document that is not an nftables listing is an error.
 */
Expected<proto::fw::Ruleset> parseRuleset(std::string_view json, std::string_view listing = {});

/// SHA-256 (hex) over the model without counters: tables, chains, rules (handle,
/// statements, comment) and sets with their elements, in listing order.
std::string rulesetHash(const proto::fw::Ruleset& ruleset);

/// The text listing with counter values ("counter packets 3 bytes 180" -> "counter")
/// and "# handle N" comments taken out: what a diff should compare.
std::string normalizeListing(std::string_view listing);

/// Lines of @p after not in @p before as "+ line", lines of @p before not in
/// @p after as "- line" (each line counted, so duplicates are kept), in order;
/// block context ("table ...", "chain ...") is prefixed to a changed line.
std::vector<std::string> listingDiff(std::string_view before, std::string_view after);

/// A readable text of one set element or expression value as libnftables prints it in JSON.
std::string valueText(const proto::fw::Json& value);

/// True when iptables-save output holds rules or a non-ACCEPT policy (the node
/// uses iptables-legacy, which nft cannot see).
bool legacyInUse(std::string_view iptablesSave);

/// The interface of the IPv4 default route in a /proc/net/route table (the first with
/// destination and mask 0 and the route up); empty when there is none.
std::string defaultRouteInterface(std::string_view procNetRoute);

} // namespace hadeck::probes::nft
