package dev.strata.gguf;

/**
 * How a GGUF file's bytes get into memory, as llama.cpp's --no-mmap and --mlock: mapped (the default: pages load on
 * demand and are shared with the page cache) or read into private memory, which a later change to the file cannot
 * touch; optionally locked in RAM so they are never paged out.
 */
public record LoadOptions(boolean mmap, boolean mlock) {
    public static final LoadOptions DEFAULT = new LoadOptions(true, false);
}
