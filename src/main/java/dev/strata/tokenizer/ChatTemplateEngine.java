package dev.strata.tokenizer;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import dev.strata.StrataException;
import java.time.Clock;
import java.util.Map;
import jinjava.javax.el.CompositeELResolver;

/** A Jinjava instance configured to render HF chat templates the way transformers' Jinja2 setup does. */
final class ChatTemplateEngine {
    private ChatTemplateEngine() {}

    private static final Jinjava JINJAVA = create();

    private static Jinjava create() {
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new ChatTemplatePythonMethods());
        resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY);
        LegacyOverrides python = LegacyOverrides.newBuilder()
                .withUsePyishObjectMapper(true)
                .withParseWhitespaceControlStrictly(true)
                .withUseNaturalOperatorPrecedence(true)
                .withUseTrimmingForNotesAndExpressions(true)
                .withKeepNullableLoopValues(true)
                .withEvaluateMapKeys(true)
                .withIterateOverMapKeys(true)
                .build();
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                .withFailOnUnknownTokens(false)
                .withLegacyOverrides(python)
                .withElResolver(resolver)
                .withMaxOutputSize(ChatTemplateLimits.MAX_OUTPUT_CHARS)
                // checks the thread's interrupt flag at every node, so a timed-out rendering really stops
                .withNodePreProcessor(new com.hubspot.jinjava.el.JinjavaNodePreProcessor())
                .build();
        Jinjava jinjava = new Jinjava(config);
        var globals = jinjava.getGlobalContext();
        globals.registerFunction(new ELFunctionDefinition("", "raise_exception",
                ChatTemplateFunctions.class, "raiseException", String.class));
        globals.registerFunction(new ELFunctionDefinition("", "strftime_now",
                ChatTemplateFunctions.class, "strftimeNow", String.class));
        globals.registerFilter(new ChatTemplateExtensions.ToJsonFilter());
        globals.registerFilter(new ChatTemplateExtensions.ItemsFilter());
        globals.registerFilter(new ChatTemplateExtensions.IndentFilter());
        globals.registerTag(new ChatTemplateExtensions.FilterBlockTag());
        globals.registerTag(new ChatTemplateExtensions.BreakTag());
        return jinjava;
    }

    static String render(String source, Map<String, Object> variables, Clock clock) {
        ChatTemplateFunctions.RenderState state = new ChatTemplateFunctions.RenderState(clock);
        RenderResult result;
        ChatTemplateFunctions.begin(state);
        try {
            result = JINJAVA.renderForResult(source, variables);
        } catch (StrataException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StrataException("chat template failed: " + e.getMessage(), e);
        } finally {
            ChatTemplateFunctions.end();
        }
        if (state.raisedMessage != null) throw new StrataException(state.raisedMessage);
        for (TemplateError error : result.getErrors()) {
            if (error.getSeverity() != TemplateError.ErrorType.FATAL) continue;
            for (Throwable cause = error.getException(); cause != null; cause = cause.getCause()) {
                if (cause instanceof StrataException e) throw e;
            }
            throw new StrataException("chat template error at line " + error.getLineno() + ": " + error.getMessage());
        }
        return result.getOutput();
    }
}
