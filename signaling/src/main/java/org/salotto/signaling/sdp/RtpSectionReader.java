package org.salotto.signaling.sdp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.salotto.media.params.RtpEncoding;
import org.salotto.media.params.RtpHeaderExtension;

/** Reads the RTP attributes of one media section: formats, header extensions, SSRCs. Fails only with SdpException. */
final class RtpSectionReader {
    private RtpSectionReader() {
    }

    /** The formats of the m= line, in its order (the offerer's preference). */
    static List<RtpFormat> formats(MediaDescription m) throws SdpException {
        String where = "m-section " + describe(m);
        Map<Integer, String[]> rtpmaps = new HashMap<>();
        Map<Integer, String> fmtps = new HashMap<>();
        Map<String, List<String>> feedback = new HashMap<>();
        for (Attribute a : m.attributes()) {
            if (a.isFlag()) continue;
            switch (a.name()) {
                case "rtpmap" -> {
                    String[] pv = splitPayloadType(a, where);
                    String[] enc = pv[1].strip().split("/", -1);
                    if (enc.length < 2 || enc.length > 3 || !Tokens.isToken(enc[0])) {
                        throw new SdpException(where + ": malformed a=rtpmap:" + SdpException.excerpt(a.value()));
                    }
                    rtpmaps.putIfAbsent(Tokens.parseInt(pv[0], 0, 127, where + ": a=rtpmap payload type"), enc);
                }
                case "fmtp" -> {
                    String[] pv = splitPayloadType(a, where);
                    fmtps.putIfAbsent(Tokens.parseInt(pv[0], 0, 127, where + ": a=fmtp payload type"), pv[1].strip());
                }
                case "rtcp-fb" -> {
                    String[] pv = splitPayloadType(a, where);
                    String type = String.join(" ", pv[1].strip().split(" +"));
                    if (!type.isEmpty()) feedback.computeIfAbsent(pv[0], k -> new ArrayList<>()).add(type);
                }
                default -> { }
            }
        }
        List<RtpFormat> out = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (String f : m.formats()) {
            int pt = Tokens.parseInt(f, 0, 127, where + ": payload type");
            if (!seen.add(pt)) continue;
            String[] enc = rtpmaps.get(pt);
            String name = enc == null ? "" : enc[0];
            int clock = enc == null ? 0 : Tokens.parseInt(enc[1], 1, Integer.MAX_VALUE, where + ": clock rate");
            int channels = enc == null || enc.length < 3 ? 1 : Tokens.parseInt(enc[2], 1, 255, where + ": channels");
            List<String> fb = new ArrayList<>(feedback.getOrDefault(f, List.of()));
            for (String any : feedback.getOrDefault("*", List.of())) if (!fb.contains(any)) fb.add(any);
            out.add(new RtpFormat(pt, name, clock, channels, fmtps.getOrDefault(pt, ""), fb));
        }
        return out;
    }

    /** The {@code a=extmap} lines (RFC 8285 section 8): id and URI, direction and extension attributes dropped. */
    static List<RtpHeaderExtension> headerExtensions(MediaDescription m) throws SdpException {
        String where = "m-section " + describe(m);
        List<RtpHeaderExtension> out = new ArrayList<>();
        Set<Integer> ids = new HashSet<>();
        for (String v : m.attributeValues("extmap")) {
            String[] f = v.split(" ", -1);
            if (f.length < 2 || f[1].isEmpty()) throw new SdpException(where + ": malformed a=extmap:" + SdpException.excerpt(v));
            int slash = f[0].indexOf('/');
            int id = Tokens.parseInt(slash < 0 ? f[0] : f[0].substring(0, slash), 1, 255, where + ": a=extmap id");
            if (!ids.add(id)) throw new SdpException(where + ": a=extmap id " + id + " used twice");
            out.add(new RtpHeaderExtension(f[1], id));
        }
        return out;
    }

    /**
     * The RTP streams announced with {@code a=ssrc} and {@code a=ssrc-group} (RFC 5576): one encoding per media SSRC, with
     * the RTX SSRC of its {@code FID} group. SSRCs that are the second of an FID or FEC-FR group are repair streams, not
     * encodings. Empty when the section announces no SSRC (the media SSRC is then learnt from the mid header extension).
     */
    static List<RtpEncoding> encodings(MediaDescription m) throws SdpException {
        String where = "m-section " + describe(m);
        Set<Long> ssrcs = new LinkedHashSet<>();
        Map<Long, Long> rtxOf = new LinkedHashMap<>();
        Set<Long> repair = new HashSet<>();
        for (Attribute a : m.attributes()) {
            if (a.isFlag()) continue;
            if (a.name().equals("ssrc")) {
                int sp = a.value().indexOf(' ');
                ssrcs.add(ssrc(sp < 0 ? a.value() : a.value().substring(0, sp), where));
            } else if (a.name().equals("ssrc-group")) {
                String[] f = a.value().split(" ", -1);
                if (f.length < 2 || !Tokens.isToken(f[0])) throw new SdpException(where + ": malformed a=ssrc-group");
                List<Long> members = new ArrayList<>();
                for (int i = 1; i < f.length; i++) members.add(ssrc(f[i], where));
                if (f[0].equals("FID") || f[0].equals("FEC-FR")) {
                    if (members.size() != 2) throw new SdpException(where + ": a=ssrc-group:" + f[0] + " needs two SSRCs");
                    ssrcs.add(members.get(0));
                    repair.add(members.get(1));
                    if (f[0].equals("FID")) rtxOf.putIfAbsent(members.get(0), members.get(1));
                }
            }
        }
        List<RtpEncoding> out = new ArrayList<>();
        for (long s : ssrcs) {
            if (repair.contains(s)) continue;
            out.add(new RtpEncoding((int) s, (int) (long) rtxOf.getOrDefault(s, 0L)));
        }
        return out;
    }

    /** The most simulcast layers Salotto takes from one m-section; more rids are left out of the answer. */
    static final int MAX_SIMULCAST_LAYERS = 3;

    /**
     * The simulcast layers the section sends (RFC 8853 section 5.1, RFC 8851): the rids of {@code a=simulcast}'s send
     * list (the first alternative of each stream, a paused "~" dropped) that an {@code a=rid:<id> send} line
     * declares, in the list's order, at most {@link #MAX_SIMULCAST_LAYERS}. Empty when there is no simulcast, or
     * fewer than two such rids. A rid is 1 to 16 letters, digits, "-" or "_".
     */
    static List<String> simulcastRids(MediaDescription m) throws SdpException {
        String where = "m-section " + describe(m);
        Set<String> declared = new HashSet<>();
        for (String v : m.attributeValues("rid")) {
            String[] f = v.split(" ", -1);
            if (f.length < 2) throw new SdpException(where + ": malformed a=rid:" + SdpException.excerpt(v));
            if (f[1].equals("send") && isRid(f[0])) declared.add(f[0]);
        }
        List<String> sim = m.attributeValues("simulcast");
        if (sim.isEmpty() || declared.isEmpty()) return List.of();
        String[] f = sim.getFirst().split(" ", -1);
        List<String> out = new ArrayList<>();
        for (int i = 0; i + 1 < f.length; i += 2) {
            if (!f[i].equals("send")) continue;
            for (String stream : f[i + 1].split(";", -1)) {
                String rid = stream.split(",", -1)[0];
                if (rid.startsWith("~")) rid = rid.substring(1);
                if (declared.contains(rid) && !out.contains(rid) && out.size() < MAX_SIMULCAST_LAYERS) out.add(rid);
            }
        }
        return out.size() >= 2 ? out : List.of();
    }

    private static boolean isRid(String s) {
        if (s.isEmpty() || s.length() > 16) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_')) return false;
        }
        return true;
    }

    private static long ssrc(String s, String where) throws SdpException {
        return Tokens.parseLong(s, 0, 0xFFFF_FFFFL, where + ": SSRC");
    }

    /** "96 rest" as {"96", "rest"}. */
    private static String[] splitPayloadType(Attribute a, String where) throws SdpException {
        int sp = a.value().indexOf(' ');
        if (sp <= 0) throw new SdpException(where + ": malformed a=" + a.name() + ":" + SdpException.excerpt(a.value()));
        return new String[] {a.value().substring(0, sp), a.value().substring(sp + 1)};
    }

    /** "mid 0" when the section has one, else "audio #?" style. Used in messages. */
    static String describe(MediaDescription m) {
        String mid = m.mid();
        return mid != null ? "mid " + SdpException.excerpt(mid) : "\"" + m.media() + "\" without a=mid";
    }
}
