package dev.strata.eval.yaml;

import static org.junit.jupiter.api.Assertions.*;

import dev.strata.StrataException;
import dev.strata.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The YAML subset: data conventions, prompts built exactly as lm-eval builds them, filters, and one-line errors. */
class YamlTaskLoaderTest {
    @TempDir
    Path tmp;

    private Path write(String name, String text) throws Exception {
        return Files.writeString(tmp.resolve(name), text);
    }

    private YamlTask load(String yaml) throws Exception {
        return (YamlTask) YamlTaskLoader.load(write("t.yaml", yaml));
    }

    private String error(String yaml) throws Exception {
        Path p = write("bad.yaml", yaml);
        return assertThrows(StrataException.class, () -> YamlTaskLoader.load(p)).getMessage();
    }

    @Test
    void splitsFromDataFilesAndAFirstNFewShotPrompt() throws Exception {
        write("train.jsonl", "{\"q\": \"1+1\", \"a\": \"2\"}\n{\"q\": \"2+2\", \"a\": \"4\"}\n{\"q\": \"3+3\", \"a\": \"6\"}\n");
        write("test.jsonl", "{\"q\": \"5+5\", \"a\": \"#### 10\", \"family\": \"sums\", \"difficulty\": 3}\n");
        YamlTask t = load("""
                task: sums
                dataset_path: json
                dataset_kwargs:
                  data_files: {train: train.jsonl, test: test.jsonl}
                test_split: test
                fewshot_split: train
                fewshot_config: {sampler: first_n}
                num_fewshot: 2
                description: "Add.\\n\\n"
                doc_to_text: "Q: {{q}}\\nA:"
                doc_to_target: "{{a.split('####')[-1].strip()}}"
                tag: [maths]
                """);
        assertEquals(1, t.items().size());
        assertEquals("sums", t.items().getFirst().group());
        assertEquals(3, t.items().getFirst().difficulty());
        assertEquals("Add.\n\nQ: 1+1\nA: 2\n\nQ: 2+2\nA: 4\n\nQ: 5+5\nA:", t.prompt(t.items().getFirst()));
        assertEquals("10", t.target(t.items().getFirst()));
    }

    @Test
    void aSingleFileIsEverySplitAndTheItemIsNeverItsOwnExample() throws Exception {
        StringBuilder docs = new StringBuilder();
        for (int i = 0; i < 4; i++) docs.append("{\"q\": \"q").append(i).append("\", \"a\": \"a").append(i).append("\"}\n");
        write("all.jsonl", docs.toString());
        YamlTask t = load("task: x\ndataset_path: all.jsonl\nnum_fewshot: 3\ndoc_to_text: q\ndoc_to_target: a\n");
        for (var item : t.items()) {
            String p = t.prompt(item);
            String own = "q" + item.doc();
            assertTrue(p.endsWith(own), p);
            assertEquals(p.indexOf(own), p.length() - own.length(), "3 examples from 4 docs never include the item: " + p);
            assertEquals(4, p.split("q", -1).length - 1, p);
        }
    }

    @Test
    void filtersFollowPythonFindallAndCounter() {
        var regex = ResponseFilter.Regex.of("(-?[$0-9.,]{2,})|(-?[0-9]+)", -1, "[invalid]");
        assertEquals("7", regex.extract("12 apples and 7"), "the second group of the last match");
        assertEquals("$1,000.", regex.extract("costs $1,000."));
        assertEquals("[invalid]", regex.extract("no digits"));
        var vote = new ResponseFilter.Pipeline("maj", List.of(ResponseFilter.Regex.of("#### (\\d+)", 0, "[invalid]"),
                new ResponseFilter.MajorityVote(), new ResponseFilter.TakeFirst()));
        assertEquals("4", vote.apply(List.of("#### 3", "#### 4", "so #### 4")));
        assertEquals("5", vote.apply(List.of("#### 5", "#### 6")), "ties go to the first seen, as Counter.most_common");
        var em = new ExactMatch(List.of(java.util.regex.Pattern.compile("\\s")), true, true, false);
        assertTrue(em.matches(" The Answer: 42!", "the answer 42"));
        assertFalse(ExactMatch.PLAIN.matches(" 42", "42"), "exact_match strips nothing by itself");
    }

    @Test
    void badTaskFilesFailWithOneLineNamingTheProblem() throws Exception {
        write("d.jsonl", "{\"q\": \"x\", \"a\": \"y\"}\n");
        String ok = "task: t\ndataset_path: d.jsonl\ndoc_to_text: q\ndoc_to_target: a\n";
        assertEquals("bad.yaml: unknown task key 'dataset_nmae'", error(ok + "dataset_nmae: foo\n"));
        assertEquals("bad.yaml: output_type 'loglikelihood' is not supported (supported: generate_until, multiple_choice, loglikelihood_rolling)",
                error(ok + "output_type: loglikelihood\n"));
        assertEquals("bad.yaml: metric 'acc' is not supported for output_type generate_until (supported: exact_match)",
                error(ok + "metric_list: [{metric: acc}]\n"));
        assertEquals("bad.yaml: unknown key 'top_k' in generation_kwargs (supported: until, max_gen_toks, do_sample, temperature)",
                error(ok + "generation_kwargs: {top_k: 3}\n"));
        assertEquals("bad.yaml: unsupported filter function 'custom' (supported: regex, take_first, majority_vote, lowercase, uppercase, remove_whitespace)",
                error(ok + "filter_list: [{name: f, filter: [{function: custom}]}]\n"));
        assertTrue(error(ok.replace("d.jsonl", "missing.jsonl")).matches("bad.yaml: dataset_path .*missing.jsonl: no such file \\(give a local JSONL file\\)"));
        assertTrue(error(ok.replace("doc_to_text: q", "doc_to_text: \"{{question}}\"")).startsWith("bad.yaml: template '{{question}}'"),
                "an unknown field is an error at load time, as with jinja2's StrictUndefined");
        assertEquals("bad.yaml: the task file needs 'doc_to_target'", error("task: t\ndataset_path: d.jsonl\ndoc_to_text: q\n"));
        assertEquals("bad.yaml: the task file needs 'doc_to_text'", error("task: t\ndataset_path: d.jsonl\ndoc_to_target: a\n"));
        assertTrue(error("task: [unclosed").startsWith("bad.yaml: not valid YAML") || error("task: [unclosed").contains("not valid YAML"));
        for (String msg : List.of(error(ok + "dataset_nmae: foo\n"))) assertFalse(msg.contains("\n"));
        assertDoesNotThrow(() -> YamlTaskLoader.load(write("cosmetic.yaml", ok + "tag: maths\nmetadata: {version: 1.0}\n")));
    }

    @Test
    void choicesFromAListLiteralTemplate() throws Exception {
        write("d.jsonl", "{\"q\": \"Is water wet?\", \"label\": \"yes\"}\n");
        YamlTask t = load("""
                task: yn
                dataset_path: d.jsonl
                output_type: multiple_choice
                doc_to_text: "{{q}}"
                doc_to_choice: "{{['no', 'yes']}}"
                doc_to_target: label
                """);
        var doc = t.doc(t.items().getFirst());
        assertEquals(List.of("no", "yes"), DocTemplates.choices("{{['no', 'yes']}}", doc));
        assertEquals(1, YamlTask.goldIndex(t.target(t.items().getFirst()), List.of("no", "yes")));
        assertEquals(Map.of("q", "Is water wet?", "label", "yes"), doc);
    }

    @Test
    void theCommittedCurriculumDocsAreWhatStrataCurriculumWrites() throws Exception {
        Path fresh = tmp.resolve("fresh.jsonl");
        assertEquals(0, Main.run("curriculum", "--split", "test", "--min-difficulty", "1", "--max-difficulty", "6", "-n", "300",
                "--seed", "1", "-o", fresh.toString()));
        assertEquals(Files.readString(Path.of("tasks/data/curriculum-test.jsonl")), Files.readString(fresh));
    }
}
