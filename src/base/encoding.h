// Small encodings: random ids, base64url (cursors), hex.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kilde {

// `bytes` cryptographically random bytes as lowercase hex. Thread safe.
std::string RandomHex(size_t bytes);
// RFC 4648 §5 base64url without padding.
std::string Base64UrlEncode(std::string_view data);
// nullopt if `s` is not valid base64url.
std::optional<std::string> Base64UrlDecode(std::string_view s);

}  // namespace kilde
