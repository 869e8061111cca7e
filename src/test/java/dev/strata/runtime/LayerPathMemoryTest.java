package dev.strata.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.SharedData;
import dev.strata.bench.ResidentMemory;
import dev.strata.model.LayerWeights;
import dev.strata.weights.Model;
import dev.strata.tensor.KernelProvider;
import dev.strata.tensor.Kernels;
import dev.strata.tensor.Tensor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import dev.strata.model.LayerPath;

/**
 * A duplicated block reuses the original layer's weight bytes: every matmul of a repeated step reads the very
 * memory-mapped segment the original step reads, the model file's resident pages do not grow, and only the KV
 * cache grows, by exactly k/n.
 */
class LayerPathMemoryTest {
    private static final Path FILE = SharedData.model("stories260K-F32.gguf");
    private static final String DUP = "dup:1-3";
    private static final int[] TOKENS = {1, 403, 407, 261, 378, 5, 17, 42, 99, 300, 211, 64};

    private static Model model;
    private static final List<Long> matmulWeights = Collections.synchronizedList(new ArrayList<>());
    private static Forward recordingForward;
    private static WorkerPool pool;

    @BeforeAll
    static void load() {
        KernelProvider real = Kernels.select("scalar");
        model = Model.load(SharedData.require(FILE), real);
        InvocationHandler recordMatmuls = (proxy, method, args) -> {
            if (method.getName().equals("matmul")) matmulWeights.add(((Tensor) args[0]).data().address());
            if (method.isDefault()) return InvocationHandler.invokeDefault(proxy, method, args);
            return method.invoke(real, args);
        };
        KernelProvider recording = (KernelProvider) Proxy.newProxyInstance(KernelProvider.class.getClassLoader(),
                new Class<?>[] {KernelProvider.class}, recordMatmuls);
        pool = new WorkerPool(1);
        recordingForward = new Forward(model, recording, pool);
    }

    @AfterAll
    static void close() {
        pool.close();
        model.close();
    }

    private static Sequence sequence(String layers, int context) {
        int n = model.config().blockCount();
        ExecutionPlan plan = layers == null ? ExecutionPlan.identity(n) : ExecutionPlan.ofPath(LayerPath.parse(layers, n));
        return new Sequence(model.config(), plan, context, 0);
    }

    /** The weight segments (by address) that one forward pass multiplies with, in order, one entry per matmul. */
    private static List<Long> weightsRead(String layers) {
        matmulWeights.clear();
        recordingForward.forward(sequence(layers, 64), TOKENS, false, new ForwardStats());
        List<Long> collapsed = new ArrayList<>();
        for (long a : matmulWeights) if (collapsed.isEmpty() || collapsed.getLast() != a) collapsed.add(a);
        return collapsed;
    }

    private static int owningLayer(long address) {
        for (int i = 0; i < model.config().blockCount(); i++) {
            LayerWeights w = model.layer(i);
            for (Tensor t : new Tensor[] {w.wq(), w.wk(), w.wv(), w.wo(), w.ffnGate(), w.ffnUp(), w.ffnDown()}) {
                if (t.data().address() == address) return i;
            }
        }
        return -1;
    }

    @Test
    void duplicatedStepsReadTheOriginalLayersMappedWeights() {
        List<Long> identity = weightsRead(null);
        List<List<Long>> perLayer = new ArrayList<>();
        for (int i = 0; i < model.config().blockCount(); i++) perLayer.add(new ArrayList<>());
        List<Long> tail = new ArrayList<>();
        for (long a : identity) {
            int layer = owningLayer(a);
            (layer >= 0 ? perLayer.get(layer) : tail).add(a);
        }
        for (List<Long> l : perLayer) assertEquals(7, l.size(), "q, k, v, o, gate, up, down per layer");

        List<Long> expected = new ArrayList<>();
        for (int w : LayerPath.parse(DUP, model.config().blockCount())) expected.addAll(perLayer.get(w));
        expected.addAll(tail);
        assertEquals(expected, weightsRead(DUP), "a repeated step must multiply with the original layer's segments");

        long base = model.store().file().tensor("token_embd.weight").data().address();
        long fileBytes = FILE.toFile().length();
        for (long a : expected) assertTrue(a >= base - fileBytes && a < base + fileBytes, "weights are slices of the mapped file");
    }

    @Test
    void residentPagesOfTheModelFileDoNotGrowWithADuplicatedBlock() {
        Assumptions.assumeTrue(ResidentMemory.available(), "needs Linux /proc");
        weightsRead(null);
        long afterIdentity = ResidentMemory.of(FILE).mappedFileBytes();
        assertTrue(afterIdentity > 0, "the model file must be resident after a forward pass");
        weightsRead(DUP);
        weightsRead("loop:0-4x3");
        assertEquals(afterIdentity, ResidentMemory.of(FILE).mappedFileBytes());
    }

    @Test
    void kvCacheGrowsByExactlyKOverN() {
        int n = model.config().blockCount(), k = 3;
        Sequence identity = sequence(null, 512), dup = sequence(DUP, 512);
        for (Sequence s : List.of(identity, dup)) new Forward(model, Kernels.select("scalar"), pool).forward(s, TOKENS, false, new ForwardStats());
        assertEquals(identity.cache().capacity(), dup.cache().capacity());
        assertEquals(identity.cache().allocatedBytes() * (n + k), dup.cache().allocatedBytes() * n);
        for (Sequence s : List.of(identity, dup)) s.cache().ensureCapacity(512);
        assertEquals(identity.cache().allocatedBytes() * (n + k), dup.cache().allocatedBytes() * n);
        assertEquals(2L * 4 * model.config().kvDim() * (n + k) * 512, dup.cache().allocatedBytes(), "F32 keys and values per slot");
    }
}
