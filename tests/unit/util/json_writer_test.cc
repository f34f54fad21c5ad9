#include "util/json_writer.h"

#include <limits>

#include <catch2/catch.hpp>

using namespace collabgraph::util;

TEST_CASE("JsonWriter escapes strings and places commas", "[util][json]") {
  JsonWriter w;
  w.BeginObject();
  w.Key("s").String("quote\" back\\ nl\n ctl\x01 é");
  w.Key("list").BeginArray().Int(-3).Double(0.1).Bool(true).Null().EndArray();
  w.Key("nan").Double(std::numeric_limits<double>::quiet_NaN());
  w.Key("empty").BeginObject().EndObject();
  w.EndObject();
  CHECK(w.str() ==
        "{\"s\":\"quote\\\" back\\\\ nl\\n ctl\\u0001 é\",\"list\":[-3,0.1,true,null],"
        "\"nan\":null,\"empty\":{}}");
}
