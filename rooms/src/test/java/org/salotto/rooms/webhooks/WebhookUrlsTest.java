package org.salotto.rooms.webhooks;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** What an endpoint's URL may be, and which addresses count as public (docs/security.md "Webhooks"). */
class WebhookUrlsTest {

    @Test
    void onlyHttpAndHttpsWithAHostAndNoUserInfoOrFragment() {
        assertDoesNotThrow(() -> WebhookUrls.parse("https://hooks.example.com/salotto?x=1"));
        assertDoesNotThrow(() -> WebhookUrls.parse("http://203.0.113.7:8080/in"));
        for (String bad : new String[] {"ftp://example.com/", "file:///etc/passwd", "javascript:alert(1)", "//example.com/x",
                "https:///nohost", "https://user:pw@example.com/", "https://example.com/#frag", "not a url", "",
                "https://example.com/" + "a".repeat(WebhookUrls.MAX_LENGTH)}) {
            assertThrows(IllegalArgumentException.class, () -> WebhookUrls.parse(bad), bad);
        }
    }

    @Test
    void nonPublicAddressesAreRefusedUnlessPrivateNetworksAreAllowed() throws Exception {
        for (String host : new String[] {"127.0.0.1", "127.5.6.7", "0.0.0.0", "10.1.2.3", "172.16.0.1", "192.168.1.1",
                "169.254.169.254", "100.64.0.1", "224.0.0.1", "255.255.255.255", "[::1]", "[::]", "[fe80::1]", "[fd00::1]",
                "[::ffff:10.0.0.1]", "[::ffff:127.0.0.1]"}) {
            URI u = WebhookUrls.parse("http://" + host + "/hook");
            assertThrows(IllegalArgumentException.class, () -> WebhookUrls.checkAddress(u, false), host);
            assertDoesNotThrow(() -> WebhookUrls.checkAddress(u, true), host);
        }
        assertDoesNotThrow(() -> WebhookUrls.checkAddress(WebhookUrls.parse("http://203.0.113.7/"), false));
        assertDoesNotThrow(() -> WebhookUrls.checkAddress(WebhookUrls.parse("http://[2001:db8::1]/"), false));
    }

    @Test
    void publicMeansRoutableOnTheInternet() throws Exception {
        assertTrue(WebhookUrls.isPublic(InetAddress.getByName("8.8.8.8")));
        assertTrue(WebhookUrls.isPublic(InetAddress.getByName("2606:4700::1111")));
        assertFalse(WebhookUrls.isPublic(InetAddress.getByName("100.127.255.255")));
        assertTrue(WebhookUrls.isPublic(InetAddress.getByName("100.128.0.1")));
        assertFalse(WebhookUrls.isPublic(InetAddress.getByName("192.0.0.8")));
    }
}
