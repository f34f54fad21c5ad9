#include "collabgraph/export.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "util/json_writer.h"
#include "util/text.h"

namespace collabgraph {

namespace {

// Text for XML attributes and content (markup escaped, forbidden control characters dropped).
std::string Xml(std::string_view s) { return util::EscapeMarkup(s); }

// RFC 4180: quoted when it holds a comma, quote or line break; quotes doubled.
std::string Csv(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

// VOSviewer files are tab-separated: tabs and line breaks in a label become spaces.
std::string Tsv(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  }
  return out;
}

std::string Label(const GraphNode& n) {
  return n.code.empty() ? n.name : fmt::format("{} ({})", n.name, n.code);
}

std::string GraphMl(const GraphExport& g) {
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
      "  <key id=\"name\" for=\"node\" attr.name=\"name\" attr.type=\"string\"/>\n"
      "  <key id=\"code\" for=\"node\" attr.name=\"code\" attr.type=\"string\"/>\n"
      "  <key id=\"db_id\" for=\"node\" attr.name=\"db_id\" attr.type=\"long\"/>\n"
      "  <key id=\"weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>\n"
      "  <key id=\"fractional\" for=\"edge\" attr.name=\"fractional\" attr.type=\"double\"/>\n";
  out += fmt::format("  <graph id=\"{}\" edgedefault=\"undirected\">\n", g.graph);
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const GraphNode& n = g.nodes[i];
    out += fmt::format("    <node id=\"n{}\"><data key=\"name\">{}</data>", i, Xml(n.name));
    if (!n.code.empty()) out += fmt::format("<data key=\"code\">{}</data>", n.code);
    out += fmt::format("<data key=\"db_id\">{}</data></node>\n", n.id);
  }
  for (const GraphEdge& e : g.edges) {
    out += fmt::format(
        "    <edge source=\"n{}\" target=\"n{}\"><data key=\"weight\">{}</data>"
        "<data key=\"fractional\">{}</data></edge>\n",
        e.source, e.target, e.full, e.fractional);
  }
  out += "  </graph>\n</graphml>\n";
  return out;
}

std::string Gexf(const GraphExport& g) {
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<gexf xmlns=\"http://www.gexf.net/1.2draft\" version=\"1.2\">\n"
      "  <meta><creator>CollabGraph</creator></meta>\n"
      "  <graph mode=\"static\" defaultedgetype=\"undirected\">\n"
      "    <attributes class=\"node\">\n"
      "      <attribute id=\"0\" title=\"code\" type=\"string\"/>\n"
      "      <attribute id=\"1\" title=\"db_id\" type=\"long\"/>\n"
      "    </attributes>\n"
      "    <attributes class=\"edge\">\n"
      "      <attribute id=\"0\" title=\"fractional\" type=\"double\"/>\n"
      "    </attributes>\n"
      "    <nodes>\n";
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const GraphNode& n = g.nodes[i];
    out += fmt::format(
        "      <node id=\"{}\" label=\"{}\"><attvalues><attvalue for=\"0\" value=\"{}\"/>"
        "<attvalue for=\"1\" value=\"{}\"/></attvalues></node>\n",
        i, Xml(n.name), n.code, n.id);
  }
  out += "    </nodes>\n    <edges>\n";
  for (size_t i = 0; i < g.edges.size(); ++i) {
    const GraphEdge& e = g.edges[i];
    out += fmt::format(
        "      <edge id=\"{}\" source=\"{}\" target=\"{}\" weight=\"{}\"><attvalues>"
        "<attvalue for=\"0\" value=\"{}\"/></attvalues></edge>\n",
        i, e.source, e.target, e.full, e.fractional);
  }
  out += "    </edges>\n  </graph>\n</gexf>\n";
  return out;
}

std::string EdgeCsv(const GraphExport& g) {
  std::string out = "source_id,source,target_id,target,papers,fractional\n";
  for (const GraphEdge& e : g.edges) {
    const GraphNode& a = g.nodes[e.source];
    const GraphNode& b = g.nodes[e.target];
    out += fmt::format("{},{},{},{},{},{}\n", a.id, Csv(Label(a)), b.id, Csv(Label(b)), e.full,
                       e.fractional);
  }
  return out;
}

std::string Json(const GraphExport& g) {
  util::JsonWriter w;
  w.BeginObject();
  w.Key("rules").BeginObject();
  for (const auto& [name, value] : g.rules.entries) w.Key(name).String(value);
  w.EndObject();
  w.Key("graph").String(g.graph);
  w.Key("nodes").BeginArray();
  for (const GraphNode& n : g.nodes) {
    w.BeginObject();
    w.Key("id").Int(static_cast<int64_t>(n.id));
    w.Key("name").String(n.name);
    if (!n.code.empty()) w.Key("code").String(n.code);
    w.EndObject();
  }
  w.EndArray();
  w.Key("edges").BeginArray();
  for (const GraphEdge& e : g.edges) {
    w.BeginObject();
    w.Key("source").Int(static_cast<int64_t>(g.nodes[e.source].id));
    w.Key("target").Int(static_cast<int64_t>(g.nodes[e.target].id));
    w.Key("papers").Double(e.full);
    w.Key("fractional").Double(e.fractional);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return w.str() + "\n";
}

// Writes `text` to `path` through a temporary file renamed into place.
absl::Status WriteFile(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) {
      std::error_code ec;
      std::filesystem::remove(tmp, ec);
      return absl::UnavailableError("cannot write " + path);
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    return absl::UnavailableError("cannot write " + path + ": " + ec.message());
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ParseExportFormat(const std::string& name, ExportFormat* format) {
  if (name == "graphml") {
    *format = ExportFormat::kGraphMl;
  } else if (name == "gexf") {
    *format = ExportFormat::kGexf;
  } else if (name == "vosviewer") {
    *format = ExportFormat::kVosviewer;
  } else if (name == "csv") {
    *format = ExportFormat::kCsv;
  } else if (name == "json") {
    *format = ExportFormat::kJson;
  } else {
    return absl::InvalidArgumentError("export format \"" + name +
                                      "\" is not supported (graphml, gexf, vosviewer, csv, json)");
  }
  return absl::OkStatus();
}

absl::Status WriteGraph(const GraphExport& graph, ExportFormat format, const std::string& path) {
  switch (format) {
    case ExportFormat::kGraphMl:
      return WriteFile(path, GraphMl(graph));
    case ExportFormat::kGexf:
      return WriteFile(path, Gexf(graph));
    case ExportFormat::kCsv:
      return WriteFile(path, EdgeCsv(graph));
    case ExportFormat::kJson:
      return WriteFile(path, Json(graph));
    case ExportFormat::kVosviewer: {
      std::vector<double> links(graph.nodes.size(), 0.0);
      std::vector<double> strength(graph.nodes.size(), 0.0);
      std::string network;
      for (const GraphEdge& e : graph.edges) {
        links[e.source] += 1;
        links[e.target] += 1;
        strength[e.source] += e.full;
        strength[e.target] += e.full;
        network += fmt::format("{}\t{}\t{}\n", e.source + 1, e.target + 1, e.full);
      }
      std::string map = "id\tlabel\tweight<Links>\tweight<Total link strength>\n";
      for (size_t i = 0; i < graph.nodes.size(); ++i) {
        map += fmt::format("{}\t{}\t{}\t{}\n", i + 1, Tsv(Label(graph.nodes[i])), links[i],
                           strength[i]);
      }
      if (absl::Status st = WriteFile(path + "_map.txt", map); !st.ok()) return st;
      return WriteFile(path + "_network.txt", network);
    }
  }
  return absl::InvalidArgumentError("unknown export format");
}

}  // namespace collabgraph
