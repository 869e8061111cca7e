package dev.strata.train;

import static org.junit.jupiter.api.Assertions.*;

import dev.strata.StrataException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Truncated checkpoints, concurrent writers and shared --checkpoint paths (issue #20 finding 10). */
class CheckpointSafetyTest {
    @TempDir
    static Path dir;
    static Path checkpoint;
    static byte[] bytes;

    @BeforeAll
    static void trainTwoSteps() throws Exception {
        checkpoint = dir.resolve("w.ck");
        assertEquals(0, dev.strata.cli.Main.run("train", "--steps", "2", "--dim", "16", "--layers", "1", "--heads", "2", "--seq", "32",
                "--batch", "2", "--threads", "1", "--families", "lists", "--max-difficulty", "1", "--val-batches", "1",
                "--eval-problems", "1", "--checkpoint", checkpoint.toString(), "--no-progress"));
        bytes = Files.readAllBytes(checkpoint);
    }

    @Test
    void aTruncatedCheckpointSaysSoInOneLine() throws Exception {
        for (int len : new int[] {10, 40, bytes.length / 2, bytes.length - 1}) {
            Path cut = dir.resolve("cut-" + len + ".ck");
            Files.write(cut, java.util.Arrays.copyOf(bytes, len));
            StrataException e = assertThrows(StrataException.class, () -> Checkpoint.load(cut));
            assertTrue(e.getMessage().contains("is truncated") || e.getMessage().contains("more than the file holds"), e.getMessage());
            assertFalse(e.getMessage().contains("null"), e.getMessage());
        }
    }

    @Test
    void aHugeLengthFieldIsRefusedBeforeAllocating() throws Exception {
        byte[] evil = bytes.clone();
        int at = 2 + "STRATA-TRAIN-CKPT".length() + 4;
        evil[at] = 0x7f;
        evil[at + 1] = (byte) 0xff;
        Path file = dir.resolve("evil.ck");
        Files.write(file, evil);
        StrataException e = assertThrows(StrataException.class, () -> Checkpoint.load(file));
        assertTrue(e.getMessage().contains("more than the file holds"), e.getMessage());
    }

    @Test
    void concurrentSavesToOnePathEachLeaveAWholeCheckpointAndNoTemporaryFiles() throws Exception {
        Checkpoint ck = Checkpoint.load(checkpoint);
        Path shared = dir.resolve("shared.ck");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < 8; i++) writes.add(pool.submit(() -> ck.save(shared)));
            for (Future<?> f : writes) f.get();
        } finally {
            pool.shutdown();
        }
        assertArrayEquals(ck.params(), Checkpoint.load(shared).params());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(p -> p.toString().endsWith(".tmp")).toList());
        }
    }

    @Test
    void aSecondRunOnTheSameCheckpointIsRefusedUntilTheFirstEnds() {
        Path ck = dir.resolve("locked.ck");
        try (CheckpointLock first = CheckpointLock.acquire(ck)) {
            StrataException e = assertThrows(StrataException.class, () -> CheckpointLock.acquire(ck));
            assertTrue(e.getMessage().contains("in use by another training run"), e.getMessage());
        }
        CheckpointLock.acquire(ck).close();
    }
}
