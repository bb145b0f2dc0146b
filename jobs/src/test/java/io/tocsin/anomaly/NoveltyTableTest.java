package io.tocsin.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.config.DetectorSettings;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class NoveltyTableTest {

    private static final DetectorSettings S = DetectorSettings.DEFAULTS;

    /** A sequence table that has seen the first points of 0, 1, 2, ... 9, 0, 1, ... */
    private static NoveltyTable sawtooth(int points) {
        NoveltyTable t = NoveltyTable.sequence(S);
        for (int i = 0; i < points; i++) {
            t.update(i % 10, 0, S);
        }
        return t;
    }

    @Test
    void aTransitionIsNovelUntilSeenTwiceThenKnown() {
        NoveltyTable t = sawtooth(100);
        assertThat(t.update(0, 0, S)).as("9 -> 0, seen many times").isZero();
        assertThat(t.update(7, 0, S)).as("0 -> 7, never").isEqualTo(1.0);
        assertThat(t.update(0, 0, S)).as("7 -> 0, never").isEqualTo(1.0);
        t.update(7, 0, S);
        t.update(0, 0, S);
        assertThat(t.update(7, 0, S)).as("0 -> 7, seen twice now").isZero();
    }

    @Test
    void knowledgeSurvivesTheRangeGrowing() {
        NoveltyTable t = sawtooth(100);
        assertThat(t.update(500, 0, S)).as("far beyond the range").isEqualTo(1.0);
        assertThat(t.update(-500, 0, S)).isEqualTo(1.0);
        t.update(9, 0, S);
        assertThat(t.update(0, 0, S)).as("9 -> 0 is still known after the range grew").isZero();
    }

    @Test
    void aRowTableKnowsValuesPerRow() {
        NoveltyTable t = NoveltyTable.byRow(2, 12, S);
        for (int i = 0; i < 200; i++) {
            t.update(i % 2 == 0 ? 10 + i % 3 : 50 + i % 3, i % 2, S);
        }
        assertThat(t.update(11, 0, S)).isZero();
        assertThat(t.update(11, 1, S)).as("a low value in the high row").isEqualTo(1.0);
    }

    @Test
    void roundTripsThroughItsPackedForm() {
        NoveltyTable t = sawtooth(137);
        ByteBuffer bytes = ByteBuffer.allocate(4096);
        t.write(bytes);
        assertThat(bytes.position()).as("2 bits per cell").isLessThan(32 * 32 / 4 + 32);
        bytes.flip();
        NoveltyTable back = NoveltyTable.sequence(S);
        back.read(bytes);
        for (int i = 137; i < 300; i++) {
            double x = (i * 7) % 13;
            assertThat(back.update(x, 0, S)).isEqualTo(t.update(x, 0, S));
        }
    }
}
