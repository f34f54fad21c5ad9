#include "model/paper_writer.h"

#include <algorithm>
#include <optional>

#include "model/identity.h"
#include "model/keys.h"
#include "util/status_macros.h"

namespace collabgraph::model {

namespace {

// Writes a new node with `props` and its identity index entries, in the pending record.
NodeId Create(Writer* writer, Label label, const Properties& props) {
  const NodeId id = writer->AllocateId(label);
  writer->PutNode(label, id, props, /*is_new=*/true);
  std::string missing;
  for (const IndexEntry& e : IdentityIndexEntries(label, id, props, &missing)) {
    writer->PutIndex(e.key, e.holds_id ? EncodeId(id) : "");
  }
  return id;
}

// Finds the node under `index_key` or creates it with the properties `make_props()` returns,
// in the pending record (most calls find it: the properties are only made for a new node).
template <typename MakeProps>
absl::StatusOr<NodeId> FindOrCreate(Writer* writer, Label label, const std::string& index_key,
                                    const MakeProps& make_props, bool* created) {
  COLLABGRAPH_ASSIGN_OR_RETURN(std::optional<NodeId> existing, writer->Lookup(index_key));
  if (existing.has_value()) {
    *created = false;
    return *existing;
  }
  *created = true;
  return Create(writer, label, make_props());
}

// Appends to `ids` the external ids of `a` that neither `ids` nor any author holds yet (an id
// already held by another author stays with it: the first claim wins); with `holder`, indexes
// each one appended as held by it. True when any was appended.
absl::StatusOr<bool> ClaimExternalIds(Writer* writer, const AuthorshipInput& a, StringList* ids,
                                      std::optional<NodeId> holder) {
  bool changed = false;
  for (const std::string& ext : a.external_ids) {
    const size_t colon = ext.find(':');
    if (colon == std::string::npos || std::find(ids->begin(), ids->end(), ext) != ids->end()) {
      continue;
    }
    const std::string key = ExternalIdKey(std::string_view(ext).substr(0, colon),
                                          std::string_view(ext).substr(colon + 1));
    COLLABGRAPH_ASSIGN_OR_RETURN(std::optional<NodeId> held_by, writer->Lookup(key));
    if (held_by.has_value()) continue;
    ids->push_back(ext);
    if (holder.has_value()) writer->PutIndex(key, EncodeId(*holder));
    changed = true;
  }
  return changed;
}

// The author of `a`: found by its key, with the external ids of `a` it can claim added, or
// created with them in its first node record (a new author is not written twice).
absl::StatusOr<NodeId> FindOrCreateAuthor(Writer* writer, const AuthorshipInput& a) {
  COLLABGRAPH_ASSIGN_OR_RETURN(std::optional<NodeId> existing,
                               writer->Lookup(StringIndexKey(IndexKind::kAuthorKey, a.key)));
  StringList ids;
  if (!existing.has_value()) {
    COLLABGRAPH_ASSIGN_OR_RETURN(const bool any,
                                 ClaimExternalIds(writer, a, &ids, /*holder=*/std::nullopt));
    Properties props;
    props.Set("name", a.name);
    props.Set("key", a.key);
    if (any) props.Set("external_ids", std::move(ids));  // Create indexes them
    return Create(writer, Label::kAuthor, props);
  }
  if (a.external_ids.empty()) return *existing;
  COLLABGRAPH_ASSIGN_OR_RETURN(Properties props, writer->GetNode(Label::kAuthor, *existing));
  if (const StringList* have = props.GetStringList("external_ids")) ids = *have;
  COLLABGRAPH_ASSIGN_OR_RETURN(const bool any, ClaimExternalIds(writer, a, &ids, *existing));
  if (any) {
    props.Set("external_ids", std::move(ids));
    writer->PutNode(Label::kAuthor, *existing, props, /*is_new=*/false);
  }
  return *existing;
}

// A FindOrCreate argument: the properties {k1: v1, k2: v2}, made when called. The values are
// referenced, not copied: the result must not outlive them.
auto TwoStrings(const char* k1, const std::string& v1, const char* k2, const std::string& v2) {
  return [k1, &v1, k2, &v2] {
    Properties props;
    props.Set(k1, v1);
    props.Set(k2, v2);
    return props;
  };
}

absl::StatusOr<NodeId> FindOrCreateCountry(Writer* writer, const InstitutionInput& inst) {
  bool created = false;
  return FindOrCreate(writer, Label::kCountry,
                      StringIndexKey(IndexKind::kCountryCode, inst.country_code),
                      TwoStrings("code", inst.country_code, "name", inst.country_name), &created);
}

// OK when options.memo has a source for the strings of an omitted row.
absl::Status NeedSource(const WriteOptions& options, const char* what, uint32_t row) {
  if (options.memo != nullptr && options.memo->source != nullptr) return absl::OkStatus();
  return absl::InvalidArgumentError(std::string("an omitted ") + what + " row (" +
                                    std::to_string(row) + ") without a RowMemo::source");
}

// The memo entry of `row` in `ids`, grown to hold it; null without a memo or a row.
NodeId* MemoSlot(std::vector<NodeId>* ids, uint32_t row) {
  if (ids == nullptr || row == kNoRow) return nullptr;
  if (row >= ids->size()) ids->resize(size_t{row} + 1, RowMemo::kNoNode);
  return &(*ids)[row];
}

}  // namespace

absl::StatusOr<WriteOutcome> WritePaper(Writer* writer, const PaperInput& paper,
                                        const WriteOptions& options) {
  const std::string source_key = PaperSourceIndexKey(paper.venue, paper.year, paper.source_id);
  COLLABGRAPH_ASSIGN_OR_RETURN(std::optional<NodeId> existing, writer->Lookup(source_key));
  if (existing.has_value()) return WriteOutcome::kAlreadyPresent;
  // The memo slots of this paper's authors lie anywhere in a vector of megabytes (half a
  // million authors at 1M papers), and reading them was most of the time spent in the loop
  // over the authorships itself: they are fetched now, while the paper's own records are made.
  if (options.memo != nullptr) {
    const std::vector<NodeId>& authors = options.memo->authors;
    for (const AuthorshipInput& a : paper.authorships) {
      if (a.row < authors.size()) __builtin_prefetch(&authors[a.row]);
    }
  }

  const NodeId paper_id = writer->AllocateId(Label::kPaper);
  Properties props = paper.props;
  props.Set("venue", paper.venue);
  props.Set("year", int64_t{paper.year});
  props.Set("source_id", paper.source_id);
  writer->PutNode(Label::kPaper, paper_id, props, /*is_new=*/true);
  std::string missing;
  for (const IndexEntry& e : IdentityIndexEntries(Label::kPaper, paper_id, props, &missing)) {
    writer->PutIndex(e.key, e.holds_id ? EncodeId(paper_id) : "");
  }

  bool created = false;
  absl::StatusOr<NodeId> venue = FindOrCreate(
      writer, Label::kVenue, StringIndexKey(IndexKind::kVenueName, paper.venue),
      [&] {
        Properties venue_props;
        venue_props.Set("name", paper.venue);
        return venue_props;
      },
      &created);
  if (!venue.ok()) {
    writer->Abort();
    return venue.status();
  }
  writer->PutEdge(EdgeType::kPublishedIn, paper_id, *venue, 0, {});
  writer->PutIndex(PaperByVenueKey(*venue, paper_id), "");

  auto write_authorships = [&]() -> absl::Status {
    for (size_t pos = 0; pos < paper.authorships.size(); ++pos) {
      const AuthorshipInput& a = paper.authorships[pos];
      // A memo hit needs no lookup, unless there are external ids to add to the author.
      NodeId* author_slot = MemoSlot(options.memo ? &options.memo->authors : nullptr, a.row);
      NodeId author = RowMemo::kNoNode;
      if (author_slot != nullptr && a.external_ids.empty()) author = *author_slot;
      if (author == RowMemo::kNoNode) {
        AuthorshipInput filled;
        if (a.omitted) {
          COLLABGRAPH_RETURN_IF_ERROR(NeedSource(options, "author", a.row));
          options.memo->source->FillAuthor(a.row, &filled);
          filled.row = a.row;
        }
        COLLABGRAPH_ASSIGN_OR_RETURN(author, FindOrCreateAuthor(writer, a.omitted ? filled : a));
        if (author_slot != nullptr) *author_slot = author;
      }
      const auto rank = static_cast<uint32_t>(pos);
      writer->PutEdge(EdgeType::kAuthored, author, paper_id, rank, {});
      std::vector<NodeId> linked;  // one AFFILIATED edge per (authorship, institution)
      for (const InstitutionInput& given : a.institutions) {
        // The institution; one whose strings were omitted is filled in only when its row is
        // not known (below), and only its row is read otherwise.
        std::optional<InstitutionInput> filled;
        const InstitutionInput* src = &given;
        auto make_props = [&] {
          const InstitutionInput& inst = *src;
          Properties inst_props;
          inst_props.Set("name", inst.name);
          inst_props.Set("key", inst.key);
          if (!inst.country_code.empty()) inst_props.Set("country_code", inst.country_code);
          if (!inst.country_label.empty()) inst_props.Set("country_label", inst.country_label);
          if (!inst.country_resolution.empty()) {
            inst_props.Set("country_resolution", inst.country_resolution);
          }
          if (!inst.region_code.empty()) {
            inst_props.Set("region_code", inst.region_code);
            inst_props.Set("region_name", inst.region_name);
          }
          return inst_props;
        };
        NodeId* inst_slot =
            MemoSlot(options.memo ? &options.memo->institutions : nullptr, given.row);
        NodeId inst_id = inst_slot != nullptr ? *inst_slot : RowMemo::kNoNode;
        created = false;
        if (inst_id == RowMemo::kNoNode) {
          if (given.omitted) {
            COLLABGRAPH_RETURN_IF_ERROR(NeedSource(options, "institution", given.row));
            filled.emplace();
            options.memo->source->FillInstitution(given.row, &*filled);
            filled->paper_level = given.paper_level;
            filled->row = given.row;
            src = &*filled;
          }
          COLLABGRAPH_ASSIGN_OR_RETURN(
              inst_id,
              FindOrCreate(writer, Label::kInstitution,
                           InstitutionIndexKey(src->key, src->country_code), make_props, &created));
          if (inst_slot != nullptr) *inst_slot = inst_id;
        }
        if (created && !src->country_code.empty()) {
          COLLABGRAPH_ASSIGN_OR_RETURN(NodeId country, FindOrCreateCountry(writer, *src));
          writer->PutEdge(EdgeType::kLocatedIn, inst_id, country, 0, {});
        }
        if (std::find(linked.begin(), linked.end(), inst_id) != linked.end()) continue;
        linked.push_back(inst_id);
        Properties edge_props;
        if (given.paper_level) edge_props.Set("attribution", std::string("paper"));
        writer->PutEdge(EdgeType::kAffiliated, paper_id, inst_id, rank, edge_props);
      }
    }
    return absl::OkStatus();
  };
  auto write_tags = [&]() -> absl::Status {
    for (const std::pair<std::string, std::string>& name_kind : paper.tags) {
      COLLABGRAPH_ASSIGN_OR_RETURN(
          NodeId tag,
          FindOrCreate(writer, Label::kTag, StringIndexKey(IndexKind::kTagName, name_kind.first),
                       TwoStrings("name", name_kind.first, "kind", name_kind.second), &created));
      writer->PutEdge(EdgeType::kTagged, paper_id, tag, 0, {});
    }
    return absl::OkStatus();
  };
  if (absl::Status st = write_tags(); !st.ok()) {
    writer->Abort();
    return st;
  }
  if (absl::Status st = write_authorships(); !st.ok()) {
    writer->Abort();
    return st;
  }
  if (!options.marker_key.empty()) writer->PutMarker(options.marker_key, options.marker_value);
  if (options.commit) COLLABGRAPH_RETURN_IF_ERROR(writer->Commit(options.sync, options.bulk));
  return WriteOutcome::kAdded;
}

}  // namespace collabgraph::model
