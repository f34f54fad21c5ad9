#include "collabgraph/json.h"

#include "util/json_writer.h"

namespace collabgraph {

namespace {

void WriteRules(const Rules& rules, util::JsonWriter* w) {
  w->Key("rules").BeginObject();
  for (const auto& [name, value] : rules.entries) w->Key(name).String(value);
  w->EndObject();
}

void WriteGroupFields(const StatsGroup& g, util::JsonWriter* w) {
  w->Key("papers").Int(g.papers);
  w->Key("papers_with_country").Int(g.papers_with_country);
  w->Key("unknown_country_papers").Int(g.unknown_country_papers);
  w->Key("international_papers").Int(g.international_papers);
  w->Key("excluded_papers").Int(g.excluded_papers);
  w->Key("countries").BeginArray();
  for (const CountryStat& c : g.countries) {
    w->BeginObject();
    w->Key("code").String(c.code);
    w->Key("name").String(c.name);
    w->Key("papers").Int(c.papers);
    w->Key("fractional").Double(c.fractional);
    w->EndObject();
  }
  w->EndArray();
  w->Key("pairs").BeginArray();
  for (const PairStat& p : g.pairs) {
    w->BeginObject();
    w->Key("a").String(p.a);
    w->Key("b").String(p.b);
    w->Key("papers").Int(p.papers);
    w->Key("fractional").Double(p.fractional);
    w->Key("salton").Double(p.salton);
    w->Key("jaccard").Double(p.jaccard);
    w->Key("association_strength").Double(p.association_strength);
    w->Key("affinity_a").Double(p.affinity_a);
    w->Key("affinity_b").Double(p.affinity_b);
    w->Key("probabilistic_affinity").Double(p.probabilistic_affinity);
    w->EndObject();
  }
  w->EndArray();
}

}  // namespace

std::string ToJson(const StatsResult& result) {
  util::JsonWriter w;
  w.BeginObject();
  WriteRules(result.rules, &w);
  if (result.grouped) {
    w.Key("groups").BeginArray();
    for (const StatsGroup& g : result.groups) {
      w.BeginObject();
      w.Key("key").String(g.key);
      WriteGroupFields(g, &w);
      w.EndObject();
    }
    w.EndArray();
  } else if (!result.groups.empty()) {
    WriteGroupFields(result.groups.front(), &w);
  }
  w.EndObject();
  return w.str();
}

std::string ToJson(const CentralityResult& result) {
  util::JsonWriter w;
  w.BeginObject();
  WriteRules(result.rules, &w);
  w.Key("graph").String(result.graph);
  w.Key("metric").String(result.metric);
  w.Key("normalized").Bool(result.normalized);
  w.Key("nodes").Int(static_cast<int64_t>(result.nodes));
  w.Key("edges").Int(static_cast<int64_t>(result.edges));
  w.Key("seconds").BeginObject();
  w.Key("load").Double(result.load_seconds);
  w.Key("projection").Double(result.projection_seconds);
  w.Key("metric").Double(result.metric_seconds);
  w.EndObject();
  w.Key("results").BeginArray();
  for (const CentralityEntry& e : result.results) {
    w.BeginObject();
    w.Key("id").Int(static_cast<int64_t>(e.id));
    w.Key("name").String(e.name);
    if (!e.code.empty()) w.Key("code").String(e.code);
    w.Key("value").Double(e.value);
    if (e.group >= 0) w.Key("group").Int(e.group);
    if (e.share) w.Key("share").Double(*e.share);
    w.EndObject();
  }
  w.EndArray();
  if (!result.group_sizes.empty() || result.metric == "components" || result.metric == "louvain") {
    w.Key("partition").BeginObject();
    w.Key("groups").Int(static_cast<int64_t>(result.group_sizes.size()));
    w.Key("modularity").Double(result.modularity);
    w.Key("sizes").BeginArray();
    for (uint64_t size : result.group_sizes) w.Int(static_cast<int64_t>(size));
    w.EndArray();
    w.EndObject();
  }
  w.EndObject();
  return w.str();
}

std::string ToJson(const DatabaseInfo& info) {
  util::JsonWriter w;
  w.BeginObject();
  w.Key("path").String(info.path);
  w.Key("format").BeginObject();
  w.Key("read").Int(info.format_read);
  w.Key("write").Int(info.format_write);
  w.Key("library").Int(info.library_format);
  w.EndObject();
  w.Key("created_by").String(info.created_by);
  w.Key("read_only").Bool(info.read_only);
  w.Key("nodes").BeginObject();
  for (const auto& [name, n] : info.nodes) w.Key(name).Int(static_cast<int64_t>(n));
  w.EndObject();
  w.Key("edges").BeginObject();
  for (const auto& [name, n] : info.edges) w.Key(name).Int(static_cast<int64_t>(n));
  w.EndObject();
  w.Key("approximate_bytes").Int(static_cast<int64_t>(info.approximate_bytes));
  w.EndObject();
  return w.str();
}

std::string ToJson(const IngestReport& report) {
  util::JsonWriter w;
  w.BeginObject();
  w.Key("author_overrides_applied").Int(static_cast<int64_t>(report.author_overrides_applied));
  w.Key("files").BeginArray();
  for (const IngestFileReport& f : report.files) {
    w.BeginObject();
    w.Key("path").String(f.path);
    w.Key("venue").String(f.venue);
    w.Key("year").Int(f.year);
    w.Key("records").Int(static_cast<int64_t>(f.records));
    w.Key("papers").Int(static_cast<int64_t>(f.papers));
    w.Key("added").Int(static_cast<int64_t>(f.added));
    w.Key("already_present").Int(static_cast<int64_t>(f.already_present));
    w.Key("merged_duplicates").Int(static_cast<int64_t>(f.merged_duplicates));
    w.Key("derived_ids").Int(static_cast<int64_t>(f.derived_ids));
    w.Key("rejected").Int(static_cast<int64_t>(f.rejected));
    w.Key("skipped").Int(static_cast<int64_t>(f.skipped));
    w.Key("authorships").Int(static_cast<int64_t>(f.authorships));
    w.Key("authorships_with_country").Int(static_cast<int64_t>(f.authorships_with_country));
    w.Key("unresolved_countries").BeginObject();
    for (const auto& [label, n] : f.unresolved_countries) w.Key(label).Int(static_cast<int64_t>(n));
    w.EndObject();
    w.Key("warnings").Int(static_cast<int64_t>(f.warnings));
    w.EndObject();
  }
  w.EndArray();
  w.Key("warnings").BeginArray();
  for (const IngestWarning& warn : report.warnings) {
    w.BeginObject();
    w.Key("file").String(warn.file);
    w.Key("record").Int(static_cast<int64_t>(warn.record));
    w.Key("id").String(warn.id);
    w.Key("message").String(warn.message);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return w.str();
}

std::string ToJson(const CompactReport& report) {
  util::JsonWriter w;
  w.BeginObject();
  w.Key("sorted_runs_before").Int(static_cast<int64_t>(report.sorted_runs_before));
  w.Key("sorted_runs_after").Int(static_cast<int64_t>(report.sorted_runs_after));
  w.Key("bytes_before").Int(static_cast<int64_t>(report.bytes_before));
  w.Key("bytes_after").Int(static_cast<int64_t>(report.bytes_after));
  w.Key("seconds").Double(report.seconds);
  w.EndObject();
  return w.str();
}

std::string ToJson(const PairDetail& detail) {
  util::JsonWriter w;
  w.BeginObject();
  WriteRules(detail.rules, &w);
  w.Key("a").String(detail.a);
  w.Key("b").String(detail.b);
  w.Key("series").BeginArray();
  for (const auto& p : detail.series) {
    w.BeginObject().Key("year").Int(p.year).Key("papers").Int(p.papers);
    w.Key("pair_papers").Int(p.pair_papers).Key("share").Double(p.share).EndObject();
  }
  w.EndArray();
  for (const auto& [key, list] :
       {std::pair{"institutions", &detail.institutions}, std::pair{"authors", &detail.authors}}) {
    w.Key(key).BeginArray();
    for (const auto& c : *list) {
      w.BeginObject().Key("name").String(c.name);
      if (!c.code.empty()) w.Key("code").String(c.code);
      w.Key("papers").Int(c.papers).EndObject();
    }
    w.EndArray();
  }
  w.Key("tags").BeginArray();
  for (const auto& t : detail.tags) {
    w.BeginObject().Key("tag").String(t.tag).Key("only_a").Int(t.only_a);
    w.Key("only_b").Int(t.only_b).Key("both").Int(t.both).Key("other").Int(t.other).EndObject();
  }
  w.EndArray();
  w.EndObject();
  return w.str();
}

std::string ToJson(const CheckResult& result) {
  util::JsonWriter w;
  w.BeginObject();
  w.Key("ok").Bool(result.ok());
  w.Key("nodes").Int(static_cast<int64_t>(result.nodes));
  w.Key("edges").Int(static_cast<int64_t>(result.edges));
  w.Key("index_entries").Int(static_cast<int64_t>(result.index_entries));
  w.Key("violation_count").Int(static_cast<int64_t>(result.violation_count));
  w.Key("violations").BeginArray();
  for (const auto& [invariant, detail] : result.violations) {
    w.BeginObject().Key("invariant").String(invariant).Key("detail").String(detail).EndObject();
  }
  w.EndArray();
  w.EndObject();
  return w.str();
}

namespace {

void WriteAuthor(util::JsonWriter& w, const AuthorRecord& a) {
  w.BeginObject();
  w.Key("id").Int(static_cast<int64_t>(a.id));
  w.Key("name").String(a.name);
  w.Key("key").String(a.key);
  w.Key("external_ids").BeginArray();
  for (const std::string& e : a.external_ids) w.String(e);
  w.EndArray();
  w.EndObject();
}

void WriteInstitution(util::JsonWriter& w, const InstitutionRecord& r) {
  w.BeginObject();
  w.Key("id").Int(static_cast<int64_t>(r.id));
  w.Key("name").String(r.name);
  w.Key("country").String(r.country_code);
  w.Key("region").String(r.region_code);
  w.EndObject();
}

}  // namespace

std::string ToJson(const PaperRecord& p) {
  util::JsonWriter w;
  w.BeginObject();
  w.Key("id").Int(static_cast<int64_t>(p.id));
  w.Key("title").String(p.title);
  w.Key("venue").String(p.venue);
  w.Key("year").Int(p.year);
  w.Key("track").String(p.track);
  w.Key("status").String(p.status);
  w.Key("source_id").String(p.source_id);
  w.Key("doi").String(p.doi);
  w.Key("openalex_id").String(p.openalex_id);
  w.Key("citations");
  if (p.citations) {
    w.Int(*p.citations);
  } else {
    w.Null();
  }
  w.EndObject();
  return w.str();
}

std::string ToJson(const AuthorRecord& author) {
  util::JsonWriter w;
  WriteAuthor(w, author);
  return w.str();
}

std::string ToJson(const InstitutionRecord& institution) {
  util::JsonWriter w;
  WriteInstitution(w, institution);
  return w.str();
}

std::string ToJson(const CountryRecord& c) {
  util::JsonWriter w;
  w.BeginObject();
  w.Key("id").Int(static_cast<int64_t>(c.id));
  w.Key("code").String(c.code);
  w.Key("name").String(c.name);
  w.EndObject();
  return w.str();
}

std::string ToJson(const AuthorshipRecord& a) {
  util::JsonWriter w;
  w.BeginObject();
  w.Key("position").Int(a.position);
  w.Key("author");
  WriteAuthor(w, a.author);
  w.Key("institutions").BeginArray();
  for (const InstitutionRecord& r : a.institutions) WriteInstitution(w, r);
  w.EndArray();
  w.EndObject();
  return w.str();
}

namespace {

// {"author": {...}, "papers": N}: a co-author with the papers shared, or an author's count.
std::string AuthorWithPapers(const AuthorRecord& author, uint64_t papers) {
  util::JsonWriter w;
  w.BeginObject();
  w.Key("author");
  WriteAuthor(w, author);
  w.Key("papers").Int(static_cast<int64_t>(papers));
  w.EndObject();
  return w.str();
}

}  // namespace

std::string ToJson(const CoAuthorRecord& c) { return AuthorWithPapers(c.author, c.papers); }

std::string ToJson(const AuthorCount& c) { return AuthorWithPapers(c.author, c.papers); }

std::string ToJson(const PathStep& step) {
  util::JsonWriter w;
  w.BeginObject();
  w.Key("id").Int(static_cast<int64_t>(step.id));
  w.Key("name").String(step.name);
  w.Key("via_paper").Int(static_cast<int64_t>(step.via_paper));
  w.EndObject();
  return w.str();
}

std::string JsonQuote(const std::string& s) {
  util::JsonWriter w;
  w.String(s);
  return w.str();
}

}  // namespace collabgraph
