/*
 * The floor: what any SFU must do per packet it sends, done the fastest way this machine offers, so that Salotto's
 * CPU per packet sent can be given as a ratio to it (docs/performance.md, "The floor"; loadtest/README.md).
 *
 * Per packet received from the publisher: authenticate and decrypt it (SRTP, RFC 3711: the publisher's key is not a
 * subscriber's, so an SFU has to), check it against a replay window. Per subscriber: copy it, rewrite SSRC, sequence
 * number and timestamp (64-bit offsets, as Salotto's RtpRewriter), SRTP-protect the copy with that subscriber's own
 * session keys (AES-128 counter mode and HMAC-SHA1 truncated to 80 bits: SRTP_AES128_CM_HMAC_SHA1_80, the profile
 * Salotto picks), and queue it; the queue goes out with sendmmsg, 256 datagrams a call, from one UDP socket to the N
 * subscribers' sockets. Nothing is allocated per packet. The crypto is OpenSSL's libcrypto: AES with AES-NI (the
 * counter blocks of a whole packet in one ECB call, so the cipher pipelines them and is never re-keyed or re-IVed),
 * SHA-1 with the SHA extensions where the CPU has them, the HMAC's inner and outer states hashed once per key.
 *
 *   floor bench --subscribers N --rate PPS --payload BYTES [--extension-bytes 12] [--seconds 20] [--warmup 3]
 *       (--extension-bytes: the RTP header extension block, its 4-byte header included: 12 as the load generator's
 *       audio, with audio level and transport-wide sequence; 8 as its video, transport-wide sequence only; 0: none.)
 *       Three threads: a source that sends the publisher's SRTP packets at PPS to the forwarder's socket, the
 *       forwarder (the SFU's work above, and only it is measured: getrusage(RUSAGE_THREAD), user + system, over the
 *       window after the warm-up), a sink that drains the N subscriber sockets. Prints one line of key=value pairs.
 *   floor forward --publisher KEYSALT --sink PORT:KEYSALT [--sink ...] --packets K
 *       The forwarder alone, for tests: prints "port P", forwards K packets received on 127.0.0.1:P to the sinks on
 *       127.0.0.1, then prints its counters. KEYSALT: the SRTP master key and master salt in hex (16 + 14 bytes).
 *   floor selftest
 *       RFC 3711 appendix B.2 and B.3 (key derivation, AES-CM keystream): exit status 0 when they match.
 *
 * Subscriber i's stream: SSRC 0x10000000 + i, sequence number + 7919 * i, timestamp + 90000 * i.
 *
 * Built by the load generator (FloorBinary.java): gcc -O2 -march=native floor.c -lcrypto -lpthread.
 */
#define _GNU_SOURCE
#define OPENSSL_API_COMPAT 0x10100000L
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define KEY_LEN 16
#define SALT_LEN 14
#define AUTH_KEY_LEN 20
#define TAG_LEN 10
#define MAX_PACKET 1500
#define RECV_BATCH 64
#define SEND_BATCH 256
#define MAX_SUBSCRIBERS 10000

static void die(const char *what) {
    fprintf(stderr, "floor: %s: %s\n", what, errno ? strerror(errno) : "failed");
    exit(1);
}

/* ---------------------------------------------------------------- SRTP, AES128_CM_HMAC_SHA1_80, one direction */

typedef struct {
    EVP_CIPHER_CTX *aes; /* AES-128-ECB with the session key: counter blocks in, keystream out */
    uint8_t salt[SALT_LEN];
    SHA_CTX inner, outer; /* HMAC-SHA1: the states after the key XOR ipad and XOR opad blocks */
} srtp_ctx;

/* Keystream scratch, one per thread (shared by every context, so N subscribers do not spread it over the caches):
 * one packet's counter blocks and their encryption. */
static __thread uint8_t counters[MAX_PACKET + 16] __attribute__((aligned(64)));
static __thread uint8_t stream[MAX_PACKET + 32] __attribute__((aligned(64)));

static EVP_CIPHER_CTX *aes_ecb(const uint8_t key[KEY_LEN]) {
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    if (!c || EVP_EncryptInit_ex(c, EVP_aes_128_ecb(), NULL, key, NULL) != 1) die("AES key");
    EVP_CIPHER_CTX_set_padding(c, 0);
    return c;
}

/* AES-CM keystream (RFC 3711 4.1.1) for iv (16 bytes, the counter in its last two), len bytes, into stream. */
static void keystream(EVP_CIPHER_CTX *aes, const uint8_t iv[16], int len) {
    int blocks = (len + 15) / 16, out;
    for (int b = 0; b < blocks; b++) {
        uint8_t *c = counters + 16 * b;
        memcpy(c, iv, 14);
        uint16_t n = (uint16_t)(((iv[14] << 8) | iv[15]) + b);
        c[14] = (uint8_t)(n >> 8);
        c[15] = (uint8_t)n;
    }
    if (EVP_EncryptUpdate(aes, stream, &out, counters, 16 * blocks) != 1 || out != 16 * blocks) die("AES");
}

static void xor_bytes(uint8_t *dst, const uint8_t *ks, int len) {
    int i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t a, b;
        memcpy(&a, dst + i, 8);
        memcpy(&b, ks + i, 8);
        a ^= b;
        memcpy(dst + i, &a, 8);
    }
    for (; i < len; i++) dst[i] ^= ks[i];
}

/* The KDF of RFC 3711 4.3 with key derivation rate 0: AES-CM(master key, (label at byte 7 XOR salt) * 2^16). */
static void kdf(const uint8_t mkey[KEY_LEN], const uint8_t msalt[SALT_LEN], int label, uint8_t *out, int len) {
    uint8_t iv[16] = {0};
    memcpy(iv, msalt, SALT_LEN);
    iv[7] ^= (uint8_t)label;
    EVP_CIPHER_CTX *aes = aes_ecb(mkey);
    keystream(aes, iv, len);
    memcpy(out, stream, len);
    EVP_CIPHER_CTX_free(aes);
}

static void srtp_init(srtp_ctx *ctx, const uint8_t mkey[KEY_LEN], const uint8_t msalt[SALT_LEN]) {
    uint8_t key[KEY_LEN], auth[AUTH_KEY_LEN], pad[64];
    kdf(mkey, msalt, 0, key, KEY_LEN);
    kdf(mkey, msalt, 1, auth, AUTH_KEY_LEN);
    kdf(mkey, msalt, 2, ctx->salt, SALT_LEN);
    ctx->aes = aes_ecb(key);
    memset(pad, 0x36, 64);
    for (int i = 0; i < AUTH_KEY_LEN; i++) pad[i] ^= auth[i];
    SHA1_Init(&ctx->inner);
    SHA1_Update(&ctx->inner, pad, 64);
    memset(pad, 0x5c, 64);
    for (int i = 0; i < AUTH_KEY_LEN; i++) pad[i] ^= auth[i];
    SHA1_Init(&ctx->outer);
    SHA1_Update(&ctx->outer, pad, 64);
}

/* HMAC-SHA1 over p[0, len) and the rollover counter, truncated: tag gets TAG_LEN bytes. */
static void srtp_tag(const srtp_ctx *ctx, const uint8_t *p, int len, uint32_t roc, uint8_t *tag) {
    uint8_t digest[SHA_DIGEST_LENGTH];
    uint8_t r[4] = {(uint8_t)(roc >> 24), (uint8_t)(roc >> 16), (uint8_t)(roc >> 8), (uint8_t)roc};
    SHA_CTX c = ctx->inner;
    SHA1_Update(&c, p, len);
    SHA1_Update(&c, r, 4);
    SHA1_Final(digest, &c);
    c = ctx->outer;
    SHA1_Update(&c, digest, SHA_DIGEST_LENGTH);
    SHA1_Final(digest, &c);
    memcpy(tag, digest, TAG_LEN);
}

/* Encrypts p[header, len) with the keystream of (ssrc, index): IV = salt * 2^16 XOR ssrc * 2^64 XOR index * 2^16. */
static void srtp_crypt(const srtp_ctx *ctx, uint8_t *p, int header, int len, uint32_t ssrc, uint64_t index) {
    uint8_t iv[16] = {0};
    memcpy(iv, ctx->salt, SALT_LEN);
    iv[4] ^= (uint8_t)(ssrc >> 24); iv[5] ^= (uint8_t)(ssrc >> 16); iv[6] ^= (uint8_t)(ssrc >> 8); iv[7] ^= (uint8_t)ssrc;
    for (int i = 0; i < 6; i++) iv[8 + i] ^= (uint8_t)(index >> (40 - 8 * i));
    keystream(ctx->aes, iv, len - header);
    xor_bytes(p + header, stream, len - header);
}

static inline uint32_t get32(const uint8_t *p) { return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]; }
static inline void put32(uint8_t *p, uint32_t v) { p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v; }
static inline void put16(uint8_t *p, uint32_t v) { p[0] = v >> 8; p[1] = v; }

/* The RTP header's length (fixed part, CSRCs, extension block), or -1 if it does not fit in len. */
static int rtp_header_length(const uint8_t *p, int len) {
    if (len < 12 || (p[0] & 0xC0) != 0x80) return -1;
    int h = 12 + 4 * (p[0] & 0x0F);
    if (p[0] & 0x10) {
        if (len < h + 4) return -1;
        h += 4 + 4 * ((p[h + 2] << 8) | p[h + 3]);
    }
    return h <= len ? h : -1;
}

/* RFC 3711 3.3.1: the index (ROC * 2^16 + SEQ) closest to the highest so far. */
static int64_t estimate_index(int64_t highest, int seq) {
    if (highest < 0) return seq;
    int64_t roc = highest >> 16, guess;
    int hs = (int)(highest & 0xFFFF);
    if (hs < 0x8000) guess = seq - hs > 0x8000 ? roc - 1 : roc;
    else guess = hs - 0x8000 > seq ? roc + 1 : roc;
    return guess < 0 ? -1 : guess << 16 | seq;
}

/* ---------------------------------------------------------------- the forwarder */

typedef struct {
    srtp_ctx srtp;
    struct sockaddr_in addr;
    uint32_t ssrc;
    int64_t seq_offset;
    uint32_t ts_offset;
} subscriber;

typedef struct {
    int sock;
    srtp_ctx in;
    int64_t highest; /* the publisher's highest index, -1 before the first packet */
    uint64_t window;  /* replay window: bit i set = highest - i seen */
    int n;
    subscriber *subs;
    /* receive side */
    struct mmsghdr rmsg[RECV_BATCH];
    struct iovec riov[RECV_BATCH];
    uint8_t rbuf[RECV_BATCH][MAX_PACKET];
    /* send side: SEND_BATCH slots */
    struct mmsghdr smsg[SEND_BATCH];
    struct iovec siov[SEND_BATCH];
    uint8_t sbuf[SEND_BATCH][MAX_PACKET + TAG_LEN] __attribute__((aligned(64)));
    int queued;
    /* counters */
    uint64_t packets_in, datagrams_sent, dropped_auth, dropped_replay, dropped_malformed, send_errors;
} forwarder;

static void flush(forwarder *f) {
    int done = 0;
    while (done < f->queued) {
        int r = sendmmsg(f->sock, f->smsg + done, f->queued - done, 0);
        if (r < 0) {
            if (errno == EINTR) continue;
            f->send_errors++; /* the datagram that failed is skipped, the rest still go */
            done++;
            continue;
        }
        done += r;
        f->datagrams_sent += r;
    }
    f->queued = 0;
}

static void forward_one(forwarder *f, uint8_t *p, int len) {
    int header = rtp_header_length(p, len - TAG_LEN);
    if (header < 0) { f->dropped_malformed++; return; }
    int body = len - TAG_LEN;
    uint32_t ssrc = get32(p + 8);
    int64_t index = estimate_index(f->highest, (p[2] << 8) | p[3]);
    if (index < 0) { f->dropped_replay++; return; }
    if (f->highest >= 0) {
        int64_t delta = index - f->highest;
        if (delta <= 0 && (-delta >= 64 || (f->window >> -delta) & 1)) { f->dropped_replay++; return; }
    }
    uint8_t tag[TAG_LEN];
    srtp_tag(&f->in, p, body, (uint32_t)(index >> 16), tag);
    if (CRYPTO_memcmp(tag, p + body, TAG_LEN) != 0) { f->dropped_auth++; return; }
    srtp_crypt(&f->in, p, header, body, ssrc, index);
    if (f->highest < 0) { f->highest = index; f->window = 1; }
    else if (index > f->highest) {
        int64_t shift = index - f->highest;
        f->window = shift >= 64 ? 1 : f->window << shift | 1;
        f->highest = index;
    } else f->window |= 1ULL << (f->highest - index);
    if (f->packets_in++ == 0) {
        /* Each subscriber's stream starts with rollover counter 0, as its receiver assumes (RFC 3711 3.3.1): the
         * offset of its 64-bit index keeps the rewritten sequence number and drops the publisher's ROC. */
        for (int i = 0; i < f->n; i++) {
            subscriber *s = &f->subs[i];
            s->seq_offset -= ((index + s->seq_offset) >> 16) << 16;
        }
    }
    uint32_t ts = get32(p + 4);
    for (int i = 0; i < f->n; i++) {
        subscriber *s = &f->subs[i];
        uint8_t *out = f->sbuf[f->queued];
        memcpy(out, p, body);
        int64_t oindex = index + s->seq_offset;
        if (oindex < 0) continue; /* older than the subscriber stream's first packet: nothing to number it with */
        put16(out + 2, (uint32_t)oindex);
        put32(out + 4, ts + s->ts_offset);
        put32(out + 8, s->ssrc);
        srtp_crypt(&s->srtp, out, header, body, s->ssrc, (uint64_t)oindex);
        srtp_tag(&s->srtp, out, body, (uint32_t)(oindex >> 16), out + body);
        f->siov[f->queued].iov_len = body + TAG_LEN;
        f->smsg[f->queued].msg_hdr.msg_name = &s->addr;
        if (++f->queued == SEND_BATCH) flush(f);
    }
}

static void forwarder_init(forwarder *f, int sock, const uint8_t *pkey, const uint8_t *psalt, int n, subscriber *subs) {
    memset(f, 0, sizeof *f);
    f->sock = sock;
    f->highest = -1;
    f->n = n;
    f->subs = subs;
    srtp_init(&f->in, pkey, psalt);
    for (int i = 0; i < RECV_BATCH; i++) {
        f->riov[i].iov_base = f->rbuf[i];
        f->riov[i].iov_len = MAX_PACKET;
        f->rmsg[i].msg_hdr.msg_iov = &f->riov[i];
        f->rmsg[i].msg_hdr.msg_iovlen = 1;
    }
    for (int i = 0; i < SEND_BATCH; i++) {
        f->siov[i].iov_base = f->sbuf[i];
        f->smsg[i].msg_hdr.msg_iov = &f->siov[i];
        f->smsg[i].msg_hdr.msg_iovlen = 1;
        f->smsg[i].msg_hdr.msg_namelen = sizeof(struct sockaddr_in);
    }
}

/* One recvmmsg (waiting for the first datagram, taking what else is queued) and everything it brought, sent. */
static int forward_batch(forwarder *f) {
    int r = recvmmsg(f->sock, f->rmsg, RECV_BATCH, MSG_WAITFORONE, NULL);
    if (r < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
    for (int i = 0; i < r; i++) forward_one(f, f->rbuf[i], (int)f->rmsg[i].msg_len);
    if (f->queued) flush(f);
    return r;
}

static void subscriber_init(subscriber *s, int i, uint16_t port, const uint8_t *key, const uint8_t *salt) {
    srtp_init(&s->srtp, key, salt);
    s->addr.sin_family = AF_INET;
    s->addr.sin_port = htons(port);
    s->addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    s->ssrc = 0x10000000u + (uint32_t)i;
    s->seq_offset = (int64_t)((7919u * (uint32_t)i) & 0xFFFF);
    s->ts_offset = 90000u * (uint32_t)i;
}

static int udp_socket(uint16_t port, int rcvbuf) {
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    if (s < 0) die("socket");
    if (rcvbuf > 0) setsockopt(s, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (bind(s, (struct sockaddr *)&a, sizeof a) < 0) die("bind");
    return s;
}

static uint16_t local_port(int s) {
    struct sockaddr_in a;
    socklen_t l = sizeof a;
    if (getsockname(s, (struct sockaddr *)&a, &l) < 0) die("getsockname");
    return ntohs(a.sin_port);
}

static double now_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static double thread_cpu(double *user, double *system) {
    struct rusage u;
    getrusage(RUSAGE_THREAD, &u);
    *user = u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6;
    *system = u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6;
    return *user + *system;
}

static int hex_bytes(const char *hex, uint8_t *out, int n) {
    if ((int)strlen(hex) != 2 * n) return -1;
    for (int i = 0; i < n; i++) {
        unsigned v;
        if (sscanf(hex + 2 * i, "%2x", &v) != 1) return -1;
        out[i] = (uint8_t)v;
    }
    return 0;
}

/* ---------------------------------------------------------------- bench: source, forwarder, sink */

static atomic_int stopping;

typedef struct {
    int sock;
    uint16_t to_port;
    double rate;
    int payload, extension_bytes;
    uint8_t key[KEY_LEN], salt[SALT_LEN];
    uint64_t sent;
} source_args;

/* The publisher: RTP with a one-byte extension block (audio level, transport-wide sequence, padding, as the load
 * generator writes), the payload, SRTP-protected with the publisher's key, one datagram every 1/rate s. */
static void *source_main(void *arg) {
    source_args *a = arg;
    static srtp_ctx ctx;
    srtp_init(&ctx, a->key, a->salt);
    uint8_t p[MAX_PACKET];
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(a->to_port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    uint32_t ssrc = 0x0AB0CAFE, ts = 12345;
    uint64_t index = 40000;
    struct timespec next;
    clock_gettime(CLOCK_MONOTONIC, &next);
    long interval = (long)(1e9 / a->rate);
    while (!atomic_load(&stopping)) {
        int h = 12;
        p[0] = 0x80 | (a->extension_bytes > 0 ? 0x10 : 0);
        p[1] = 111;
        put16(p + 2, (uint32_t)index);
        put32(p + 4, ts);
        put32(p + 8, ssrc);
        if (a->extension_bytes > 0) { /* RFC 8285 one-byte elements: 4-byte block header, then the elements */
            int e = 16;
            put16(p + 12, 0xBEDE);
            put16(p + 14, (uint32_t)(a->extension_bytes / 4 - 1));
            memset(p + 16, 0, a->extension_bytes - 4);
            if (a->extension_bytes >= 12) { p[e++] = 1 << 4; p[e++] = 0x80 | 30; } /* audio level, -30 dBov */
            p[e++] = 3 << 4 | 1; put16(p + e, (uint32_t)index);                   /* transport-wide sequence */
            h = 12 + a->extension_bytes;
        }
        for (int i = 0; i < a->payload; i++) p[h + i] = (uint8_t)(i * 31 + index);
        int len = h + a->payload;
        srtp_crypt(&ctx, p, h, len, ssrc, index);
        srtp_tag(&ctx, p, len, (uint32_t)(index >> 16), p + len);
        if (sendto(a->sock, p, len + TAG_LEN, 0, (struct sockaddr *)&to, sizeof to) == len + TAG_LEN) a->sent++;
        index++;
        ts += 960;
        next.tv_nsec += interval;
        while (next.tv_nsec >= 1000000000L) { next.tv_nsec -= 1000000000L; next.tv_sec++; }
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
    }
    return NULL;
}

typedef struct {
    int n, *socks;
    uint64_t received;
} sink_args;

static void *sink_main(void *arg) {
    sink_args *a = arg;
    int ep = epoll_create1(0);
    if (ep < 0) die("epoll");
    for (int i = 0; i < a->n; i++) {
        struct epoll_event e = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
        if (epoll_ctl(ep, EPOLL_CTL_ADD, a->socks[i], &e) < 0) die("epoll_ctl");
    }
    static struct mmsghdr m[RECV_BATCH];
    static struct iovec v[RECV_BATCH];
    static uint8_t b[RECV_BATCH][MAX_PACKET];
    for (int i = 0; i < RECV_BATCH; i++) {
        v[i].iov_base = b[i]; v[i].iov_len = MAX_PACKET;
        m[i].msg_hdr.msg_iov = &v[i]; m[i].msg_hdr.msg_iovlen = 1;
    }
    struct epoll_event ev[256];
    while (!atomic_load(&stopping)) {
        int k = epoll_wait(ep, ev, 256, 100);
        for (int i = 0; i < k; i++) {
            int r;
            while ((r = recvmmsg(a->socks[ev[i].data.u32], m, RECV_BATCH, MSG_DONTWAIT, NULL)) > 0) a->received += r;
        }
    }
    close(ep);
    return NULL;
}

static double arg_number(int argc, char **argv, const char *name, double fallback) {
    for (int i = 2; i + 1 < argc; i++) if (strcmp(argv[i], name) == 0) {
        char *end;
        double v = strtod(argv[i + 1], &end);
        if (*end || v < 0) { fprintf(stderr, "floor: %s takes a number, not '%s'\n", name, argv[i + 1]); exit(2); }
        return v;
    }
    return fallback;
}

static int bench(int argc, char **argv) {
    int n = (int)arg_number(argc, argv, "--subscribers", 100);
    double rate = arg_number(argc, argv, "--rate", 50);
    int payload = (int)arg_number(argc, argv, "--payload", 100);
    int ext = (int)arg_number(argc, argv, "--extension-bytes", 12);
    double seconds = arg_number(argc, argv, "--seconds", 20), warmup = arg_number(argc, argv, "--warmup", 3);
    if (n < 1 || n > MAX_SUBSCRIBERS || rate <= 0 || payload < 1 || ext % 4 || (ext > 0 && ext < 8)
        || 12 + ext + payload + TAG_LEN > MAX_PACKET || seconds <= 0) {
        fprintf(stderr, "floor: bad arguments (subscribers 1..%d, rate > 0, extension bytes 0 or a multiple of 4 "
                        "from 8, the packet within %d bytes, seconds > 0)\n", MAX_SUBSCRIBERS, MAX_PACKET);
        return 2;
    }
    int *sinks = malloc(sizeof(int) * n);
    subscriber *subs = calloc(n, sizeof(subscriber));
    static forwarder f;
    if (!sinks || !subs) die("memory");
    uint8_t key[KEY_LEN + SALT_LEN];
    for (int i = 0; i < n; i++) {
        sinks[i] = udp_socket(0, 0);
        if (RAND_bytes(key, sizeof key) != 1) die("random");
        subscriber_init(&subs[i], i, local_port(sinks[i]), key, key + KEY_LEN);
    }
    source_args src = {.sock = udp_socket(0, 0), .rate = rate, .payload = payload, .extension_bytes = ext};
    if (RAND_bytes(src.key, KEY_LEN) != 1 || RAND_bytes(src.salt, SALT_LEN) != 1) die("random");
    int fsock = udp_socket(0, 4 << 20);
    struct timeval tv = {.tv_sec = 0, .tv_usec = 200000};
    setsockopt(fsock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    src.to_port = local_port(fsock);
    forwarder_init(&f, fsock, src.key, src.salt, n, subs);
    sink_args sink = {.n = n, .socks = sinks};
    pthread_t ts, tk;
    pthread_create(&tk, NULL, sink_main, &sink);
    pthread_create(&ts, NULL, source_main, &src);
    double start = now_seconds(), u0 = 0, s0 = 0, u1, s1, t0 = 0;
    uint64_t in0 = 0, out0 = 0, recv0 = 0;
    int measuring = 0;
    for (;;) {
        if (forward_batch(&f) < 0) die("recvmmsg");
        double t = now_seconds();
        if (!measuring && t - start >= warmup) {
            measuring = 1;
            thread_cpu(&u0, &s0);
            t0 = t; in0 = f.packets_in; out0 = f.datagrams_sent; recv0 = sink.received;
        } else if (measuring && t - t0 >= seconds) break;
    }
    thread_cpu(&u1, &s1);
    double t1 = now_seconds();
    uint64_t in = f.packets_in - in0, out = f.datagrams_sent - out0;
    atomic_store(&stopping, 1);
    pthread_join(ts, NULL);
    pthread_join(tk, NULL);
    double cpu = (u1 - u0) + (s1 - s0);
    printf("floor subscribers=%d rate=%.1f payload=%d extension_bytes=%d datagram_bytes=%d seconds=%.3f "
           "packets_in=%llu datagrams_sent=%llu sink_received=%llu cpu_user_s=%.6f cpu_system_s=%.6f "
           "us_per_packet_sent=%.4f dropped_auth=%llu dropped_replay=%llu send_errors=%llu\n",
           n, rate, payload, ext, 12 + ext + payload + TAG_LEN, t1 - t0,
           (unsigned long long)in, (unsigned long long)out, (unsigned long long)(sink.received - recv0),
           u1 - u0, s1 - s0, out ? cpu * 1e6 / out : -1.0, (unsigned long long)f.dropped_auth,
           (unsigned long long)f.dropped_replay, (unsigned long long)f.send_errors);
    return 0;
}

/* ---------------------------------------------------------------- forward: the forwarder alone, for tests */

static int forward_mode(int argc, char **argv) {
    uint8_t pkey[KEY_LEN + SALT_LEN];
    int have_publisher = 0, n = 0;
    long packets = -1;
    subscriber *subs = calloc(argc, sizeof(subscriber));
    if (!subs) die("memory");
    for (int i = 2; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--publisher") == 0) {
            if (hex_bytes(argv[i + 1], pkey, sizeof pkey) < 0) { fprintf(stderr, "floor: bad --publisher\n"); return 2; }
            have_publisher = 1;
        } else if (strcmp(argv[i], "--sink") == 0) {
            uint8_t k[KEY_LEN + SALT_LEN];
            char *colon = strchr(argv[i + 1], ':');
            int port = atoi(argv[i + 1]);
            if (!colon || port <= 0 || port > 65535 || hex_bytes(colon + 1, k, sizeof k) < 0) {
                fprintf(stderr, "floor: bad --sink %s (PORT:KEYSALT)\n", argv[i + 1]);
                return 2;
            }
            subscriber_init(&subs[n], n, (uint16_t)port, k, k + KEY_LEN);
            n++;
        } else if (strcmp(argv[i], "--packets") == 0) {
            packets = atol(argv[i + 1]);
        } else {
            fprintf(stderr, "floor: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    if (!have_publisher || n == 0 || packets <= 0) {
        fprintf(stderr, "floor forward: --publisher, one --sink or more and --packets are needed\n");
        return 2;
    }
    static forwarder f;
    int sock = udp_socket(0, 1 << 20);
    forwarder_init(&f, sock, pkey, pkey + KEY_LEN, n, subs);
    printf("port %u\n", local_port(sock));
    fflush(stdout);
    long seen = 0;
    while (seen < packets) {
        int r = forward_batch(&f);
        if (r < 0) die("recvmmsg");
        seen += r;
    }
    printf("floor packets_in=%llu datagrams_sent=%llu dropped_auth=%llu dropped_replay=%llu dropped_malformed=%llu "
           "send_errors=%llu\n", (unsigned long long)f.packets_in, (unsigned long long)f.datagrams_sent,
           (unsigned long long)f.dropped_auth, (unsigned long long)f.dropped_replay,
           (unsigned long long)f.dropped_malformed, (unsigned long long)f.send_errors);
    return 0;
}

/* ---------------------------------------------------------------- selftest: RFC 3711 appendix B */

static int expect(const char *what, const uint8_t *got, const char *hex, int n) {
    uint8_t want[64];
    hex_bytes(hex, want, n);
    if (memcmp(got, want, n) == 0) return 0;
    fprintf(stderr, "floor selftest: %s differs from RFC 3711\n", what);
    return 1;
}

static int selftest(void) {
    uint8_t mkey[KEY_LEN], msalt[SALT_LEN], out[64];
    int bad = 0;
    /* B.3: key derivation */
    hex_bytes("E1F97A0D3E018BE0D64FA32C06DE4139", mkey, KEY_LEN);
    hex_bytes("0EC675AD498AFEEBB6960B3AABE6", msalt, SALT_LEN);
    kdf(mkey, msalt, 0, out, 16);
    bad |= expect("cipher key", out, "C61E7A93744F39EE10734AFE3FF7A087", 16);
    kdf(mkey, msalt, 2, out, 14);
    bad |= expect("cipher salt", out, "30CBBC08863D8C85D49DB34A9AE1", 14);
    kdf(mkey, msalt, 1, out, 20);
    bad |= expect("auth key", out, "CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4", 20);
    /* B.2: AES-CM keystream */
    uint8_t key[KEY_LEN], iv[16];
    hex_bytes("2B7E151628AED2A6ABF7158809CF4F3C", key, KEY_LEN);
    hex_bytes("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000", iv, 16);
    EVP_CIPHER_CTX *aes = aes_ecb(key);
    keystream(aes, iv, 48);
    EVP_CIPHER_CTX_free(aes);
    bad |= expect("keystream", stream,
                  "E03EAD0935C95E80E166B16DD92B4EB4D23513162B02D0F72A43A2FE4A5F97AB41E95B3BB0A2E8DD477901E4FCA894C0", 48);
    if (!bad) puts("floor selftest: RFC 3711 B.2 and B.3 match");
    return bad;
}

int main(int argc, char **argv) {
    if (argc >= 2 && strcmp(argv[1], "bench") == 0) return bench(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "forward") == 0) return forward_mode(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "selftest") == 0) return selftest();
    fprintf(stderr, "usage: floor bench|forward|selftest ... (see the comment at the top of floor.c)\n");
    return 2;
}
