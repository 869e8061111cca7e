package dev.strata.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.strata.SharedData;
import dev.strata.StrataException;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Exact renders checked against each model family's documented prompt format (written by hand). */
class ChatTemplateFormatsTest {
    private static final List<ChatMessage> SYSTEM_USER = List.of(ChatMessage.system("You are helpful."), ChatMessage.user("Hi"));
    private static final List<ChatMessage> USER_ASSISTANT_USER = List.of(
            ChatMessage.user("Hi"), ChatMessage.assistant("Hello!"), ChatMessage.user("How are you?"));

    private static ChatTemplate template(String name, String bos, String eos) throws IOException {
        String source = Files.readString(SharedData.require(SharedData.resolve("chat-templates/" + name + ".jinja")));
        return new ChatTemplate(source, bos, eos);
    }

    @Test
    void qwen25IsChatMl() throws IOException {
        ChatTemplate t = template("Qwen-Qwen2.5-7B-Instruct", "", "<|im_end|>");
        assertEquals("<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
                t.render(SYSTEM_USER, true));
        assertEquals("<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n"
                        + "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello!<|im_end|>\n"
                        + "<|im_start|>user\nHow are you?<|im_end|>\n",
                t.render(USER_ASSISTANT_USER, false));
    }

    private static final String LLAMA3_SYSTEM_USER = "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"
            + "Cutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n"
            + "You are helpful.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\n";

    @Test
    void llama31And33InjectKnowledgeAndDefaultDate() throws IOException {
        for (String name : List.of("meta-llama-Llama-3.1-8B-Instruct", "meta-llama-Llama-3.3-70B-Instruct")) {
            ChatTemplate t = template(name, "<|begin_of_text|>", "<|eot_id|>");
            assertEquals(LLAMA3_SYSTEM_USER, t.render(SYSTEM_USER, true), name);
        }
    }

    @Test
    void llama32UsesTodayFromStrftimeNowUnlessDateStringGiven() throws IOException {
        Clock july26 = Clock.fixed(Instant.parse("2024-07-26T12:00:00Z"), ZoneOffset.UTC);
        ChatTemplate t = template("meta-llama-Llama-3.2-3B-Instruct", "<|begin_of_text|>", "<|eot_id|>").withClock(july26);
        assertEquals(LLAMA3_SYSTEM_USER, t.render(SYSTEM_USER, true));
        String withDate = t.render(SYSTEM_USER, true, Map.of("date_string", "01 Jan 2025"));
        assertEquals(LLAMA3_SYSTEM_USER.replace("26 Jul 2024", "01 Jan 2025"), withDate);
    }

    @Test
    void llama31WithoutSystemMessageStillHasSystemHeader() throws IOException {
        ChatTemplate t = template("meta-llama-Llama-3.1-8B-Instruct", "<|begin_of_text|>", "<|eot_id|>");
        assertEquals("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"
                        + "Cutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n<|eot_id|>"
                        + "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
                        + "<|start_header_id|>assistant<|end_header_id|>\n\nHello!<|eot_id|>"
                        + "<|start_header_id|>user<|end_header_id|>\n\nHow are you?<|eot_id|>"
                        + "<|start_header_id|>assistant<|end_header_id|>\n\n",
                t.render(USER_ASSISTANT_USER, true));
    }

    @Test
    void mistralNemoPutsSystemPromptIntoLastUserTurn() throws IOException {
        ChatTemplate t = template("mistralai-Mistral-Nemo-Instruct-2407", "<s>", "</s>");
        List<ChatMessage> conversation = List.of(ChatMessage.system("You are helpful."), ChatMessage.user("Hi"),
                ChatMessage.assistant("Hello!"), ChatMessage.user("How are you?"));
        assertEquals("<s>[INST]Hi[/INST]Hello!</s>[INST]You are helpful.\n\nHow are you?[/INST]", t.render(conversation, true));
    }

    @Test
    void mistralNemoRejectsNonAlternatingRoles() throws IOException {
        ChatTemplate t = template("mistralai-Mistral-Nemo-Instruct-2407", "<s>", "</s>");
        StrataException e = assertThrows(StrataException.class,
                () -> t.render(List.of(ChatMessage.user("a"), ChatMessage.user("b")), true));
        assertEquals("After the optional system message, conversation roles must alternate user/assistant/user/assistant/...", e.getMessage());
    }

    @Test
    void gemma2UsesModelRoleAndRejectsSystem() throws IOException {
        ChatTemplate t = template("google-gemma-2-2b-it", "<bos>", "<eos>");
        assertEquals("<bos><start_of_turn>user\nHi<end_of_turn>\n<start_of_turn>model\nHello!<end_of_turn>\n"
                        + "<start_of_turn>user\nHow are you?<end_of_turn>\n<start_of_turn>model\n",
                t.render(USER_ASSISTANT_USER, true));
        StrataException e = assertThrows(StrataException.class, () -> t.render(SYSTEM_USER, true));
        assertEquals("System role not supported", e.getMessage());
    }

    @Test
    void phi35() throws IOException {
        ChatTemplate t = template("microsoft-Phi-3.5-mini-instruct", "<s>", "<|endoftext|>");
        assertEquals("<|system|>\nYou are helpful.<|end|>\n<|user|>\nHi<|end|>\n<|assistant|>\n", t.render(SYSTEM_USER, true));
        assertEquals("<|system|>\nYou are helpful.<|end|>\n<|user|>\nHi<|end|>\n<|endoftext|>", t.render(SYSTEM_USER, false));
    }

    @Test
    void deepSeekR1OpensThinkingAndDropsPastReasoning() throws IOException {
        String bos = "<｜begin▁of▁sentence｜>";
        for (String name : List.of("deepseek-ai-DeepSeek-R1-Distill-Llama-8B", "deepseek-ai-DeepSeek-R1-Distill-Qwen-32B")) {
            ChatTemplate t = template(name, bos, "<｜end▁of▁sentence｜>");
            assertEquals(bos + "You are helpful.<｜User｜>Hi<｜Assistant｜><think>\n", t.render(SYSTEM_USER, true), name);
            List<ChatMessage> withReasoning = List.of(ChatMessage.user("Hi"),
                    ChatMessage.assistant("<think>\nThe user greets me.\n</think>\n\nHello!"), ChatMessage.user("Bye"));
            assertEquals(bos + "<｜User｜>Hi<｜Assistant｜>\n\nHello!<｜end▁of▁sentence｜><｜User｜>Bye<｜Assistant｜><think>\n",
                    t.render(withReasoning, true), name);
        }
    }

    @Test
    void chatMlFallback() {
        ChatTemplate t = new ChatTemplate(ChatTemplate.CHATML, "", "");
        assertEquals("<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
                t.render(SYSTEM_USER, true));
        assertEquals("<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n", t.render(SYSTEM_USER, false));
    }
}
