#include "common/error.h"

namespace sladesk {

std::string Error::ToString() const {
  std::string out;
  if (!file.empty()) {
    out += file;
    if (line > 0) {
      out.push_back(':');
      out += std::to_string(line);
      if (column > 0) {
        out.push_back(':');
        out += std::to_string(column);
      }
    }
    out += ": ";
  }
  if (!field.empty()) out += field + ": ";
  out += message;
  return out;
}

}  // namespace sladesk
