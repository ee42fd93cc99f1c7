package io.velo.harness.cli;

/** Placeholder replaced below. */
public final class VeloLauncher {
    public static void main(String[] args) {
    }
}
