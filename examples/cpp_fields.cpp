// C++17 over the C API: cut one received buffer into zero-copy fields held
// by a small RAII handle, and read them as std::string_view.
//
// (A complete C++ layer, bytes.hpp, is planned; this shows that bytes.h is
// usable from C++ as it is and how little a wrapper needs.)
#include <bytes.h>

#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

namespace {

// Owns one bytes_t: the destructor drops it, moves transfer it.
class Field {
  public:
    explicit Field(bytes_t b) noexcept : b_(b) {}
    Field(Field &&other) noexcept : b_(std::exchange(other.b_, bytes_new())) {}
    Field &operator=(Field &&other) noexcept {
        std::swap(b_, other.b_);
        return *this;
    }
    Field(const Field &) = delete;
    Field &operator=(const Field &) = delete;
    ~Field() { bytes_drop(&b_); }

    std::string_view view() const {
        return {reinterpret_cast<const char *>(bytes_ptr(&b_)), bytes_len(&b_)};
    }
    const uint8_t *data() const { return bytes_ptr(&b_); }

  private:
    bytes_t b_;
};

void check(bytes_status_t status) {
    if (status != BYTES_OK) throw std::runtime_error(bytes_status_str(status));
}

}  // namespace

int main() {
    const char line[] = "2026-11-22,GET,/index.html,200,5120";

    bytes_t record{};
    check(bytes_copy_from(reinterpret_cast<const uint8_t *>(line), std::strlen(line), &record));
    const std::string_view text(reinterpret_cast<const char *>(bytes_ptr(&record)), bytes_len(&record));

    // Each field is a slice of the one storage: no copy, one atomic increment.
    std::vector<Field> fields;
    for (size_t start = 0; start <= text.size();) {
        size_t end = text.find(',', start);
        if (end == std::string_view::npos) end = text.size();
        bytes_t field{};
        check(bytes_slice(&record, start, end, &field));
        fields.emplace_back(field);
        start = end + 1;
    }
    bytes_drop(&record);  // the fields keep the storage alive

    int failures = 0;
    const char *expected[] = {"2026-11-22", "GET", "/index.html", "200", "5120"};
    for (size_t i = 0; i < fields.size(); i++) {
        const Field &f = fields[i];
        std::printf("field %zu: %-12.*s (%zu bytes at %p)\n", i, static_cast<int>(f.view().size()),
                    f.view().data(), f.view().size(), static_cast<const void *>(f.data()));
        if (i >= 5 || f.view() != expected[i]) failures++;
    }
    if (fields.size() != 5 || failures != 0) {
        std::fprintf(stderr, "cpp_fields: wrong fields\n");
        return 1;
    }
    std::printf("%zu fields, one storage, freed when the last field goes\n", fields.size());
    return 0;
}
