package org.salotto.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code salotto webhooks}: the API key's account's webhook endpoints (docs/api.md, "Webhooks"). */
@Command(name = "webhooks", description = "Your webhook endpoints, through the server's API with your API key.",
        subcommands = {WebhooksCommand.Test.class, WebhooksCommand.Replay.class})
final class WebhooksCommand extends CommandGroup {
    WebhooksCommand(CliContext context) {
    }

    static String endpoint(String id) throws CliException {
        if (!id.matches("[A-Za-z0-9_-]{1,64}")) {
            throw CliException.usage("'" + id + "' is not an endpoint id: GET /api/me/webhooks lists yours");
        }
        return "/api/me/webhooks/" + id;
    }

    static void print(PrintWriter out, JsonNode answer, String done) {
        out.println(answer == null ? done : answer.toPrettyString());
        out.flush();
    }

    @Command(name = "test", usageHelpAutoWidth = true,
            description = "Sends a test event to a webhook endpoint now (POST /api/me/webhooks/{id}/test) and prints "
                    + "what the server says of the delivery.")
    static final class Test implements Callable<Integer> {
        private final CliContext context;
        @Mixin
        ServerOption server;
        @Parameters(paramLabel = "ENDPOINT", description = "the endpoint's id")
        String endpoint;
        @Mixin
        HelpOption help;
        @Spec
        CommandSpec spec;

        Test(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() throws CliException {
            JsonNode answer = server.client(context).send("POST", endpoint(endpoint) + "/test", ApiClient.JSON.createObjectNode());
            print(spec.commandLine().getOut(), answer, "test event sent to " + endpoint);
            return 0;
        }
    }

    @Command(name = "replay", sortOptions = false, usageHelpAutoWidth = true,
            description = "Delivers past events to a webhook endpoint again (POST /api/me/webhooks/{id}/replay): one "
                    + "delivery, or every event since a time, in order.",
            footer = {"", "Examples: salotto webhooks replay wh_123 --since 2026-12-01T18:00:00Z",
                    "          salotto webhooks replay wh_123 --delivery dl_456"})
    static final class Replay implements Callable<Integer> {
        private final CliContext context;
        @Mixin
        ServerOption server;
        @Parameters(paramLabel = "ENDPOINT", description = "the endpoint's id")
        String endpoint;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Which which;

        static final class Which {
            @Option(names = "--since", paramLabel = "TIME", description = "every event from this time on (RFC 3339, such as 2026-12-01T18:00:00Z)")
            String since;
            @Option(names = "--delivery", paramLabel = "ID", description = "one delivery again, by its id (the delivery log has them)")
            String delivery;
        }

        @Mixin
        HelpOption help;
        @Spec
        CommandSpec spec;

        Replay(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() throws CliException {
            ObjectNode body = ApiClient.JSON.createObjectNode();
            if (which.since != null) {
                try {
                    body.put("since", Instant.parse(which.since).toString());
                } catch (DateTimeParseException e) {
                    throw CliException.usage("--since " + which.since + " is not a time: write it as 2026-12-01T18:00:00Z (UTC)");
                }
            } else {
                if (!which.delivery.matches("[A-Za-z0-9_-]{1,64}")) throw CliException.usage("--delivery takes a delivery's id");
                body.put("deliveryId", which.delivery);
            }
            JsonNode answer = server.client(context).send("POST", endpoint(endpoint) + "/replay", body);
            print(spec.commandLine().getOut(), answer, "replay of " + endpoint + " queued");
            return 0;
        }
    }
}
