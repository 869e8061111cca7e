package dev.strata.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.sample.grammar.Grammar;
import dev.strata.sample.grammar.GrammarRecognizer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tool-call output in the three model formats parsed into calls, against hand-written expected calls. */
class ToolCallingTest {
    @Test
    void hermesQwenCallsAreCutOutOfTheContent() {
        ToolCalling.Parsed p = ToolCalling.parse(ToolCalling.Format.HERMES,
                "Let me check.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Oslo\"}}\n</tool_call>\n"
                        + "<tool_call>{\"name\":\"noop\",\"arguments\":{}}</tool_call>");
        assertEquals("Let me check.", p.content());
        assertEquals(List.of("get_weather", "noop"), p.calls().stream().map(ToolCalling.Call::name).toList());
        assertEquals("{\"city\":\"Oslo\"}", p.calls().get(0).arguments());
        assertEquals("{}", p.calls().get(1).arguments());
    }

    @Test
    void llama3JsonAndMistralArraysParseAndMalformedCallsStayContent() {
        ToolCalling.Parsed llama = ToolCalling.parse(ToolCalling.Format.LLAMA3, "<|python_tag|>{\"name\": \"add\", \"parameters\": {\"a\": 1, \"b\": 2}}");
        assertEquals("add", llama.calls().get(0).name());
        assertEquals("{\"a\":1,\"b\":2}", llama.calls().get(0).arguments());
        ToolCalling.Parsed mistral = ToolCalling.parse(ToolCalling.Format.MISTRAL,
                "[TOOL_CALLS][{\"name\": \"a\", \"arguments\": {\"x\": true}}, {\"name\": \"b\", \"arguments\": \"{}\"}]");
        assertEquals(List.of("a", "b"), mistral.calls().stream().map(ToolCalling.Call::name).toList());
        assertEquals("{}", mistral.calls().get(1).arguments());
        assertTrue(mistral.calls().get(0).id().matches("[a-zA-Z0-9]{9}"), "Mistral's template requires 9-character ids");
        assertTrue(ToolCalling.parse(ToolCalling.Format.HERMES, "<tool_call>{\"name\": oops}</tool_call>").calls().isEmpty());
        assertEquals("plain {text", ToolCalling.parse(ToolCalling.Format.LLAMA3, "plain {text").content());
    }

    @Test
    void forcedCallGrammarsAcceptTheFormatsAndRejectOtherTools() {
        var function = JsonFields.MAPPER.createObjectNode().put("name", "add");
        function.putObject("parameters").put("type", "object").putObject("properties").putObject("a").put("type", "integer");
        for (ToolCalling.Format format : ToolCalling.Format.values()) {
            Grammar g = Grammar.parse(ToolCalling.grammar(format, List.of(function), false));
            String call = "{\"name\": \"add\", \"" + format.argumentsKey + "\": {\"a\": 3}}";
            assertTrue(accepts(g, format.prefix + call + format.suffix), format.name());
            assertTrue(!accepts(g, format.prefix + call.replace("add", "sub") + format.suffix), format.name());
        }
    }

    private static boolean accepts(Grammar g, String text) {
        GrammarRecognizer r = new GrammarRecognizer(g);
        GrammarRecognizer.Cursor c = r.accept(r.start(), text.getBytes(StandardCharsets.UTF_8));
        return !c.dead() && c.canEnd();
    }
}
