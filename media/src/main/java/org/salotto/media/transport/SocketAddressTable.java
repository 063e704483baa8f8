package org.salotto.media.transport;

import java.net.InetSocketAddress;
import org.salotto.media.udp.LinuxUdp;

/**
 * Socket addresses by their {@link LinuxUdp#key} and back, so that a datagram's source becomes the same
 * {@link InetSocketAddress} object every time (no allocation per datagram, and the transports' address maps keep
 * working) and a destination becomes its key without reading the address's bytes (which copies them). Two
 * open-addressing tables; the reverse one is by identity, since the addresses the loop sends to are the ones this
 * table handed out (ICE binds a check's source). Loop thread only.
 *
 * <p>Bounded: when a table reaches {@link #MAX_ENTRIES} it is emptied and refilled by the traffic (a flood of spoofed
 * sources costs allocations, not memory).
 */
final class SocketAddressTable {
    static final int MAX_ENTRIES = 1 << 16;

    private long[] keys;
    private InetSocketAddress[] byKey;
    private int keyed;
    private InetSocketAddress[] refs;
    private long[] refKeys;
    private int reffed;

    SocketAddressTable() {
        keys = new long[64];
        byKey = new InetSocketAddress[64];
        refs = new InetSocketAddress[64];
        refKeys = new long[64];
    }

    /** The address for a key: the same object as last time while the entry lasts. */
    InetSocketAddress address(long key) {
        int mask = keys.length - 1;
        int i = mix(key) & mask;
        for (InetSocketAddress a; (a = byKey[i]) != null; i = (i + 1) & mask) {
            if (keys[i] == key) return a;
        }
        InetSocketAddress a = LinuxUdp.socketAddress(key);
        if ((keyed + 1) * 2 > keys.length) growKeys();
        putKey(key, a);
        remember(a, key);
        return a;
    }

    /** The key of an address (IPv4 only). */
    long key(InetSocketAddress a) {
        int mask = refs.length - 1;
        int i = System.identityHashCode(a) & mask;
        for (InetSocketAddress r; (r = refs[i]) != null; i = (i + 1) & mask) {
            if (r == a) return refKeys[i];
        }
        long key = LinuxUdp.key(a);
        remember(a, key);
        return key;
    }

    int size() {
        return keyed;
    }

    private void remember(InetSocketAddress a, long key) {
        if ((reffed + 1) * 2 > refs.length) {
            InetSocketAddress[] oldRefs = refs;
            long[] oldKeys = refKeys;
            int capacity = refs.length * 2 > 2 * MAX_ENTRIES ? refs.length : refs.length * 2;
            refs = new InetSocketAddress[capacity];
            refKeys = new long[capacity];
            reffed = 0;
            if (capacity != oldRefs.length) {
                for (int j = 0; j < oldRefs.length; j++) if (oldRefs[j] != null) putRef(oldRefs[j], oldKeys[j]);
            }
        }
        putRef(a, key);
    }

    private void putRef(InetSocketAddress a, long key) {
        int mask = refs.length - 1;
        int i = System.identityHashCode(a) & mask;
        while (refs[i] != null && refs[i] != a) i = (i + 1) & mask;
        if (refs[i] == null) reffed++;
        refs[i] = a;
        refKeys[i] = key;
    }

    private void growKeys() {
        long[] oldKeys = keys;
        InetSocketAddress[] oldValues = byKey;
        int capacity = keys.length * 2 > 2 * MAX_ENTRIES ? keys.length : keys.length * 2;
        keys = new long[capacity];
        byKey = new InetSocketAddress[capacity];
        keyed = 0;
        if (capacity == oldKeys.length) return; // full at the bound: start again
        for (int j = 0; j < oldKeys.length; j++) if (oldValues[j] != null) putKey(oldKeys[j], oldValues[j]);
    }

    private void putKey(long key, InetSocketAddress a) {
        int mask = keys.length - 1;
        int i = mix(key) & mask;
        while (byKey[i] != null && keys[i] != key) i = (i + 1) & mask;
        if (byKey[i] == null) keyed++;
        keys[i] = key;
        byKey[i] = a;
    }

    private static int mix(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
