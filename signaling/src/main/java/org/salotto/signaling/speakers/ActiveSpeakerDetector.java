package org.salotto.signaling.speakers;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Who speaks in one room, and who holds the floor, from each person's audio levels over fixed intervals.
 *
 * <p>Each interval, each person gets their share of voiced packets (louder than
 * {@link org.salotto.media.forward.AudioLevelMeter#SPEECH_LEVEL_DBOV}), which feeds two moving averages: a short one
 * (weight {@link #SHORT_WEIGHT}) that says whether they keep speaking (at least {@link #SPEAKING}), and a medium one
 * (weight {@link #MEDIUM_WEIGHT}) that says how much they have spoken lately. The list of speakers (the rings) is
 * everyone heard in the interval (a voiced packet) or still speaking by the short average: a ring lights for a single
 * word, as it did when browsers read their own levels. Learnt from Jitsi's
 * DominantSpeakerIdentification (speech activity over short and medium windows, a challenger that must keep ahead),
 * much simpler: no per-packet thresholds learnt from the noise floor, no long window.
 *
 * <p>The dominant speaker: with none yet (or after they left), the first person heard, at once. After that a
 * challenger takes over only after leading the dominant speaker's medium score, and speaking, for the whole
 * {@code takeover} time without a break: one loud interval (a cough, a door) never does it. A dominant speaker who
 * goes quiet keeps the floor until someone else talks for that long, as in a call where the last speaker stays
 * highlighted.
 *
 * <p>Not thread-safe: one thread samples and evaluates (the room's timer). Time is passed in, never read.
 */
public final class ActiveSpeakerDetector {
    /** Weight of the newest interval in the short average: one fully voiced interval makes a person speaking. */
    static final double SHORT_WEIGHT = 0.6;
    /** Weight of the newest interval in the medium average: about the last 4 intervals count. */
    static final double MEDIUM_WEIGHT = 0.25;
    /** A short average at least this high: speaking now. */
    static final double SPEAKING = 0.5;

    /** One person who speaks now. */
    public record Speaker(String participantId, int level) {
    }

    /**
     * What changed.
     *
     * @param dominant the person who holds the floor, or null when nobody has spoken yet
     * @param speakers who speaks now, the most active lately first (the dominant speaker first when they speak),
     *                 each with their loudness in the last interval, 0 (silence) to 127 (0 dBov)
     */
    public record State(String dominant, List<Speaker> speakers) {
        public State {
            speakers = List.copyOf(speakers);
        }

        boolean sameAs(State o) {
            if (!Objects.equals(dominant, o.dominant) || speakers.size() != o.speakers.size()) return false;
            for (int i = 0; i < speakers.size(); i++) {
                if (!speakers.get(i).participantId().equals(o.speakers.get(i).participantId())) return false;
            }
            return true;
        }
    }

    private static final class Person {
        final String id;
        double shortScore;
        double mediumScore;
        int level;
        /** At least one voiced packet in this interval. */
        boolean heard;
        boolean sampled;

        Person(String id) {
            this.id = id;
        }

        /** Keeps speaking: what a challenger must do to take the floor. */
        boolean speaking() {
            return shortScore >= SPEAKING;
        }

        /** On the list of speakers: heard now, or still speaking by the short average. */
        boolean listed() {
            return heard || speaking();
        }
    }

    private final long takeoverNanos;
    private final Map<String, Person> people = new HashMap<>();
    private String dominant;
    private String challenger;
    private long challengerSince;
    private State last = new State(null, List.of());

    /** @param takeoverNanos how long a challenger must lead, without a break, to take the floor; at least 0 */
    public ActiveSpeakerDetector(long takeoverNanos) {
        if (takeoverNanos < 0) throw new IllegalArgumentException("takeover must not be negative");
        this.takeoverNanos = takeoverNanos;
    }

    /**
     * One person's interval: of {@code packets} audio packets with a level, {@code voiced} were voiced, and their
     * mean loudness was {@code loudness} (0..127). A person with audio but no packets this interval (muted, or
     * sending nothing) is sampled with 0 packets. Whoever is not sampled before {@link #evaluate} is forgotten.
     */
    public void sample(String participantId, int packets, int voiced, int loudness) {
        Person p = people.computeIfAbsent(participantId, Person::new);
        double share = packets <= 0 ? 0 : Math.min(1.0, (double) voiced / packets);
        p.shortScore = SHORT_WEIGHT * share + (1 - SHORT_WEIGHT) * p.shortScore;
        p.mediumScore = MEDIUM_WEIGHT * share + (1 - MEDIUM_WEIGHT) * p.mediumScore;
        p.level = packets <= 0 ? 0 : Math.clamp(loudness, 0, 127);
        p.heard = voiced > 0;
        p.sampled = true;
    }

    /**
     * Ends the interval at {@code nowNanos}: forgets who was not sampled, moves the floor if it moves.
     *
     * @return the new state when the dominant speaker or the list of speakers (or its order) changed, else null
     */
    public State evaluate(long nowNanos) {
        for (Iterator<Person> it = people.values().iterator(); it.hasNext(); ) {
            Person p = it.next();
            if (!p.sampled) it.remove();
            p.sampled = false;
        }
        Person current = dominant == null ? null : people.get(dominant);
        if (current == null) dominant = null;

        // The most active of those speaking now, the dominant speaker aside; with nobody on the floor, of those heard.
        Person best = null;
        for (Person p : people.values()) {
            if (p == current || !(current == null ? p.listed() : p.speaking())) continue;
            if (best == null || p.mediumScore > best.mediumScore
                    || p.mediumScore == best.mediumScore && p.id.compareTo(best.id) < 0) {
                best = p;
            }
        }
        if (current == null) {
            if (best != null) dominant = best.id;
            challenger = null;
        } else if (best != null && best.mediumScore > current.mediumScore) {
            if (!best.id.equals(challenger)) {
                challenger = best.id;
                challengerSince = nowNanos;
            }
            if (nowNanos - challengerSince >= takeoverNanos) {
                dominant = best.id;
                challenger = null;
            }
        } else {
            challenger = null; // nobody ahead, or the one ahead stopped: the next lead starts from zero
        }

        List<Person> speaking = new ArrayList<>();
        for (Person p : people.values()) if (p.listed()) speaking.add(p);
        String floor = dominant;
        speaking.sort(Comparator.comparing((Person p) -> !p.id.equals(floor))
                .thenComparing(p -> -p.mediumScore).thenComparing(p -> p.id));
        List<Speaker> speakers = new ArrayList<>(speaking.size());
        for (Person p : speaking) speakers.add(new Speaker(p.id, p.level));
        State next = new State(dominant, speakers);
        if (next.sameAs(last)) return null;
        last = next;
        return next;
    }

    /** The state last returned (empty before anything changed). */
    public State current() {
        return last;
    }
}
