#include "model/paper_status.h"

#include <string>

#include "util/text.h"

namespace collabgraph::model {

bool IsRejectedStatus(std::string_view status) {
  const std::string key = util::NormalizeKey(status);
  return key.find("reject") != std::string::npos || key.find("withdr") != std::string::npos;
}

}  // namespace collabgraph::model
