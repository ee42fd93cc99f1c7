package io.velo.harness.cli;

import io.velo.cli.Main;
import java.util.Arrays;

/**
 * Entry point of the {@code velo} jar: {@code bench …} goes to the harness, everything else to the
 * engine's command line.
 */
public final class VeloLauncher {
    private VeloLauncher() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("bench")) {
            System.exit(BenchCommand.execute(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        System.exit(Main.execute(args, System.out, System.err));
    }
}
