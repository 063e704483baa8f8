package org.salotto.cluster;

import java.util.List;

/**
 * A live node as Redis knows it.
 *
 * @param id           made at start, unique (a restarted process is a new node)
 * @param httpUrl      its HTTP base URL, where a client or another node reaches its API and WebSockets
 * @param mediaAddress its media socket as clients reach it, {@code host:port}
 * @param load         its load as of its last renewal
 * @param draining     true once it drains (SIGTERM): it keeps its rooms but is not given new ones
 */
public record Node(String id, String httpUrl, String mediaAddress, Load load, boolean draining) {

    /** The fields of the node's hash, as written by {@link #fields()}: field, value, field, value... */
    static Node fromFields(List<?> fields) {
        String id = null, http = "", media = "";
        int participants = 0, rooms = 0;
        double cpu = -1;
        boolean draining = false;
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            String v = String.valueOf(fields.get(i + 1));
            switch (String.valueOf(fields.get(i))) {
                case "id" -> id = v;
                case "http" -> http = v;
                case "media" -> media = v;
                case "participants" -> participants = parseInt(v);
                case "rooms" -> rooms = parseInt(v);
                case "cpu" -> cpu = parseDouble(v);
                case "draining" -> draining = v.equals("1");
                default -> { } // a newer node's field: ignored
            }
        }
        if (id == null) return null;
        return new Node(id, http, media, new Load(Math.max(0, participants), Math.max(0, rooms), cpu), draining);
    }

    /** The node's hash: field, value, field, value... */
    String[] fields() {
        return new String[] {"id", id, "http", httpUrl, "media", mediaAddress,
                "participants", Integer.toString(load.participants()), "rooms", Integer.toString(load.rooms()),
                "cpu", Double.toString(load.cpu()), "draining", draining ? "1" : "0"};
    }

    private static int parseInt(String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static double parseDouble(String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
