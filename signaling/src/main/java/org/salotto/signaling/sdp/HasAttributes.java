package org.salotto.signaling.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Look-ups shared by the session level and the media level. Attribute names compare exactly (case-sensitive). */
public interface HasAttributes {

    List<Attribute> attributes();

    /** The value of the first attribute with this name ("" for a flag), if any. */
    default Optional<String> attribute(String name) {
        for (Attribute a : attributes()) {
            if (a.name().equals(name)) return Optional.of(a.isFlag() ? "" : a.value());
        }
        return Optional.empty();
    }

    /** The values of all attributes with this name, in order ("" for flags). */
    default List<String> attributeValues(String name) {
        List<String> out = new ArrayList<>();
        for (Attribute a : attributes()) if (a.name().equals(name)) out.add(a.isFlag() ? "" : a.value());
        return out;
    }

    default boolean hasAttribute(String name) {
        for (Attribute a : attributes()) if (a.name().equals(name)) return true;
        return false;
    }

    /** The last direction attribute present, or null when there is none. */
    default Direction directionAttribute() {
        Direction found = null;
        for (Attribute a : attributes()) {
            if (a.isFlag()) {
                Direction d = Direction.fromSdpName(a.name());
                if (d != null) found = d;
            }
        }
        return found;
    }
}
