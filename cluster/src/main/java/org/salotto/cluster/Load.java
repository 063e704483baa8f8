package org.salotto.cluster;

/**
 * How busy a node is, as it last told Redis (every third of its lease): what placement compares.
 *
 * @param participants people in rooms on the node (each costs forwarding, the bulk of a node's work)
 * @param rooms        rooms open on the node
 * @param cpu          the node process's recent CPU use, 0 to 1 (negative: not known)
 */
public record Load(int participants, int rooms, double cpu) implements Comparable<Load> {
    /** A node using this much of its CPU is near saturation: any node below it takes new rooms first. */
    public static final double BUSY_CPU = 0.85;
    public static final Load IDLE = new Load(0, 0, -1);

    public Load {
        if (participants < 0 || rooms < 0) throw new IllegalArgumentException("a load is not negative");
        if (Double.isNaN(cpu)) cpu = -1;
        else if (cpu > 1) cpu = 1;
    }

    public boolean busy() {
        return cpu >= BUSY_CPU;
    }

    /**
     * Less is lighter: a node near its CPU limit is heavier than one that is not; then fewer participants, then fewer
     * rooms. CPU alone is too noisy to compare (one tick of a video burst), the participants are what grows it.
     */
    @Override
    public int compareTo(Load other) {
        if (busy() != other.busy()) return busy() ? 1 : -1;
        int c = Integer.compare(participants, other.participants);
        return c != 0 ? c : Integer.compare(rooms, other.rooms);
    }
}
