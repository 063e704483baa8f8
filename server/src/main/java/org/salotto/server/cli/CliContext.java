package org.salotto.server.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the commands find their settings: the environment ({@code SALOTTO_SERVER}, {@code SALOTTO_API_KEY},
 * {@code SALOTTO_API_KEY_ID}), then the file {@code ~/.config/salotto/cli.conf} ({@code $XDG_CONFIG_HOME} if set,
 * {@code SALOTTO_CLI_CONFIG} to name another), with the keys {@code server}, {@code api-key} and {@code api-key-id}.
 * Tests give their own environment and clock.
 */
public record CliContext(Map<String, String> env, Clock clock) {
    static final String DEFAULT_SERVER = "http://127.0.0.1:8080";
    /** An API key as the server makes them (Accounts.createApiKey): {@code sk_<12-character id>_<secret>}. */
    static final Pattern API_KEY = Pattern.compile("sk_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})");

    public static CliContext system() {
        return new CliContext(System.getenv(), Clock.systemUTC());
    }

    /** The configuration file: SALOTTO_CLI_CONFIG, else $XDG_CONFIG_HOME/salotto/cli.conf, else ~/.config/salotto/cli.conf. */
    Path configFile() {
        String named = env.get("SALOTTO_CLI_CONFIG");
        if (named != null && !named.isBlank()) return Path.of(named);
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".config");
        return base.resolve("salotto").resolve("cli.conf");
    }

    private Config file() throws CliException {
        Path f = configFile();
        if (!Files.isRegularFile(f)) {
            if (env.containsKey("SALOTTO_CLI_CONFIG")) throw CliException.usage("SALOTTO_CLI_CONFIG names " + f + ", which is not a file");
            return ConfigFactory.empty();
        }
        try {
            return ConfigFactory.parseFile(f.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (ConfigException e) {
            throw CliException.usage(f + " cannot be read: " + e.getMessage() + " (write lines such as api-key = \"sk_...\")");
        }
    }

    /** A setting from the environment, then the file; null if neither has it. */
    private String setting(String variable, String key) throws CliException {
        String v = env.get(variable);
        if (v != null && !v.isBlank()) return v.strip();
        Config c = file();
        try {
            return c.hasPath(key) ? c.getString(key).strip() : null;
        } catch (ConfigException e) {
            throw CliException.usage(configFile() + ": " + key + " must be a string: " + e.getMessage());
        }
    }

    /** The server's base URL: {@code --server}, SALOTTO_SERVER, the file's {@code server}, or http://127.0.0.1:8080. */
    String server(String flag) throws CliException {
        String s = flag != null ? flag : setting("SALOTTO_SERVER", "server");
        if (s == null) return DEFAULT_SERVER;
        if (!s.matches("https?://[^/\\s?#]+(/[^\\s?#]*)?")) {
            throw CliException.usage("'" + s + "' is not a server address: give its base URL, such as --server https://salotto.example"
                    + " or --server http://127.0.0.1:8080");
        }
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** The API key ({@code sk_...}): SALOTTO_API_KEY or the file's {@code api-key}. */
    ApiKey apiKey() throws CliException {
        String key = setting("SALOTTO_API_KEY", "api-key");
        if (key == null) {
            throw CliException.usage("this command needs an API key: export SALOTTO_API_KEY=sk_... (make one in the web app's "
                    + "settings, or with POST /api/me/api-keys), or write api-key = \"sk_...\" in " + configFile());
        }
        Matcher m = API_KEY.matcher(key);
        String id = setting("SALOTTO_API_KEY_ID", "api-key-id");
        if (!m.matches()) {
            if (!key.startsWith("sk_")) {
                throw CliException.usage("SALOTTO_API_KEY is not an API key: it starts with sk_ (the whole text the server "
                        + "showed when the key was made)");
            }
            if (id == null) {
                throw CliException.usage("the key id cannot be read from this API key: export SALOTTO_API_KEY_ID=<its id> "
                        + "(GET /api/me/api-keys lists them)");
            }
        } else if (id == null) {
            id = m.group(1);
        }
        return new ApiKey(id, key);
    }

    /** An API key: its id (the JWT's {@code kid}) and its full text (the HMAC key, and the bearer). */
    record ApiKey(String id, String secret) {
        @Override
        public String toString() {
            return "ApiKey[" + id + "]";
        }
    }
}
