package org.salotto.server.cli;

import picocli.CommandLine.Option;

/** {@code --server URL}, and the API client it makes with the API key. */
final class ServerOption {
    @Option(names = "--server", paramLabel = "URL", description = "the server's base URL (default: SALOTTO_SERVER, "
            + "server in ~/.config/salotto/cli.conf, or http://127.0.0.1:8080)")
    String url;

    ApiClient client(CliContext context) throws CliException {
        return new ApiClient(context.server(url), context.apiKey());
    }
}
