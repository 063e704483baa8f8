package org.salotto.rooms.people;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.Semaphore;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.salotto.rooms.RoomException;
import org.salotto.signaling.protocol.ErrorCode;

/**
 * An uploaded avatar made safe to serve: decoded with javax.imageio (the uploaded bytes are never stored or sent
 * back), its size read from the header before any pixel is decoded (a small file can claim a huge image), cropped to
 * its centred square and scaled to {@link #SIZE} pixels, then written as a PNG. What comes out has no metadata (no
 * EXIF location) and no script, whatever came in.
 */
public final class AvatarImages {
    /** The side of a stored avatar, in pixels. */
    public static final int SIZE = 256;
    /** The largest side of an image accepted, in pixels. */
    public static final int MAX_SIDE = 4096;
    public static final String STORED_TYPE = "image/png";
    /** What may be uploaded; WebP is accepted as a type but the JDK cannot read it (refused with a clear message). */
    public static final Set<String> UPLOAD_TYPES = Set.of("image/png", "image/jpeg", "image/gif", "image/webp");

    private AvatarImages() {
    }

    /**
     * Decodes at once: a 4096x4096 image takes 64 MiB of heap while it is scaled, so a burst of uploads waits here
     * rather than running the server out of memory.
     */
    private static final Semaphore AT_ONCE = new Semaphore(2);

    /** The re-encoded avatar (a {@link #SIZE}-pixel square PNG), or a refusal that says what is wrong. */
    public static byte[] reencode(byte[] upload) throws RoomException {
        try {
            AT_ONCE.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RoomException(ErrorCode.BUSY, "interrupted while waiting to read the avatar");
        }
        try {
            return scaled(upload);
        } finally {
            AT_ONCE.release();
        }
    }

    private static byte[] scaled(byte[] upload) throws RoomException {
        BufferedImage image = decode(upload);
        int side = Math.min(image.getWidth(), image.getHeight());
        int x = (image.getWidth() - side) / 2;
        int y = (image.getHeight() - side) / 2;
        BufferedImage out = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            // Downscaling a big photo in one bicubic step aliases; halving first keeps it smooth.
            BufferedImage source = image.getSubimage(x, y, side, side);
            while (side >= SIZE * 2) {
                side /= 2;
                BufferedImage half = new BufferedImage(side, side, BufferedImage.TYPE_INT_ARGB);
                Graphics2D h = half.createGraphics();
                h.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                h.drawImage(source, 0, 0, side, side, null);
                h.dispose();
                source = half;
            }
            g.drawImage(source, 0, 0, SIZE, SIZE, null);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(out, "png", png)) throw new IllegalStateException("the JDK has no PNG writer");
        } catch (IOException e) {
            throw new IllegalStateException("writing a PNG in memory failed", e);
        }
        return png.toByteArray();
    }

    private static BufferedImage decode(byte[] upload) throws RoomException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(upload))) {
            Iterator<ImageReader> readers = in == null ? java.util.Collections.emptyIterator() : ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new RoomException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, isWebp(upload)
                        ? "this server cannot read WebP images: send the avatar as PNG, JPEG or GIF"
                        : "the avatar is not an image this server can read: send a PNG, JPEG or GIF");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width < 1 || height < 1) throw RoomException.badRequest("the avatar image is empty");
                if (width > MAX_SIDE || height > MAX_SIDE) {
                    throw RoomException.badRequest("the avatar is " + width + "x" + height + " pixels: at most "
                            + MAX_SIDE + "x" + MAX_SIDE + " is accepted");
                }
                BufferedImage image = reader.read(0);
                if (image == null) throw new IOException("no image");
                return image;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            // A truncated or corrupt file fails in the reader with whatever exception it throws.
            throw new RoomException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "the avatar could not be read as an image (is the file complete?): send a PNG, JPEG or GIF");
        }
    }

    private static boolean isWebp(byte[] b) {
        return b.length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F'
                && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P';
    }
}
