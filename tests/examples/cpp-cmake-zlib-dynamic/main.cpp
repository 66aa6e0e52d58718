// Compresses a message with zlib, decompresses it again and checks the round trip.
#include <zlib.h>

#include <iostream>
#include <string>
#include <vector>

int main() {
    const std::string message(1000, 'z');
    uLongf packed_size = compressBound(message.size());
    std::vector<Bytef> packed(packed_size);
    if (compress(packed.data(), &packed_size, reinterpret_cast<const Bytef*>(message.data()), message.size()) != Z_OK) {
        std::cerr << "compress failed\n";
        return 1;
    }
    std::string unpacked(message.size(), '\0');
    uLongf unpacked_size = unpacked.size();
    if (uncompress(reinterpret_cast<Bytef*>(unpacked.data()), &unpacked_size, packed.data(), packed_size) != Z_OK ||
        unpacked != message) {
        std::cerr << "round trip failed\n";
        return 1;
    }
    std::cout << "zlib " << zlibVersion() << ": " << message.size() << " bytes -> " << packed_size << " bytes\n";
    std::cout << "round trip ok\n";
    return 0;
}
