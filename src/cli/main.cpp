// minerguard: finds and stops crypto-miners hijacking Kubernetes ML clusters.
#include "cli/app.hpp"

int main(int argc, char** argv) { return mg::cli::run(argc, argv); }
