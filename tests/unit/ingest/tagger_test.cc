#include "ingest/tagger.h"

#include <catch2/catch.hpp>

using namespace collabgraph::ingest;

namespace {
std::vector<std::string> Tags(const Tagger& t, const std::string& text) {
  std::vector<std::string> out;
  for (const TagRule* r : t.Match(text)) out.push_back(r->tag);
  return out;
}
}  // namespace

TEST_CASE("The lexicon matches whole words, case-insensitively, across punctuation",
          "[ingest][tags]") {
  const Tagger& t = Tagger::Default();
  CHECK(Tags(t, "Fine-tuning LLaMA-2 for Question Answering") ==
        std::vector<std::string>{"nlp", "llama"});
  CHECK(Tags(t, "Qwen: a model") == std::vector<std::string>{"qwen"});
  // Whole words only: "llamas", "ganglia", "clipping" do not match llama, gan, clip.
  CHECK(Tags(t, "Llamas near ganglia; gradient clipping").empty());
  CHECK(Tags(t, "Denoising Diffusion Models for Medical Imaging") ==
        std::vector<std::string>{"healthcare", "diffusion"});
}

TEST_CASE("A user lexicon is read from text, with errors naming the line", "[ingest][tags]") {
  auto t = Tagger::FromText("my.lex", "# comment\nmethod mamba: mamba | state space model\n");
  REQUIRE(t.ok());
  CHECK(Tags(**t, "A State-Space Model called Mamba") == std::vector<std::string>{"mamba"});
  auto bad = Tagger::FromText("my.lex", "method mamba mamba\n");
  REQUIRE(absl::IsInvalidArgument(bad.status()));
  CHECK(bad.status().message().find("my.lex: line 1") != std::string_view::npos);
}
