package dev.strata.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.StrataException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Jinja2/HF behaviours that Jinjava needs adapting for, one by one. */
class ChatTemplateJinjaTest {
    private static final List<ChatMessage> HI = List.of(ChatMessage.user("Hi"));

    private static String render(String template) {
        return new ChatTemplate(template, "<s>", "</s>").render(HI, true);
    }

    private static String render(String template, Map<String, Object> vars) {
        return new ChatTemplate(template, "<s>", "</s>").render(HI, true, vars);
    }

    @Test
    void notBindsLooserThanTestsAndComparisons() {
        assertEquals("defined", render("{% if not add_generation_prompt is defined %}undefined{% else %}defined{% endif %}"));
        assertEquals("undefined", render("{% if not zz is defined %}undefined{% else %}defined{% endif %}"));
        assertEquals("absent", render("{% if not 'y' in ['x'] %}absent{% endif %}"));
        assertEquals("", render("{% if not 'x' in ['x'] %}absent{% endif %}"));
        assertEquals("ok", render("{%- if not messages[0]['role'] == 'system' and not x is defined -%}ok{%- endif -%}"));
        assertEquals("one", render("{{ 'one' if not messages|length == 2 else 'two' }}"));
        assertEquals("not a comparison", render("{{ 'not a comparison' if not false }}"));
    }

    @Test
    void keywordArgumentValueExtendsToTheComma() {
        assertEquals("0 x", render("{% set ns = namespace(i=messages|length - 1, s='x') %}{{ ns.i }} {{ ns.s }}"));
        assertEquals("321", render("{{ [1, 2, 3][::-1] | join('') }}"));
        assertEquals("Hi/user|", render("{% for m in messages[::-1] %}{{ m.content }}/{{ messages[0].role }}|{% endfor %}"));
        assertEquals("21", render("{% for x in [1, 2][::-1] %}{{ x }}{% endfor %}"));
        assertEquals("cba", render("{{ {'k': ['a', 'b', 'c']}['k'][::-1] | join('') }}"));
    }

    @Test
    void pythonStringMethods() {
        Map<String, Object> vars = Map.of("s", "  <think>x</think>");
        assertEquals("True|False", render("{{ s.startswith('  <') }}|{{ s.endswith('<') }}", vars).replace("true", "True").replace("false", "False"));
        assertEquals("[]", render("{{ s.split('</think>')[-1] | tojson }}", vars).replace("\"\"", "[]"));
        assertEquals("a|b|c", render("{{ ' a  b\\tc '.split() | join('|') }}"));
        assertEquals("ABC abc Abc Def", render("{{ 'abc'.upper() }} {{ 'ABC'.lower() }} {{ 'abc def'.title() }}"));
        assertEquals("xy|xyz--|--xy", render("{{ '--xy--'.strip('-') }}|{{ 'xyz--'.lstrip('-') }}|{{ '--xy--'.rstrip('-') }}"));
        assertEquals("a_b c", render("{{ 'a b c'.replace(' ', '_', 1) }}"));
        assertEquals("user|dflt", render("{{ messages[0].get('role') }}|{{ messages[0].get('zz', 'dflt') }}"));
    }

    @Test
    void dictAndAttributeAccessAgree() {
        assertEquals("user/Hi user/Hi", render("{{ messages[0]['role'] }}/{{ messages[0]['content'] }} {{ messages[0].role }}/{{ messages[0].content }}"));
        assertEquals("True", render("{{ 'True' if 'role' in messages[0] and 'tool_calls' not in messages[0] }}"));
        assertEquals("no tools", render("{% if not tools %}no tools{% endif %}{% for t in message.tool_calls %}x{% endfor %}"));
    }

    @Test
    void tojsonMatchesPythonJsonDumps() {
        Map<String, Object> vars = Map.of("v", Map.of("a", List.of(1, "é\"\n")));
        assertEquals("{\"a\": [1, \"é\\\"\\n\"]}", render("{{ v | tojson }}", vars));
        assertEquals("{\n  \"a\": [\n    1,\n    \"é\\\"\\n\"\n  ]\n}", render("{{ v | tojson(indent=2) }}", vars));
    }

    @Test
    void namespaceLoopAndWhitespaceControl() {
        String t = """
                {%- set ns = namespace(n=0) %}
                {%- for m in ['a', 'b', 'c'] %}
                    {%- set ns.n = ns.n + 1 %}
                    {{- m }}{% if not loop.last %},{% endif %}
                {%- endfor %}
                {{- ' ' ~ ns.n }}
                """;
        assertEquals("a,b,c 3", render(t).strip());
    }

    @Test
    void trimAndLstripBlocksAsInHf() {
        String t = "A\n    {% if true %}\nB\n    {% endif %}\nC";
        assertEquals("A\nB\nC", render(t));
    }

    @Test
    void raiseExceptionBecomesStrataException() {
        StrataException e = assertThrows(StrataException.class,
                () -> render("{{ raise_exception('Conversation roles must alternate') }}after"));
        assertEquals("Conversation roles must alternate", e.getMessage());
    }

    @Test
    void strftimeNowReadsTheTemplateClock() {
        Clock clock = Clock.fixed(Instant.parse("2025-02-03T04:05:06Z"), ZoneOffset.UTC);
        ChatTemplate t = new ChatTemplate("{{ strftime_now('%d %b %Y|%B %A %H:%M:%S|%y-%m-%d %%') }}", "", "").withClock(clock);
        assertEquals("03 Feb 2025|February Monday 04:05:06|25-02-03 %", t.render(HI, true));
        assertEquals("defined", render("{{ 'defined' if strftime_now is defined }}"));
    }

    @Test
    void filterBlockItemsAndIndent() {
        assertEquals("HELLO", render("{% filter upper %}  hello  {% endfilter %}").strip());
        assertEquals("[x]", render("{%- filter trim -%}\n  [x]  \n{%- endfilter -%}"));
        assertEquals("a=1;b=2;", render("{% for k, v in {'a': 1, 'b': 2}|items %}{{ k }}={{ v }};{% endfor %}"));
        assertEquals("    x\n    y\n\n    z", render("{{ 'x\\ny\\n\\nz' | indent(4, first=true) }}"));
        assertEquals("x\n  y", render("{{ 'x\\ny' | indent(2) }}"));
    }

    @Test
    void breakIsReportedWhenReached() {
        assertEquals("ab", render("{% for x in ['a', 'b'] %}{{ x }}{% if false %}{% break %}{% endif %}{% endfor %}"));
        StrataException e = assertThrows(StrataException.class,
                () -> render("{% for x in ['a', 'b'] %}{{ x }}{% break %}{% endfor %}"));
        assertTrue(e.getMessage().contains("{% break %}"), e.getMessage());
    }

    @Test
    void syntaxErrorsAreStrataExceptions() {
        StrataException e = assertThrows(StrataException.class, () -> render("{% if %}x"));
        assertTrue(e.getMessage().startsWith("chat template"), e.getMessage());
    }
}
