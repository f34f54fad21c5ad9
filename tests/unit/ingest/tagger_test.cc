#include "ingest/tagger.h"

#include <algorithm>
#include <filesystem>

#include <catch2/catch.hpp>

#include "ingest/paperlists_reader.h"
#include "test_util.h"
#include "util/text.h"

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

namespace {
// The tags of `text` by the definition, slowly: a rule matches when one of its phrases occurs
// as whole words in the normalised text.
std::vector<std::string> ReferenceTags(const Tagger& t, const std::string& text) {
  const std::string words = " " + collabgraph::util::NormalizeKey(text) + " ";
  std::vector<std::string> out;
  for (const TagRule& rule : t.rules()) {
    for (const std::string& phrase : rule.phrases) {
      if (words.find(" " + phrase + " ") != std::string::npos) {
        out.push_back(rule.tag);
        break;
      }
    }
  }
  return out;
}
}  // namespace

TEST_CASE("Matching agrees with the definition on word boundaries, case and non-ASCII text",
          "[ingest][tags]") {
  const Tagger& t = Tagger::Default();
  // Words across the 16- and 64-byte steps of the ASCII path, at both ends of the text, and
  // texts whose only non-ASCII byte comes after a block that was already split.
  std::vector<std::string> texts = {"",
                                    "x",
                                    "gan",
                                    "GAN",
                                    " gan ",
                                    "gan,",
                                    "-gan-",
                                    "gpt 4",
                                    "GPT-4o",
                                    "gpt\n4",
                                    "3D reconstruction"};
  for (size_t pad = 0; pad <= 70; ++pad) {
    const std::string lead(pad, 'a');
    texts.push_back(lead + " Language Model " + lead);
    texts.push_back(std::string(pad, '.') + "LLM" + std::string(pad, '.'));
    texts.push_back(std::string(pad, ' ') + "gan");  // a phrase ending the text
    texts.push_back("Robot" + std::string(pad, ';'));
    texts.push_back(lead + " speech recognition");
    texts.push_back(lead + "\xc3\xa9 language model");  // é: folded by NormalizeKey
    texts.push_back("language model " + lead + "\xe2\x80\x94" + "gan");  // em dash: a word byte
    texts.push_back(std::string(pad, ' ') + "Llama " + "\xc4\xb0" + "2");
  }
  // Random texts from phrase words, case, separators and a few non-ASCII bytes.
  const std::vector<std::string> pieces = {
      "language",  "Model", "MODELS", "gpt",     "4",     "diffusion", "q",
      "learning",  "graph", "neural", "network", "LLaMA", "3",         "self",
      "attention", "text",  "to",     "speech",  "gans",  "clip",      "cnn"};
  const std::vector<std::string> seps = {" ", "-", ", ",       "\n",           "(", ")",
                                         "_", "'", "\xc3\xa9", "\xe2\x80\x94", ""};
  uint64_t state = 12345;
  auto next = [&state](size_t n) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<size_t>((state >> 33) % n);
  };
  for (int i = 0; i < 3000; ++i) {
    std::string text;
    const size_t n = next(40);
    for (size_t k = 0; k < n; ++k) {
      text += pieces[next(pieces.size())];
      // Mostly ASCII separators: the non-ASCII ones (the last three) in one text in five.
      text += seps[next(5) == 0 ? next(seps.size()) : next(seps.size() - 3)];
    }
    texts.push_back(std::move(text));
  }
  size_t tagged = 0;
  for (const std::string& text : texts) {
    INFO("text: " << text);
    const std::vector<std::string> got = Tags(t, text);
    CHECK(got == ReferenceTags(t, text));
    tagged += got.empty() ? 0 : 1;
  }
  CHECK(tagged > texts.size() / 2);  // the texts do exercise the phrases
}

TEST_CASE("Matching agrees with the definition on real titles and abstracts", "[ingest][tags]") {
  const std::string dir = collabgraph::testing::DataDir() + "/paperlists/";
  if (!std::filesystem::exists(dir)) {
    WARN("data directory missing: " << dir);
    return;
  }
  const Tagger& t = Tagger::Default();
  size_t papers = 0;
  size_t non_ascii = 0;
  size_t tagged = 0;
  for (const char* file :
       {"nips/nips2016.json.gz", "acl/acl2022.json.gz", "iccv/iccv2019.json.gz"}) {
    auto parsed = ReadPaperlistsFile(dir + file, {});
    REQUIRE(parsed.ok());
    // Every other paper: the reference is slow, and a sanitizer build runs this too.
    for (size_t i = 0; i < parsed->papers.size(); i += 2) {
      const collabgraph::model::Properties& props = parsed->papers[i].props;
      const std::string text = std::string(props.GetString("title").value_or("")) + " " +
                               std::string(props.GetString("abstract").value_or(""));
      INFO(file << " paper " << i << ": " << text);
      const std::vector<std::string> got = Tags(t, text);
      CHECK(got == ReferenceTags(t, text));
      ++papers;
      tagged += got.empty() ? 0 : 1;
      non_ascii += std::any_of(text.begin(), text.end(),
                               [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
    }
  }
  CHECK(papers > 1000);
  CHECK(tagged > papers / 2);
  CHECK(non_ascii > 10);  // both ways of splitting words are compared
}
