// mg-make-image: writes one of the sample images, for scripts/demo and the benchmarks.
//   mg-make-image --kind miner|tf|hidden|clean --format docker-archive|oci|oci-archive --out PATH
//                 [--compression gzip|zstd|none] [--ref NAME] [--docker-layout classic|oci-blobs]
//                 [--base-files N] [--base-bytes N]
// Exit 0 written, 2 bad arguments (one line on stderr), 1 the image could not be written.
#include <charconv>
#include <cstdio>
#include <exception>
#include <map>
#include <string>
#include <string_view>

#include "image_builder.hpp"

namespace {

using namespace mg::testing;

constexpr const char* kUsage =
    "usage: mg-make-image --kind miner|tf|hidden|clean --format docker-archive|oci|oci-archive "
    "--out PATH [--compression gzip|zstd|none] [--ref NAME] [--docker-layout classic|oci-blobs] "
    "[--base-files N] [--base-bytes N]";

int bad_usage(const std::string& why) {
  std::fprintf(stderr, "mg-make-image: %s (%s)\n", why.c_str(), kUsage);
  return 2;
}

bool parse_number(std::string_view text, std::uint64_t& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && !text.empty();
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> args;
  for (int i = 1; i < argc; ++i) {
    const std::string key = argv[i];
    if (key == "--help" || key == "-h") {
      std::puts(kUsage);
      return 0;
    }
    static const char* const known[] = {"--kind", "--format", "--out", "--compression", "--ref",
                                        "--docker-layout", "--base-files", "--base-bytes"};
    bool is_known = false;
    for (const char* name : known) is_known = is_known || key == name;
    if (!is_known) return bad_usage("unknown argument '" + key + "'");
    if (i + 1 >= argc) return bad_usage(key + " needs a value");
    args[key] = argv[++i];
  }
  for (const char* required : {"--kind", "--format", "--out"})
    if (!args.contains(required)) return bad_usage(std::string("missing ") + required);

  SampleOptions options;
  const std::string compression = args.contains("--compression") ? args["--compression"] : "gzip";
  if (compression == "gzip") options.compression = Compression::gzip;
  else if (compression == "zstd") options.compression = Compression::zstd;
  else if (compression == "none") options.compression = Compression::none;
  else return bad_usage("unknown compression '" + compression + "'");
  std::uint64_t number = 0;
  if (args.contains("--base-files")) {
    if (!parse_number(args["--base-files"], number) || number == 0)
      return bad_usage("--base-files needs a positive integer");
    options.base_files = static_cast<std::size_t>(number);
  }
  if (args.contains("--base-bytes")) {
    if (!parse_number(args["--base-bytes"], number) || number == 0)
      return bad_usage("--base-bytes needs a positive integer");
    options.base_bytes = number;
  }

  const std::string& kind = args["--kind"];
  const std::string& format = args["--format"];
  const std::string ref = args.contains("--ref") ? args["--ref"] : "latest";
  DockerArchiveOptions docker;
  if (args.contains("--docker-layout")) {
    if (args["--docker-layout"] == "oci-blobs") docker.layout = DockerLayout::oci_blobs;
    else if (args["--docker-layout"] != "classic")
      return bad_usage("unknown docker layout '" + args["--docker-layout"] + "'");
  }
  if (kind != "miner" && kind != "tf" && kind != "hidden" && kind != "clean")
    return bad_usage("unknown kind '" + kind + "'");
  if (format != "docker-archive" && format != "oci" && format != "oci-archive")
    return bad_usage("unknown format '" + format + "'");

  try {
    const ImageSpec spec = kind == "miner"  ? miner_image(options)
                           : kind == "tf"   ? tf_like_image(options)
                           : kind == "hidden" ? hidden_miner_image(options)
                                              : clean_image(options);
    const std::filesystem::path out = args["--out"];
    if (format == "docker-archive") write_docker_archive(spec, out, docker);
    else if (format == "oci") write_oci_layout(spec, out, ref);
    else write_oci_archive(spec, out, ref);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "mg-make-image: %s\n", e.what());
    return 1;
  }
  return 0;
}
