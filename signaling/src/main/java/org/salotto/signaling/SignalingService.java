package org.salotto.signaling;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.salotto.media.MediaServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signaling entry point: a conference per room id, created on first use and dropped when the layer above
 * releases it empty. Who joins which conference with which rights is the layer above's decision.
 *
 * <p>One timer thread ({@code active-speakers}) evaluates every conference's active speakers each interval
 * ({@link Conference#evaluateSpeakers}); a room without audio costs it one volatile read.
 */
public final class SignalingService implements AutoCloseable {
    public static final Duration ACTIVE_SPEAKER_INTERVAL = Duration.ofMillis(200);
    public static final Duration ACTIVE_SPEAKER_TAKEOVER = Duration.ofMillis(600);
    private static final Logger log = LoggerFactory.getLogger(SignalingService.class);

    private final MediaServer media;
    private final String announceAddress;
    private final int announcePort;
    private final long takeoverNanos;
    private final int audienceAudioSlots;
    /** The default of media.audience-audio-slots: 3 (the stage's three loudest speakers). */
    public static final int AUDIENCE_AUDIO_SLOTS = 3;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, Conference> conferences = new ConcurrentHashMap<>();
    private final ScheduledExecutorService speakerTimer;
    private volatile boolean redForOpus = true;
    /** The default of media.audience-video-slots: 4 (a live's whole stage). */
    public static final int AUDIENCE_VIDEO_SLOTS = 4;
    private volatile int audienceVideoSlots = AUDIENCE_VIDEO_SLOTS;

    public SignalingService(MediaServer media, String announceAddress, int announcePort) {
        this(media, announceAddress, announcePort, ACTIVE_SPEAKER_INTERVAL, ACTIVE_SPEAKER_TAKEOVER, System::nanoTime);
    }

    /**
     * @param speakerInterval how often active speakers are evaluated (media.active-speaker-interval)
     * @param speakerTakeover how long a challenger must out-talk the dominant speaker (media.active-speaker-takeover)
     * @param nanoClock       the time the detectors go by ({@link System#nanoTime} but in tests)
     */
    public SignalingService(MediaServer media, String announceAddress, int announcePort, Duration speakerInterval,
                            Duration speakerTakeover, LongSupplier nanoClock) {
        this(media, announceAddress, announcePort, speakerInterval, speakerTakeover, AUDIENCE_AUDIO_SLOTS, nanoClock);
    }

    /** @param audienceAudioSlots how many audio slots each audience member has (media.audience-audio-slots) */
    public SignalingService(MediaServer media, String announceAddress, int announcePort, Duration speakerInterval,
                            Duration speakerTakeover, int audienceAudioSlots, LongSupplier nanoClock) {
        this.audienceAudioSlots = audienceAudioSlots;
        this.media = media;
        this.announceAddress = announceAddress;
        this.announcePort = announcePort;
        this.takeoverNanos = speakerTakeover.toNanos();
        this.nanoClock = nanoClock;
        this.speakerTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "active-speakers");
            t.setDaemon(true);
            return t;
        });
        long every = speakerInterval.toNanos();
        speakerTimer.scheduleAtFixedRate(this::evaluateSpeakers, every, every, TimeUnit.NANOSECONDS);
    }

    /**
     * Whether publishers that offer RED around Opus (RFC 2198) are answered with it (media.red-for-opus; on unless
     * set): rooms opened from now on take it.
     */
    public void setRedForOpus(boolean redForOpus) {
        this.redForOpus = redForOpus;
    }

    /**
     * At most how many video slots a live's viewers get (media.audience-video-slots; 0: a video m-section per track):
     * rooms opened from now on take it.
     */
    public void setAudienceVideoSlots(int slots) {
        if (slots < 0) throw new IllegalArgumentException("negative slots");
        this.audienceVideoSlots = slots;
    }

    /** A room's conference if there is one now, else null (nothing made). */
    public Conference existing(String roomId) {
        return conferences.get(roomId);
    }

    /** The conference of a room without video slots for its audience (a call, a space), created if needed. */
    public Conference conference(String roomId) {
        return conference(roomId, 0);
    }

    /**
     * The conference of a room, created if needed: one whose audience watches a stage of {@code stageVideo} cameras (a
     * live's stage size) gets that many video slots for it, at most media.audience-video-slots.
     */
    public Conference conference(String roomId, int stageVideo) {
        return conferences.computeIfAbsent(roomId,
                r -> new Conference(r, media, announceAddress, announcePort, takeoverNanos, audienceAudioSlots,
                        Math.min(Math.max(0, stageVideo), audienceVideoSlots), redForOpus));
    }

    /** Forgets a room's conference if nobody is in it (atomic, so nobody joins a dropped one). */
    public void release(String roomId) {
        conferences.computeIfPresent(roomId, (k, c) -> c.size() == 0 ? null : c);
    }

    public int participantCount() {
        int n = 0;
        for (Conference c : conferences.values()) n += c.size();
        return n;
    }

    /** One interval of every room's active-speaker detection (the timer thread; tests call it on their clock). */
    void evaluateSpeakers() {
        long now = nanoClock.getAsLong();
        for (Conference c : conferences.values()) {
            try {
                c.evaluateSpeakers(now);
            } catch (RuntimeException e) {
                // A failure must not cancel the timer (a scheduled task that throws never runs again).
                log.warn("room {}: active speakers not evaluated", c.name(), e);
            }
        }
    }

    @Override
    public void close() {
        speakerTimer.shutdownNow();
        conferences.clear();
    }
}
