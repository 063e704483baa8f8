package org.salotto.server.cli;

import java.io.PrintWriter;
import org.salotto.server.Main;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code salotto}: the command line's root. {@code serve} is {@link Main} (its flags unchanged); {@code token},
 * {@code rooms} and {@code webhooks} speak for an application with its API key. ({@code loadtest} lives in its own
 * module and the launcher script runs it; {@code test} and {@code bench} are the launcher's.)
 */
@Command(name = "salotto", usageHelpAutoWidth = true,
        description = "Salotto's command line.",
        subcommands = {TokenCommand.class, RoomsCommand.class, WebhooksCommand.class},
        footer = {"", "Each command answers --help. The API commands find the server in --server URL, SALOTTO_SERVER or "
                + "~/.config/salotto/cli.conf (default http://127.0.0.1:8080), and the API key in SALOTTO_API_KEY or that "
                + "file (api-key = \"sk_...\"). The launcher script adds: loadtest, test, bench.",
                "", "Exit status: 0 done, 1 the server refused or did not answer, 2 a mistake in the command."})
public final class Cli extends CommandGroup {

    Cli(CliContext context) {
    }

    public static void main(String[] args) {
        System.exit(commandLine(CliContext.system()).execute(args));
    }

    /** The whole command line, with the settings of {@code context}; tests set its output and error writers. */
    public static CommandLine commandLine(CliContext context) {
        CommandLine cli = new CommandLine(new Cli(context), new Factory(context));
        CommandLine serve = Main.commandLine();
        // Alone (the launcher's serve) its name is "salotto serve"; here the root says "salotto".
        serve.getCommandSpec().name("serve");
        cli.addSubcommand("serve", serve);
        cli.setParameterExceptionHandler(Cli::mistake);
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            if (!(e instanceof CliException c)) throw e;
            PrintWriter err = command.getErr();
            err.println(command.getCommandSpec().qualifiedName() + ": " + c.getMessage());
            if (c.status == CliException.USAGE) err.println("(" + command.getCommandSpec().qualifiedName() + " --help tells more)");
            err.flush();
            return c.status;
        });
        return cli;
    }

    /** A mistake in the command: what is wrong, picocli's "did you mean", and the command's usage; status 2. */
    private static int mistake(CommandLine.ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        PrintWriter err = cli.getErr();
        err.println(cli.getCommandSpec().qualifiedName() + ": " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println();
        cli.usage(err);
        err.flush();
        return CommandLine.ExitCode.USAGE;
    }

    /** Builds the commands with the context (their constructors take it). */
    private record Factory(CliContext context) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            try {
                var constructor = type.getDeclaredConstructor(CliContext.class);
                return constructor.newInstance(context);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(type);
            }
        }
    }
}
