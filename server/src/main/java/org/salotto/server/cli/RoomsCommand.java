package org.salotto.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code salotto rooms}: the rooms of the API key's account. */
@Command(name = "rooms", description = "Your rooms, through the server's API with your API key.",
        subcommands = {RoomsCommand.ListRooms.class, RoomsCommand.Create.class, RoomsCommand.End.class})
final class RoomsCommand extends CommandGroup {
    RoomsCommand(CliContext context) {
    }

    @Command(name = "list", sortOptions = false, usageHelpAutoWidth = true,
            description = "Lists the rooms the API key's account hosts (GET /api/me/rooms): id, kind, state, people in it now, title.")
    static final class ListRooms implements Callable<Integer> {
        private final CliContext context;
        @Mixin
        ServerOption server;
        @Option(names = "--public", description = "the server's public open rooms instead (GET /api/rooms)")
        boolean publicRooms;
        @Option(names = "--json", description = "print the API's JSON answer as it is")
        boolean json;
        @Mixin
        HelpOption help;
        @Spec
        CommandSpec spec;

        ListRooms(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() throws CliException {
            ApiClient api = server.client(context);
            JsonNode answer = api.send("GET", publicRooms ? "/api/rooms" : "/api/me/rooms", null);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(answer.toPrettyString());
            } else {
                out.printf("%-14s %-6s %-10s %6s  %s%n", "ID", "KIND", "STATE", "PEOPLE", "TITLE");
                for (JsonNode r : answer.path("rooms")) {
                    out.printf("%-14s %-6s %-10s %6s  %s%n", r.path("id").asText(), r.path("kind").asText(),
                            r.path("state").asText(), r.path("people").asText("-"), r.path("title").asText());
                }
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "create", sortOptions = false, usageHelpAutoWidth = true,
            description = "Opens a room hosted by the API key's account (POST /api/rooms) and prints its id and link.")
    static final class Create implements Callable<Integer> {
        private final CliContext context;
        @Mixin
        ServerOption server;
        @Option(names = "--kind", required = true, paramLabel = "KIND", description = "call, live or space")
        String kind;
        @Option(names = "--title", required = true, paramLabel = "TITLE", description = "what the room is called (256 characters at most)")
        String title;
        @Option(names = "--activity", paramLabel = "ACTIVITY", description = "what it is about (see docs/api.md)")
        String activity;
        @Option(names = "--private", description = "only people with the link find it (default: public)")
        boolean privateRoom;
        @Option(names = "--knock", description = "newcomers wait in the lobby until a host lets them in")
        boolean knock;
        @Option(names = "--practice", description = "a live only: open it in its backstage")
        boolean practice;
        @Option(names = "--json", description = "print the API's JSON answer as it is")
        boolean json;
        @Mixin
        HelpOption help;
        @Spec
        CommandSpec spec;

        Create(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() throws CliException {
            if (!kind.equals("call") && !kind.equals("live") && !kind.equals("space")) {
                throw CliException.usage("--kind " + kind + " is not a kind of room: give call, live or space");
            }
            ApiClient api = server.client(context);
            ObjectNode body = ApiClient.JSON.createObjectNode().put("kind", kind).put("title", title);
            if (activity != null) body.put("activity", activity);
            if (privateRoom) body.put("visibility", "private");
            if (knock) body.put("knock", true);
            if (practice) body.put("practice", true);
            JsonNode room = api.send("POST", "/api/rooms", body);
            PrintWriter out = spec.commandLine().getOut();
            if (json) out.println(room.toPrettyString());
            else out.println(room.path("id").asText() + "  " + api.server() + room.path("link").asText());
            out.flush();
            return 0;
        }
    }

    @Command(name = "end", usageHelpAutoWidth = true,
            description = "Ends a room for everyone in it (POST /api/rooms/{id}/end).")
    static final class End implements Callable<Integer> {
        private final CliContext context;
        @Mixin
        ServerOption server;
        @Parameters(paramLabel = "ROOM", description = "the room's id (salotto rooms list shows them)")
        String room;
        @Mixin
        HelpOption help;
        @Spec
        CommandSpec spec;

        End(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() throws CliException {
            if (!room.matches("[A-Za-z0-9_-]{1,64}")) throw CliException.usage("'" + room + "' is not a room id (letters, digits, - and _)");
            server.client(context).send("POST", "/api/rooms/" + room + "/end", null);
            spec.commandLine().getOut().println("ended " + room);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
