// Files compiled into the binary (demo data, OpenAPI document); see cmake/embed.cmake.
#pragma once
#include <optional>
#include <string_view>

namespace kilde::assets {
// Returns the bytes of the embedded file `name` (file name only, e.g. "catalog.json"),
// or nullopt. The view refers to static storage and stays valid for the program's life.
std::optional<std::string_view> Find(std::string_view name);
}  // namespace kilde::assets
