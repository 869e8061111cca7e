package dev.strata.gguf;

import dev.strata.tensor.quant.GgmlType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Writes the committed seed corpora of the Jazzer targets (run once: {@code java ... FuzzCorpusWriter src/test/resources}).
 * The GGUF seeds are a tiny llama model written by Strata's own writer and its issue #20 metadata mutations.
 */
public final class FuzzCorpusWriter {
    private FuzzCorpusWriter() {}

    static final int EMBD = 8, FFN = 16, HEADS = 2, KV_HEADS = 1, VOCAB = 6;

    /** A one-block llama model with a 6-token SPM vocabulary, about 3 KB; the mutation edits its metadata. */
    static byte[] tinyModel(Consumer<GgufWriter> mutation) throws IOException {
        GgufWriter w = new GgufWriter();
        String a = "llama.";
        w.putString("general.architecture", "llama").putU32(a + "context_length", 64).putU32(a + "embedding_length", EMBD)
                .putU32(a + "block_count", 1).putU32(a + "feed_forward_length", FFN).putU32(a + "rope.dimension_count", EMBD / HEADS)
                .putU32(a + "attention.head_count", HEADS).putU32(a + "attention.head_count_kv", KV_HEADS)
                .putF32(a + "attention.layer_norm_rms_epsilon", 1e-5f).putF32(a + "rope.freq_base", 10000f)
                .putString("tokenizer.ggml.model", "llama").putStrings("tokenizer.ggml.tokens", "<unk>", "<s>", "</s>", "▁a", "▁b", "c")
                .putArray("tokenizer.ggml.scores", GgufValueType.FLOAT32, new float[] {0, 0, 0, -1, -2, -3})
                .putArray("tokenizer.ggml.token_type", GgufValueType.INT32, new int[] {2, 3, 3, 1, 1, 1})
                .putU32("tokenizer.ggml.bos_token_id", 1).putU32("tokenizer.ggml.eos_token_id", 2);
        Random rnd = new Random(6);
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put("token_embd.weight", new long[] {EMBD, VOCAB});
        shapes.put("output_norm.weight", new long[] {EMBD});
        shapes.put("blk.0.attn_norm.weight", new long[] {EMBD});
        shapes.put("blk.0.attn_q.weight", new long[] {EMBD, EMBD});
        shapes.put("blk.0.attn_k.weight", new long[] {EMBD, EMBD / HEADS * KV_HEADS});
        shapes.put("blk.0.attn_v.weight", new long[] {EMBD, EMBD / HEADS * KV_HEADS});
        shapes.put("blk.0.attn_output.weight", new long[] {EMBD, EMBD});
        shapes.put("blk.0.ffn_norm.weight", new long[] {EMBD});
        shapes.put("blk.0.ffn_gate.weight", new long[] {EMBD, FFN});
        shapes.put("blk.0.ffn_up.weight", new long[] {EMBD, FFN});
        shapes.put("blk.0.ffn_down.weight", new long[] {FFN, EMBD});
        shapes.forEach((name, shape) -> {
            long n = 1;
            for (long d : shape) n *= d;
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate((int) n * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) b.putFloat((float) rnd.nextGaussian() * 0.3f + (shape.length == 1 ? 1f : 0f));
            w.addTensor(name, GgmlType.F32, shape, b.array());
        });
        mutation.accept(w);
        Path tmp = Files.createTempFile("tiny", ".gguf");
        try {
            w.write(tmp);
            return Files.readAllBytes(tmp);
        } finally {
            Files.delete(tmp);
        }
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args[0]).resolve("dev/strata");
        String l = "llama.";
        Map<String, Consumer<GgufWriter>> gguf = new LinkedHashMap<>();
        gguf.put("valid", w -> {});
        gguf.put("block-count-2p31", w -> w.putU32(l + "block_count", Integer.MAX_VALUE));
        gguf.put("block-count-5e8", w -> w.putU32(l + "block_count", 500_000_000));
        gguf.put("rope-dims-over-head", w -> w.putU32(l + "rope.dimension_count", 16));
        gguf.put("rope-dims-0", w -> w.putU32(l + "rope.dimension_count", 0));
        gguf.put("rope-dims-odd", w -> w.putU32(l + "rope.dimension_count", 3));
        gguf.put("rms-eps-nan", w -> w.putF32(l + "attention.layer_norm_rms_epsilon", Float.NaN));
        gguf.put("rms-eps-inf", w -> w.putF32(l + "attention.layer_norm_rms_epsilon", Float.POSITIVE_INFINITY));
        gguf.put("rms-eps-0", w -> w.putF32(l + "attention.layer_norm_rms_epsilon", 0f));
        gguf.put("rms-eps-negative", w -> w.putF32(l + "attention.layer_norm_rms_epsilon", -1f));
        gguf.put("freq-base-nan", w -> w.putF32(l + "rope.freq_base", Float.NaN));
        gguf.put("freq-base-0", w -> w.putF32(l + "rope.freq_base", 0f));
        gguf.put("embedding-length-float", w -> w.putF32(l + "embedding_length", 8f));
        gguf.put("vocab-size-0", w -> w.putU32(l + "vocab_size", 0));
        gguf.put("chat-template-5000-parens", w -> w.putString("tokenizer.chat_template", "{{ " + "(".repeat(5000) + "1" + ")".repeat(5000) + " }}"));
        Path dir = Files.createDirectories(root.resolve("gguf/GgufReaderFuzzTestInputs/fuzz"));
        for (var e : gguf.entrySet()) Files.write(dir.resolve(e.getKey() + ".gguf"), tinyModel(e.getValue()));

        text(root.resolve("runtime/LayerPathFuzzTestInputs/fuzz"), Map.of(
                "dup", "\u0005dup:1-2", "loop", "\u0008loop:2-5x3,skip:7-7", "ranges", "\n0-4,2-3,5-9",
                "dup-12000", "\u0005" + "dup:0-0,".repeat(12_000) + "dup:0-0", "bad", "\u0003loop:0-1x99,dup:5-1,skip:"));
        text(root.resolve("server/RequestParserFuzzTestInputs/fuzz"), Map.of(
                "chat", "{\"model\":\"fuzz\",\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},{\"role\":\"user\",\"content\":\"hi <|im_end|>\"}],"
                        + "\"max_tokens\":8,\"temperature\":0.7,\"top_p\":0.9,\"stop\":[\"\\n\"],\"stream\":true,\"stream_options\":{\"include_usage\":true}}",
                "completion", "{\"prompt\":\"Once\",\"max_tokens\":4,\"seed\":1,\"layers\":\"dup:0-1\",\"experts_per_token\":2,\"ignore_eos\":true}",
                "bad-types", "{\"prompt\":[1,2,{}],\"max_tokens\":\"x\",\"temperature\":1e309,\"stop\":7}",
                "deep", "{\"messages\":" + "[".repeat(300) + "]".repeat(300) + "}"));
        text(root.resolve("tokenizer/ChatTemplateFuzzTestInputs/fuzz"), Map.of(
                "chatml", "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}"
                        + "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}\0hi <|im_end|>",
                "loop", "{% for i in range(100) %}{% for j in range(100) %}{{ i }}{% endfor %}{% endfor %}\0x",
                "raise", "{{ raise_exception('no ' + messages[0].content) }}\0y",
                "parens-5000", "{{ " + "(".repeat(5000) + "1" + ")".repeat(5000) + " }}\0z",
                "macro", "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}\0m"));
        text(root.resolve("tokenizer/TokenizerFuzzTestInputs/fuzz"), Map.of(
                "plain", "Once upon a time, there was a little dragon.",
                "special", "<s>hi</s><|begin_of_text|><|eot_id|>[CLS] x [SEP]",
                "unicode", "héllo wörld 你好 🙂 \u0000 \t\n 12345678 ' s 's",
                "spaces", "   leading and trailing   \n\n\r\n"));
    }

    private static void text(Path dir, Map<String, String> entries) throws IOException {
        Files.createDirectories(dir);
        for (var e : entries.entrySet()) Files.writeString(dir.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
    }
}
