// libFuzzer target: feeds arbitrary request bytes to the port parser.
#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int parse_port(const char *text);

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    std::string text(reinterpret_cast<const char *>(data), size);
    parse_port(text.c_str());
    return 0;
}
