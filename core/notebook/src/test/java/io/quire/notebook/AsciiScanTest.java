package io.quire.notebook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The word-at-a-time scans against a byte-by-byte loop: every special byte at every position of every word. */
class AsciiScanTest {
    private static final byte[] SPECIALS = {0, 0x01, 0x1f, (byte) 0x80, (byte) 0xa0, (byte) 0xff, '?'};
    private static final byte[] NEAR_MISSES = {0x20, 0x21, 0x23, 0x5b, 0x5d, 0x7e, 0x7f, 0x3e, 0x40, 'A', '0'};

    @Test
    void oneSpecialByte_isFoundWhereverItIs() {
        for (int length = 0; length <= 48; length++) {
            for (int at = 0; at < length; at++) {
                for (byte special : SPECIALS) {
                    for (byte filler : NEAR_MISSES) {
                        byte[] bytes = new byte[length];
                        java.util.Arrays.fill(bytes, filler);
                        bytes[at] = special;
                        check(bytes, 0, length);
                        check(bytes, Math.min(at, 3), length);
                    }
                }
            }
        }
    }

    @Test
    void randomBytes_agreeWithAByteLoop() {
        SplittableRandom random = new SplittableRandom(11);
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = new byte[random.nextInt(80)];
            for (int i = 0; i < bytes.length; i++) {
                // mostly plain ASCII, so that specials are found past whole clean words too
                bytes[i] = random.nextInt(12) == 0 ? (byte) random.nextInt(256) : (byte) (0x20 + random.nextInt(0x5f));
            }
            int from = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
            check(bytes, from, bytes.length);
        }
    }

    private static void check(byte[] bytes, int from, int to) {
        boolean special = false;
        boolean questionMark = false;
        for (int i = from; i < to; i++) {
            special |= bytes[i] < 0x20;
            questionMark |= bytes[i] == '?';
        }
        assertThat(AsciiScan.hasControlOrNonAscii(bytes, from, to)).as(java.util.Arrays.toString(bytes))
                .isEqualTo(special);
        assertThat(AsciiScan.hasControlNonAsciiOrQuestionMark(bytes, from, to)).as(java.util.Arrays.toString(bytes))
                .isEqualTo(special || questionMark);
    }
}
