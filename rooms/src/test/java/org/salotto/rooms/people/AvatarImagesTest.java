package org.salotto.rooms.people;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.salotto.rooms.RoomException;
import org.salotto.signaling.protocol.ErrorCode;

/** What the server makes of uploaded avatars: its own 256x256 PNG of the centred square, or a clear refusal. */
class AvatarImagesTest {

    @Test
    void aTallGifIsCroppedToItsMiddleSquareAndWrittenAsPng() throws Exception {
        // 100 wide, 300 tall: green band in the middle third, red above and below.
        BufferedImage tall = new BufferedImage(100, 300, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = tall.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 100, 300);
        g.setColor(Color.GREEN);
        g.fillRect(0, 100, 100, 100);
        g.dispose();
        byte[] png = AvatarImages.reencode(encode(tall, "gif"));
        assertTrue(Arrays.equals(Arrays.copyOf(png, 8), new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}));
        BufferedImage out = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(AvatarImages.SIZE, out.getWidth());
        assertEquals(AvatarImages.SIZE, out.getHeight());
        for (int[] xy : new int[][] {{2, 2}, {253, 253}, {128, 128}}) {
            Color c = new Color(out.getRGB(xy[0], xy[1]));
            assertTrue(c.getGreen() > 200 && c.getRed() < 60, "green at " + xy[0] + "," + xy[1] + ": " + c);
        }
    }

    @Test
    void aSmallImageIsScaledUp() throws Exception {
        BufferedImage tiny = new BufferedImage(3, 3, BufferedImage.TYPE_INT_ARGB);
        BufferedImage out = ImageIO.read(new ByteArrayInputStream(AvatarImages.reencode(encode(tiny, "png"))));
        assertEquals(AvatarImages.SIZE, out.getWidth());
    }

    @Test
    void whatIsNotAReadableImageIsRefusedWithAReason() throws Exception {
        byte[] png = encode(new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB), "png");
        RoomException truncated = assertThrows(RoomException.class, () -> AvatarImages.reencode(Arrays.copyOf(png, png.length / 2)));
        assertEquals(ErrorCode.UNSUPPORTED_MEDIA_TYPE, truncated.errorCode());
        RoomException html = assertThrows(RoomException.class, () -> AvatarImages.reencode("<html>".getBytes()));
        assertEquals(ErrorCode.UNSUPPORTED_MEDIA_TYPE, html.errorCode());
        RoomException huge = assertThrows(RoomException.class,
                () -> AvatarImages.reencode(encode(new BufferedImage(4097, 1, BufferedImage.TYPE_BYTE_GRAY), "png")));
        assertEquals(ErrorCode.BAD_REQUEST, huge.errorCode());
        assertTrue(huge.getMessage().contains("4097x1"), huge.getMessage());
    }

    private static byte[] encode(BufferedImage image, String format) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, format, out), format);
        return out.toByteArray();
    }
}
