// mg-audit-traffic: writes the generated audit traffic (traffic_generator.hpp) to stdout, for the
// demo, the CLI tests and anyone who wants a log to try minerguard audit-log on. Attack chains
// carry only look-alike indicators; nothing in them runs or connects anywhere.
//   mg-audit-traffic [--seed N] [--benign N] [--chains N] [--hours N] [--shape plain|aks|eks|gke]
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "traffic_generator.hpp"

int main(int argc, char** argv) {
  mg::audit::testing::TrafficOptions options;
  std::string shape = "plain";
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (i + 1 >= argc) {
      std::fprintf(stderr, "mg-audit-traffic: %s needs a value\n", argv[i]);
      return 2;
    }
    const char* value = argv[++i];
    if (arg == "--seed") options.seed = std::strtoull(value, nullptr, 10);
    else if (arg == "--benign") options.benign_events = std::atoi(value);
    else if (arg == "--chains") options.chains = std::atoi(value);
    else if (arg == "--hours") options.hours = std::atoi(value);
    else if (arg == "--shape") shape = value;
    else {
      std::fprintf(stderr, "usage: mg-audit-traffic [--seed N] [--benign N] [--chains N] [--hours N] [--shape plain|aks|eks|gke]\n");
      return 2;
    }
  }
  const auto events = mg::audit::testing::generate_traffic(options);
  std::string text;
  if (shape == "plain") text = mg::audit::testing::to_json_lines(events);
  else if (shape == "aks") text = mg::audit::testing::wrap_aks(events);
  else if (shape == "eks") text = mg::audit::testing::wrap_eks(events);
  else if (shape == "gke") text = mg::audit::testing::wrap_gke(events);
  else {
    std::fprintf(stderr, "mg-audit-traffic: unknown shape %s\n", shape.c_str());
    return 2;
  }
  return std::fwrite(text.data(), 1, text.size(), stdout) == text.size() ? 0 : 1;
}
