#pragma once
// One entry of the indicator catalog (data/indicators/*.yaml), as reviewed data.
#include <string>
#include <vector>

namespace mg::indicators {

enum class Kind {
  string,    // a literal byte string (program strings, option names, protocol words)
  regex,     // a Hyperscan regular expression over bytes
  hostname,  // a pool domain: matches the name and any subdomain of it
  port,      // a TCP port pools listen on; never evidence alone (used by the runtime engine)
  wallet,    // a wallet address shape; Monero ones must pass their Keccak checksum
  command,   // a regex over command lines and scripts (download-and-run, miner flags)
  image,     // a container image reference pattern (repository, optionally tag)
};

std::string_view to_string(Kind kind);

struct Indicator {
  std::string id;            // stable, dotted: "xmrig.donate-level"
  Kind kind = Kind::string;
  std::string pattern;       // literal for string/hostname, regex for regex/command/wallet/image
  int weight = 1;            // contribution to a score; strongest per group counts (see scoring.hpp)
  std::string group;         // evidence family: "xmrig", "pool", "stratum", "wallet", "randomx", …
  bool caseless = false;     // match ignoring ASCII case
  std::string coin;          // for wallet: "monero" (checksum-validated) or another coin
  std::string why;           // why this is evidence of mining
  std::string source;        // where the fact comes from (project, file, URL)
  std::string file;          // catalog file it was loaded from, for messages
  int line = 0;              // line in that file
};

}  // namespace mg::indicators
