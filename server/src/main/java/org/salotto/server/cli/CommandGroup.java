package org.salotto.server.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** A command that only groups others: run alone, it says which to give. */
abstract class CommandGroup implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws CliException {
        throw CliException.usage("say which: " + String.join(", ", spec.subcommands().keySet()) + " (e.g. "
                + spec.qualifiedName() + " " + spec.subcommands().keySet().iterator().next() + " --help)");
    }
}
