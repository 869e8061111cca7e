package dev.strata.train;

import dev.strata.StrataException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on {@code <checkpoint>.lock} for the length of a training run, so two runs given the same
 * --checkpoint fail at start instead of overwriting each other. The OS drops the lock when the process dies,
 * kill -9 included, so a stale lock file never blocks a later run.
 */
public final class CheckpointLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private CheckpointLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    public static CheckpointLock acquire(Path checkpoint) {
        Path lockFile = checkpoint.resolveSibling(checkpoint.getFileName() + ".lock");
        FileChannel ch;
        try {
            ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new StrataException("cannot create lock file " + lockFile + ": " + e.getMessage(), e);
        }
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (IOException | OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            closeQuietly(ch);
            throw new StrataException("checkpoint " + checkpoint + " is in use by another training run (" + lockFile
                    + " is locked); give each run its own --checkpoint");
        }
        return new CheckpointLock(ch, lock);
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing held yet
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new StrataException("cannot release the checkpoint lock: " + e.getMessage(), e);
        }
    }
}
