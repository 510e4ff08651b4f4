#include "cli/app.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>

#include "cli/audit_command.hpp"
#include "cli/audit_log_command.hpp"
#include "cli/scan_command.hpp"

namespace mg::cli {

int run(int argc, char** argv) {
  CLI::App app{"minerguard " MG_VERSION ": finds and stops crypto-miners hijacking Kubernetes ML clusters"};
  app.set_version_flag("--version", "minerguard " MG_VERSION);
  app.require_subcommand(1);
  int exit_code = kExitClean;
  add_scan_command(app, exit_code);
  add_audit_command(app, exit_code);
  add_audit_log_command(app, exit_code);
  add_rules_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForAllHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForVersion& version) {
    return app.exit(version);
  } catch (const CLI::ParseError& error) {
    std::fprintf(stderr, "minerguard: error: %s (see --help)\n", error.what());
    return kExitBadInput;
  }
  return exit_code;
}

}  // namespace mg::cli
