package dev.strata.model;

/** How RoPE pairs dimensions: NORM rotates (2i, 2i+1) (llama); NEOX rotates (i, i + d/2) (qwen). */
public enum RopeLayout { NORM, NEOX }
