// Replaces a file's contents so that a reader sees either the old file or the
// new one, never half of either: the text goes to a temporary file in the
// same folder (same filesystem, so rename is atomic), which is then renamed
// over the target. A crash leaves at worst a stray "<name>.tmp.<pid>".
#pragma once

#include <string>

namespace tickd::alerts {

// Returns an empty string on success, else what failed (with errno's text).
// `durable` also fsyncs the file before the rename (for state that must
// survive a power cut, not for snapshots rewritten every second).
std::string write_file_atomically(const std::string& path, const std::string& text, bool durable = false);

}  // namespace tickd::alerts
