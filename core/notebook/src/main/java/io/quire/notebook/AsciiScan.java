package io.quire.notebook;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Tells, sixteen bytes at a time, whether a run of bytes holds a control character or a byte outside ASCII: for the
 * long base64 strings of notebooks, in the parser ({@link JsonTreeReader}) and the writer
 * ({@link CanonicalJsonWriter}). Quotes and backslashes are found with {@link String#indexOf(int)}, which the JVM
 * vectorises; no such intrinsic finds a range of bytes.
 *
 * <p>A byte below 0x20 or above 0x7f sets its top bit in {@code (w - 0x2020..) | w} for a little-endian word
 * {@code w}; a byte equal to {@code x} is a zero byte of {@code w ^ x..}, found by {@code (v - 0x0101..) & ~v}. Both
 * can flag a byte that is not special (a borrow from a special byte below it), never miss one, so a word with no
 * flag is clean and a flagged word always holds a special byte.
 */
final class AsciiScan {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long SPACES = 0x2020202020202020L;
    private static final long QUESTION_MARKS = 0x3f3f3f3f3f3f3f3fL;

    private AsciiScan() {
    }

    /**
     * Whether {@code [from, to)} holds a byte below 0x20 or above 0x7f.
     *
     * @return true if it does
     */
    static boolean hasControlOrNonAscii(byte[] bytes, int from, int to) {
        int i = from;
        long flags = 0;
        for (; i + 16 <= to; i += 16) {
            long w = (long) LONGS.get(bytes, i);
            long v = (long) LONGS.get(bytes, i + 8);
            flags |= (w - SPACES) | w | (v - SPACES) | v;
        }
        for (; i + 8 <= to; i += 8) {
            long w = (long) LONGS.get(bytes, i);
            flags |= (w - SPACES) | w;
        }
        if ((flags & HIGHS) != 0) {
            return true;
        }
        for (; i < to; i++) {
            if (bytes[i] < 0x20) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code [from, to)} holds a byte below 0x20 or above 0x7f, or a {@code ?}.
     *
     * @return true if it does
     */
    static boolean hasControlNonAsciiOrQuestionMark(byte[] bytes, int from, int to) {
        int i = from;
        long flags = 0;
        for (; i + 8 <= to; i += 8) {
            long w = (long) LONGS.get(bytes, i);
            long q = w ^ QUESTION_MARKS;
            flags |= (w - SPACES) | w | (q - ONES) & ~q;
        }
        if ((flags & HIGHS) != 0) {
            return true;
        }
        for (; i < to; i++) {
            if (bytes[i] < 0x20 || bytes[i] == '?') {
                return true;
            }
        }
        return false;
    }
}
