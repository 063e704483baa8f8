package org.salotto.media.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SrtpProfilesTest {
    @Test
    void prefersAesCmWhateverTheClientsOrder() {
        assertEquals(0x0001, SrtpProfiles.select(new int[]{0x0001, 0x0007}));
        assertEquals(0x0001, SrtpProfiles.select(new int[]{0x0007, 0x0001}));
        assertEquals(0x0007, SrtpProfiles.select(new int[]{0x0002, 0x0007}));
        assertEquals(0x0001, SrtpProfiles.select(new int[]{0x0002, 0x0001}));
        assertEquals(-1, SrtpProfiles.select(new int[]{0x0002, 0x0008}));
        assertEquals(-1, SrtpProfiles.select(new int[0]));
    }

    @Test
    void keyingMaterialIsTwoKeysAndTwoSalts() {
        assertEquals(56, SrtpProfiles.keyingMaterialLength(0x0007));
        assertEquals(60, SrtpProfiles.keyingMaterialLength(0x0001));
        assertThrows(IllegalArgumentException.class, () -> SrtpProfiles.keyingMaterialLength(0x0002));
    }
}
