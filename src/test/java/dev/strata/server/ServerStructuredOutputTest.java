package dev.strata.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.models.ResponseFormatJsonObject;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionTokenLogprob;
import dev.strata.generate.GenerationRequest;
import dev.strata.generate.Generator;
import dev.strata.runtime.ForwardStats;
import dev.strata.sample.SamplerConfig;
import dev.strata.sample.grammar.JsonSchemaSubset;
import dev.strata.tokenizer.ChatMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * response_format, grammar, logprobs and logit_bias through the official OpenAI SDK and raw HTTP. The truths:
 * an independent schema validator, an independent log-softmax of the engine's own logits, and the greedy token.
 */
class ServerStructuredOutputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer fixture;
    private static OpenAIClient client;

    @BeforeAll
    static void start() {
        fixture = new TestServer(ServerConfig.loopback(0, 1, 8));
        client = OpenAIOkHttpClient.builder().baseUrl(fixture.base() + "/v1").apiKey("unused").maxRetries(0).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        fixture.close();
    }

    @Test
    void jsonSchemaResponseFormatValidates() throws Exception {
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 5; i++) {
            JsonNode schema = JsonSchemaSubset.randomObject(random, 2);
            ResponseFormatJsonSchema.JsonSchema.Schema.Builder sdkSchema = ResponseFormatJsonSchema.JsonSchema.Schema.builder();
            schema.fields().forEachRemaining(e -> sdkSchema.putAdditionalProperty(e.getKey(), JsonValue.from(JSON.convertValue(e.getValue(), Object.class))));
            ChatCompletion c = client.chat().completions().create(ChatCompletionCreateParams.builder().model("any-name")
                    .addUserMessage("Once upon a time").temperature(i == 0 ? 0.0 : 1.0).seed(i).maxCompletionTokens(400)
                    .responseFormat(ResponseFormatJsonSchema.builder().jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder()
                            .name("answer").schema(sdkSchema.build()).build()).build()).build());
            String content = c.choices().get(0).message().content().orElseThrow();
            assertEquals("stop", c.choices().get(0).finishReason().asString(), content);
            assertNull(JsonSchemaSubset.violation(JSON.readTree(content), schema, "$"), schema + " -> " + content);
        }
    }

    @Test
    void jsonObjectAndGbnfGrammarConstrainTheOutput() throws Exception {
        ChatCompletion c = client.chat().completions().create(ChatCompletionCreateParams.builder().model("x").addUserMessage("Hi")
                .temperature(0.0).maxCompletionTokens(300).responseFormat(ResponseFormatJsonObject.builder().build()).build());
        String object = c.choices().get(0).message().content().orElseThrow();
        // Any JSON object is unbounded (a real-weights story can fill a string forever): a cut answer must still be a prefix.
        var recognizer = new dev.strata.sample.grammar.GrammarRecognizer(dev.strata.sample.grammar.Grammar.parse(
                dev.strata.sample.grammar.JsonSchemaGrammar.anyObject()));
        var cursor = recognizer.accept(recognizer.start(), object.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(!cursor.dead(), object);
        if (c.choices().get(0).finishReason().asString().equals("stop")) assertTrue(JSON.readTree(object).isObject(), object);
        var response = fixture.post("/v1/chat/completions", """
                {"messages":[{"role":"user","content":"Count"}],"grammar":"root ::= [0-9]{2,4} (\\" \\" [a-c]+)?","max_tokens":40,"temperature":0}""");
        assertEquals(200, response.statusCode(), response.body());
        String text = JSON.readTree(response.body()).at("/choices/0/message/content").asText();
        assertTrue(text.matches("[0-9]{2,4}( [a-c]+)?"), text);
    }

    @Test
    void chatLogprobsAreTheLogSoftmaxOfTheModelsLogitsAndSorted() {
        String user = "Tell me about a dog.";
        ChatCompletion c = client.chat().completions().create(ChatCompletionCreateParams.builder().model("x").addUserMessage(user)
                .temperature(0.0).maxCompletionTokens(8).logprobs(true).topLogprobs(5).build());
        List<ChatCompletionTokenLogprob> content = c.choices().get(0).logprobs().orElseThrow().content().orElseThrow();
        // Independent truth: the greedy tokens and the engine's raw logits at each step, log-softmaxed here in double.
        String rendered = fixture.engine.chatTemplate().render(List.of(ChatMessage.user(user)), true);
        int[] prompt = fixture.engine.tokenizer().encode(rendered, false, true);
        List<int[]> tokens = new ArrayList<>();
        List<double[]> logSoftmax = new ArrayList<>();
        Generator.generate(fixture.engine, fixture.engine.newSequence(null, 0, fixture.server.contextSize()),
                new GenerationRequest(prompt, SamplerConfig.greedy(), 8, List.of(), false, null, (token, logits, n) -> {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int i = 0; i < n; i++) max = Math.max(max, logits[i]);
                    double sum = 0;
                    for (int i = 0; i < n; i++) sum += Math.exp(logits[i] - max);
                    double[] out = new double[n];
                    for (int i = 0; i < n; i++) out[i] = logits[i] - max - Math.log(sum);
                    tokens.add(new int[] {token});
                    logSoftmax.add(out);
                }), s -> {}, () -> false, new ForwardStats());
        int generated = (int) c.usage().orElseThrow().completionTokens();
        assertEquals(generated, content.size());
        for (int k = 0; k < content.size(); k++) {
            ChatCompletionTokenLogprob entry = content.get(k);
            int token = tokens.get(k)[0];
            assertEquals(logSoftmax.get(k)[token], entry.logprob(), 1e-6, "step " + k);
            assertArrayEquals(bytes(fixture.engine.tokenizer().tokenBytes(token)), entry.bytes().orElseThrow().stream().mapToInt(Long::intValue).toArray());
            List<ChatCompletionTokenLogprob.TopLogprob> top = entry.topLogprobs();
            assertEquals(5, top.size());
            for (int j = 1; j < top.size(); j++) assertTrue(top.get(j - 1).logprob() >= top.get(j).logprob(), "sorted");
            assertEquals(entry.logprob(), top.get(0).logprob(), 1e-9, "greedy token is the top alternative");
            double[] sorted = logSoftmax.get(k).clone();
            java.util.Arrays.sort(sorted);
            for (int j = 0; j < 5; j++) assertEquals(sorted[sorted.length - 1 - j], top.get(j).logprob(), 1e-6);
        }
    }

    @Test
    void streamedLogprobsEqualTheNonStreamedOnes() throws Exception {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}],\"max_tokens\":10,\"temperature\":0,"
                + "\"logprobs\":true,\"top_logprobs\":2";
        JsonNode plain = JSON.readTree(fixture.post("/v1/chat/completions", body + "}").body()).at("/choices/0/logprobs/content");
        var streamed = fixture.post("/v1/chat/completions", body + ",\"stream\":true}");
        var collected = JSON.createArrayNode();
        for (String line : streamed.body().split("\n")) {
            if (!line.startsWith("data: {")) continue;
            for (JsonNode e : JSON.readTree(line.substring(6)).at("/choices/0/logprobs/content")) collected.add(e);
        }
        assertTrue(plain.size() > 0);
        assertEquals(plain, collected);
    }

    private static int[] bytes(byte[] b) {
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) out[i] = b[i] & 0xFF;
        return out;
    }

    @Test
    void tokenLogprobsOverTheWholeVocabularySumToOne() {
        var tokenizer = fixture.engine.tokenizer();
        int n = tokenizer.vocab().size();
        float[] logits = new float[n];
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < n; i++) logits[i] = (float) (random.nextGaussian() * 4);
        TokenLogprobs lp = new TokenLogprobs(tokenizer, n, true);
        lp.onToken(7, logits, n);
        TokenLogprobs.Entry e = lp.drain().get(0);
        double sum = 0;
        for (double v : e.topLogprobs()) sum += Math.exp(v);
        assertEquals(1.0, sum, 1e-9);
        assertEquals(n, e.topIds().length);
        for (int j = 1; j < n; j++) assertTrue(e.topLogprobs()[j - 1] >= e.topLogprobs()[j]);
    }

    @Test
    void legacyCompletionLogprobsAndLogitBiasBanningTheGreedyToken() throws Exception {
        var r = fixture.post("/v1/completions", "{\"prompt\":\"Once upon a time\",\"max_tokens\":6,\"temperature\":0,\"logprobs\":3}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode logprobs = JSON.readTree(r.body()).at("/choices/0/logprobs");
        int count = logprobs.get("tokens").size();
        assertTrue(count >= 1);
        assertEquals(count, logprobs.get("token_logprobs").size());
        assertEquals(0, logprobs.get("text_offset").get(0).asInt());
        assertEquals(3, logprobs.get("top_logprobs").get(0).size());
        String text = JSON.readTree(r.body()).at("/choices/0/text").asText();
        assertEquals(text, String.join("", JSON.convertValue(logprobs.get("tokens"), String[].class)));
        int greedy = greedyFirstToken("Once upon a time");
        var banned = fixture.post("/v1/completions", "{\"prompt\":\"Once upon a time\",\"max_tokens\":1,\"temperature\":0,\"logprobs\":1,"
                + "\"logit_bias\":{\"" + greedy + "\":-100}}");
        JsonNode bannedBody = JSON.readTree(banned.body());
        assertEquals(200, banned.statusCode(), banned.body());
        String bannedToken = bannedBody.at("/choices/0/logprobs/tokens/0").asText();
        assertNotEquals(new String(fixture.engine.tokenizer().tokenBytes(greedy), java.nio.charset.StandardCharsets.UTF_8), bannedToken);
    }

    private static int greedyFirstToken(String prompt) {
        int[] ids = fixture.engine.tokenizer().encode(prompt, true, true);
        int[] out = new int[1];
        Generator.generate(fixture.engine, fixture.engine.newSequence(null, 0, 64),
                new GenerationRequest(ids, SamplerConfig.greedy(), 1, List.of(), true, null, (t, l, n) -> out[0] = t), s -> {}, () -> false, new ForwardStats());
        return out[0];
    }

    @Test
    void modelAnswersToAnyNameUnlessStrictAndModelsByIdIsServed() throws Exception {
        assertEquals(200, fixture.get("/v1/models/" + fixture.server.modelId()).statusCode());
        assertEquals(200, fixture.post("/v1/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"}],\"max_tokens\":1}").statusCode());
        try (TestServer strict = new TestServer(ServerConfig.loopback(0, 1, 4).withModelName("my-alias", true))) {
            assertEquals("my-alias", strict.server.modelId());
            for (String name : List.of("my-alias", "stories260K-F32", "stories260K-F32.gguf")) {
                assertEquals(200, strict.post("/v1/chat/completions", "{\"model\":\"" + name + "\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"}],\"max_tokens\":1}").statusCode(), name);
                assertEquals("my-alias", JSON.readTree(strict.get("/v1/models/" + name).body()).get("id").asText());
            }
            var refused = strict.post("/v1/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"}]}");
            assertEquals(400, refused.statusCode());
            assertEquals("model_not_found", JSON.readTree(refused.body()).at("/error/code").asText());
            assertEquals(404, strict.get("/v1/models/gpt-4o").statusCode());
            assertEquals("my-alias", JSON.readTree(strict.get("/v1/models").body()).at("/data/0/id").asText());
        }
    }
}
