/*
 * mg-test-miner: a harmless stand-in for an XMRig build, used by minerguard's tests and demo.
 *
 * It carries what a scanner sees in a real XMRig binary (banner, usage text, getopt_long option
 * table, default pool URLs, the stratum login template, algorithm names, the RandomX Argon2
 * salt) so that detection can be tested without ever touching a real miner. It does NO hashing,
 * opens NO network connection and always exits at once: it prints its banner (and the usage text
 * with --help, or every embedded string with --dump-strings so the compiler cannot drop them).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#define MG_XMRIG_VERSION "6.21.0"
#define MG_AGENT "XMRig/" MG_XMRIG_VERSION " (Linux x86_64) libuv/1.44.2 gcc/12.2.0"

static const char banner[] =
    " * ABOUT        XMRig/" MG_XMRIG_VERSION " gcc/12.2.0\n"
    " * LIBS         libuv/1.44.2 OpenSSL/3.0.11 hwloc/2.9.0\n"
    " * HUGE PAGES   supported\n"
    " * 1GB PAGES    disabled\n"
    " * CPU          Intel(R) Xeon(R) CPU (1) 64-bit AES\n"
    " * DONATE       1%\n"
    " * POOL #1      pool.supportxmr.com:3333 algo auto\n"
    " * COMMANDS     hashrate, pause, resume, results, connection\n"
    " * TEST BUILD   minerguard test miner: no hashing, no network, exits now\n";

static const char usage[] =
    "Usage: xmrig [OPTIONS]\n"
    "\n"
    "Network:\n"
    "  -o, --url=URL                 URL of mining server\n"
    "  -a, --algo=ALGO               mining algorithm https://xmrig.com/docs/algorithms\n"
    "      --coin=COIN               specify coin instead of algorithm (monero)\n"
    "  -u, --user=USERNAME           username for mining server\n"
    "  -p, --pass=PASSWORD           password for mining server\n"
    "  -O, --userpass=U:P            username:password pair for mining server\n"
    "  -x, --proxy=HOST:PORT         connect through a SOCKS5 proxy\n"
    "  -k, --keepalive               send keepalived packet for prevent timeout (needs pool support)\n"
    "      --nicehash                enable nicehash.com support\n"
    "      --rig-id=ID               rig identifier for pool-side statistics (needs pool support)\n"
    "      --tls                     enable SSL/TLS support (needs pool support)\n"
    "      --tls-fingerprint=HEX     pool TLS certificate fingerprint for strict certificate pinning\n"
    "      --daemon                  use daemon RPC instead of pool for solo mining\n"
    "  -r, --retries=N               number of times to retry before switch to backup server (default: 5)\n"
    "  -R, --retry-pause=N           time to pause between retries (default: 5)\n"
    "      --donate-level=N          donate level, default 1% (1 minute in 100 minutes)\n"
    "\n"
    "CPU backend:\n"
    "      --no-cpu                  disable CPU mining backend\n"
    "  -t, --threads=N               number of CPU threads, proper CPU affinity required for some optimizations.\n"
    "      --cpu-affinity=N          set process affinity to CPU core(s), mask 0x3 for cores 0 and 1\n"
    "  -v, --av=N                    algorithm variation, 0 auto select\n"
    "      --cpu-priority=N          set process priority (0 idle, 2 normal to 5 highest)\n"
    "      --cpu-max-threads-hint=N  maximum CPU threads count (in percentage) hint for autoconfig\n"
    "      --cpu-no-yield            prefer maximum hashrate rather than system response/stability\n"
    "      --no-huge-pages           disable huge pages support\n"
    "      --randomx-init=N          threads count to initialize RandomX dataset\n"
    "      --randomx-no-numa         disable NUMA support for RandomX\n"
    "      --randomx-mode=MODE       RandomX mode: auto, fast, light\n"
    "      --randomx-1gb-pages       use 1GB hugepages for RandomX dataset (Linux only)\n"
    "      --randomx-wrmsr=N         write custom value(s) to MSR registers or disable MSR mod (-1)\n"
    "\n"
    "Miscellaneous:\n"
    "  -c, --config=FILE             load a JSON-format configuration file\n"
    "  -B, --background              run the miner in the background\n"
    "  -S, --syslog                  use system log for output messages\n"
    "  -l, --log-file=FILE           log all output to a file\n"
    "      --print-time=N            print hashrate report every N seconds\n"
    "      --health-print-time=N     print health report every N seconds\n"
    "      --no-color                disable colored output\n"
    "      --verbose                 verbose output\n"
    "  -V, --version                 output version information and exit\n"
    "  -h, --help                    display this help and exit\n"
    "      --dry-run                 test configuration and exit\n";

/* Default pools as an XMRig build for a hijacking campaign would carry them (strings only). */
static const char *const default_pools[] = {
    "stratum+tcp://pool.supportxmr.com:3333",
    "stratum+ssl://pool.supportxmr.com:443",
    "pool.minexmr.com",
    "stratum+tcp://pool.minexmr.com:4444",
    "xmr.pool.minergate.com:45700",
    "donate.v2.xmrig.com:3333",
};

/* The first message XMRig sends after connecting (PROTOCOL.md 2.1); never sent by this program. */
static const char stratum_login[] =
    "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"login\",\"params\":{\"login\":\"%s\",\"pass\":\"%s\","
    "\"agent\":\"" MG_AGENT "\",\"algo\":[\"rx/0\",\"cn/r\"]}}";
static const char stratum_submit[] =
    "{\"id\":%d,\"jsonrpc\":\"2.0\",\"method\":\"submit\",\"params\":{\"id\":\"%s\",\"job_id\":\"%s\","
    "\"nonce\":\"%s\",\"result\":\"%s\"}}";
static const char stratum_keepalive[] =
    "{\"id\":%d,\"jsonrpc\":\"2.0\",\"method\":\"keepalived\",\"params\":{\"id\":\"%s\"}}";

static const char *const algorithms[] = {
    "rx/0",   "rx/wow",  "rx/arq",    "rx/graft",      "rx/sfx",  "rx/keva", "cn/0",
    "cn/1",   "cn/2",    "cn/r",      "cn/fast",       "cn/half", "cn/xao",  "cn/rto",
    "cn/rwz", "cn/zls",  "cn/double", "cn/ccx",        "cn-lite/1", "cn-heavy/0", "cn-pico",
    "cn-pico/tlo", "argon2/chukwa", "argon2/chukwav2", "argon2/ninja", "kawpow", "ghostrider",
};

/* RandomX's Argon2 salt ("RandomX\x03") as the reference implementation defines it. */
static const unsigned char randomx_argon_salt[] = {'R', 'a', 'n', 'd', 'o', 'm', 'X', 0x03, 0x00};

/* Config keys XMRig looks up in config.json. */
static const char *const config_keys[] = {
    "\"donate-level\"", "\"donate-over-proxy\"", "\"randomx\"", "\"1gb-pages\"", "\"huge-pages\"",
    "\"max-threads-hint\"", "\"cpu\"", "\"pools\"", "\"nicehash\"", "\"keepalive\"", "\"rig-id\"",
    "\"self-select\"", "\"submit-to-origin\"",
};

enum { OPT_DONATE = 1003, OPT_COIN = 1025, OPT_TLS = 1013, OPT_NICEHASH = 1006,
       OPT_CPU_MAX_THREADS = 1026, OPT_RANDOMX_MODE = 7008, OPT_DUMP = 9000 };

/* The long-option table as getopt_long consumes it (names and shape follow XMRig's). */
static const struct option options[] = {
    {"algo", required_argument, NULL, 'a'},
    {"coin", required_argument, NULL, OPT_COIN},
    {"url", required_argument, NULL, 'o'},
    {"user", required_argument, NULL, 'u'},
    {"pass", required_argument, NULL, 'p'},
    {"userpass", required_argument, NULL, 'O'},
    {"proxy", required_argument, NULL, 'x'},
    {"keepalive", no_argument, NULL, 'k'},
    {"nicehash", no_argument, NULL, OPT_NICEHASH},
    {"rig-id", required_argument, NULL, 1012},
    {"tls", no_argument, NULL, OPT_TLS},
    {"tls-fingerprint", required_argument, NULL, 1014},
    {"daemon", no_argument, NULL, 1015},
    {"donate-level", required_argument, NULL, OPT_DONATE},
    {"threads", required_argument, NULL, 't'},
    {"cpu-affinity", required_argument, NULL, 1020},
    {"cpu-priority", required_argument, NULL, 1021},
    {"cpu-max-threads-hint", required_argument, NULL, OPT_CPU_MAX_THREADS},
    {"no-huge-pages", no_argument, NULL, 1009},
    {"randomx-init", required_argument, NULL, 7001},
    {"randomx-no-numa", no_argument, NULL, 7002},
    {"randomx-mode", required_argument, NULL, OPT_RANDOMX_MODE},
    {"randomx-1gb-pages", no_argument, NULL, 7009},
    {"config", required_argument, NULL, 'c'},
    {"background", no_argument, NULL, 'B'},
    {"syslog", no_argument, NULL, 'S'},
    {"log-file", required_argument, NULL, 'l'},
    {"print-time", required_argument, NULL, 1007},
    {"no-color", no_argument, NULL, 1002},
    {"version", no_argument, NULL, 'V'},
    {"help", no_argument, NULL, 'h'},
    {"dry-run", no_argument, NULL, 5000},
    {"dump-strings", no_argument, NULL, OPT_DUMP},
    {NULL, 0, NULL, 0},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Printing every string keeps them (and the option table) in the binary whatever the optimiser. */
static void dump_strings(void) {
  size_t i;
  for (i = 0; i < COUNT(default_pools); ++i) printf("pool: %s\n", default_pools[i]);
  printf("login: %s\n", stratum_login);
  printf("submit: %s\n", stratum_submit);
  printf("keepalive: %s\n", stratum_keepalive);
  for (i = 0; i < COUNT(algorithms); ++i) printf("algo: %s\n", algorithms[i]);
  for (i = 0; i < COUNT(config_keys); ++i) printf("config-key: %s\n", config_keys[i]);
  for (i = 0; options[i].name != NULL; ++i) printf("option: --%s\n", options[i].name);
  printf("randomx-salt:");
  for (i = 0; i + 1 < sizeof(randomx_argon_salt); ++i) printf(" %02x", randomx_argon_salt[i]);
  printf("\n");
}

int main(int argc, char **argv) {
  int c;
  int index = 0;
  fputs(banner, stdout);
  /* Options are parsed only to choose what to print; nothing is ever acted on. */
  while ((c = getopt_long(argc, argv, "a:o:u:p:O:x:kt:c:BSl:Vhv:r:R:", options, &index)) != -1) {
    if (c == 'h') {
      fputs(usage, stdout);
    } else if (c == 'V') {
      puts("XMRig " MG_XMRIG_VERSION);
    } else if (c == OPT_DUMP) {
      dump_strings();
    }
  }
  puts("minerguard test miner: exiting without mining");
  return 0;
}
