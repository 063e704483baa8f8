package org.salotto.server.cli;

import picocli.CommandLine.Option;

/** {@code -h}, {@code --help}. */
final class HelpOption {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;
}
