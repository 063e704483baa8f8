package org.salotto.server.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code salotto token}: join tokens. */
@Command(name = "token", description = "Join tokens for your application's users.",
        subcommands = TokenCommand.Create.class)
final class TokenCommand extends CommandGroup {
    TokenCommand(CliContext context) {
    }

    @Command(name = "create", sortOptions = false, usageHelpAutoWidth = true,
            description = {"Mints a join token offline: a JWT signed (HS256) with your API key's secret, that lets one "
                    + "of your users into one room with the grants you give. Prints the token; nothing is sent to the server.",
                    "The key comes from SALOTTO_API_KEY (sk_...) or api-key in ~/.config/salotto/cli.conf; its id from the key "
                            + "itself (or SALOTTO_API_KEY_ID)."},
            footer = {"", "Grants: join always. --grant publish:camera,microphone,screen (any of them; publish alone: all "
                    + "three), --grant subscribe (receive others' media), --grant admin (manage the room like a co-host), "
                    + "--hidden (present but not listed; no publishing). With no --grant the token joins and subscribes; "
                    + "with some, it has exactly those.",
                    "", "Example: salotto token create --room r8fk2 --identity user-42 --name Ada "
                            + "--grant publish:camera,microphone --grant subscribe --ttl 2h",
                    "", "How to mint the same token in your own code: docs/api.md, \"Join tokens\"."})
    static final class Create implements Callable<Integer> {
        static final Set<String> SOURCES = Set.of("camera", "microphone", "screen");
        static final List<String> ROLES = List.of("co_host", "moderator", "participant", "guest", "speaker", "viewer", "listener");
        static final Duration MAX_TTL = Duration.ofHours(24);
        private static final Pattern DURATION = Pattern.compile("(?:(\\d{1,5})h)?(?:(\\d{1,7})m)?(?:(\\d{1,9})s)?");

        private final CliContext context;

        @Option(names = "--room", required = true, paramLabel = "ROOM", description = "the room's id: the token joins only this room")
        String room;

        @Option(names = "--identity", required = true, paramLabel = "ID", description = "your application's id for the user (1 to 128 characters): the same id is the same person")
        String identity;

        @Option(names = "--name", paramLabel = "NAME", description = "the name the room shows")
        String name;

        @Option(names = "--grant", paramLabel = "GRANT", description = "publish[:camera,microphone,screen], subscribe or admin (repeatable)")
        List<String> grants = new ArrayList<>();

        @Option(names = "--hidden", description = "present and receiving, but not listed to others, and unable to publish")
        boolean hidden;

        @Option(names = "--role", paramLabel = "ROLE", description = "the room kind's role to take: co_host, moderator, participant, guest, speaker, viewer or listener (default: the kind's)")
        String role;

        @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "1h", description = "how long it is valid, such as 90s, 15m, 2h or 1h30m; at most 24h (default ${DEFAULT-VALUE})")
        String ttl;

        @Option(names = "--metadata", paramLabel = "TEXT", description = "text (1 KiB at most) everyone in the room gets with this person")
        String metadata;

        @Option(names = "--once", description = "the server accepts the token once (it gets a random jti)")
        boolean once;

        @Mixin
        HelpOption help;

        @Spec
        CommandSpec spec;

        Create(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() throws CliException {
            if (room.isBlank() || room.length() > 64) throw CliException.usage("--room takes the room's id (its link ends with it), 1 to 64 characters");
            if (identity.isEmpty() || identity.length() > 128) throw CliException.usage("--identity takes 1 to 128 characters");
            if (metadata != null && metadata.getBytes(StandardCharsets.UTF_8).length > 1024) {
                throw CliException.usage("--metadata is " + metadata.getBytes(StandardCharsets.UTF_8).length + " bytes; at most 1024");
            }
            if (role != null && !ROLES.contains(role)) {
                throw CliException.usage("--role " + role + " is not a role: give one of " + String.join(", ", ROLES));
            }
            Duration validFor = duration(ttl);
            Set<String> publish = new LinkedHashSet<>();
            boolean subscribe = grants.isEmpty();
            boolean admin = false;
            for (String g : grants) {
                String grant = g.strip().toLowerCase(Locale.ROOT);
                if (grant.equals("subscribe")) subscribe = true;
                else if (grant.equals("admin")) admin = true;
                else if (grant.equals("join")) continue;
                else if (grant.equals("publish")) publish.addAll(List.of("camera", "microphone", "screen"));
                else if (grant.startsWith("publish:")) {
                    for (String s : grant.substring("publish:".length()).split(",")) {
                        if (!SOURCES.contains(s.strip())) {
                            throw CliException.usage("--grant " + g + ": '" + s.strip() + "' is not a source; give camera, "
                                    + "microphone or screen, e.g. --grant publish:camera,microphone");
                        }
                        publish.add(s.strip());
                    }
                } else {
                    throw CliException.usage("--grant " + g + " is not a grant: give publish:camera,microphone,screen (or a "
                            + "part of it), subscribe or admin");
                }
            }
            if (hidden && !publish.isEmpty()) throw CliException.usage("--hidden cannot publish: leave out --grant publish, or --hidden");
            CliContext.ApiKey key = context.apiKey();
            Instant now = context.clock().instant();
            JoinTokenMinter.Claims claims = new JoinTokenMinter.Claims(key.id(), identity, room, name, metadata,
                    List.copyOf(publish), subscribe, admin, hidden, role, now, validFor, once);
            PrintWriter out = spec.commandLine().getOut();
            out.println(JoinTokenMinter.mint(claims, key.secret()));
            out.flush();
            PrintWriter err = spec.commandLine().getErr();
            err.println("a join token for " + identity + " in room " + room + " (key " + key.id() + "): join"
                    + (publish.isEmpty() ? "" : ", publish " + String.join("+", publish)) + (subscribe ? ", subscribe" : "")
                    + (admin ? ", admin" : "") + (hidden ? ", hidden" : "") + (role == null ? "" : ", role " + role)
                    + "; valid until " + now.plus(validFor).with(java.time.temporal.ChronoField.NANO_OF_SECOND, 0));
            err.flush();
            return 0;
        }

        /** 90s, 15m, 2h, 1h30m: more than 0, at most 24h. */
        static Duration duration(String text) throws CliException {
            Matcher m = DURATION.matcher(text.strip());
            if (text.isBlank() || !m.matches()) {
                throw CliException.usage("--ttl " + text + " is not a duration: write it as 90s, 15m, 2h or 1h30m");
            }
            Duration d = Duration.ZERO;
            if (m.group(1) != null) d = d.plusHours(Long.parseLong(m.group(1)));
            if (m.group(2) != null) d = d.plusMinutes(Long.parseLong(m.group(2)));
            if (m.group(3) != null) d = d.plusSeconds(Long.parseLong(m.group(3)));
            if (d.isZero() || d.compareTo(MAX_TTL) > 0) throw CliException.usage("--ttl must be more than 0 and at most 24h (the server refuses longer)");
            return d;
        }
    }
}
