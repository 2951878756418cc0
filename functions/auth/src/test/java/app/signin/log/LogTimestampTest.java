package app.signin.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The log lines' timestamp is written per second plus milliseconds; it must read exactly as Instant's own. */
class LogTimestampTest {
    @Test
    void timestamp_isInstantToString_truncatedToMilliseconds() {
        SplittableRandom random = new SplittableRandom(14);
        long now = Instant.now().getEpochSecond();
        for (int i = 0; i < 20_000; i++) {
            // Runs within one second (the cached one) and jumps across seconds, days and years.
            long second = i % 3 == 0 ? now : random.nextLong(-62_000_000_000L, 253_402_300_800L);
            int nanos = switch (i % 5) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000_000); // below a millisecond: no fraction
                case 2 -> random.nextInt(1000) * 1_000_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(second, nanos);
            assertThat(Log.timestamp(instant)).as("%s", instant)
                    .isEqualTo(instant.truncatedTo(ChronoUnit.MILLIS).toString());
        }
    }

    @Test
    void yearsOutsideFourDigits_areWrittenAsInstantWritesThem() {
        for (Instant instant : new Instant[] {Instant.MIN, Instant.MAX, Instant.parse("+10000-01-01T00:00:00.5Z"),
                Instant.parse("-0001-12-31T23:59:59.999Z"), Instant.EPOCH, Instant.parse("9999-12-31T23:59:59.001Z")}) {
            assertThat(Log.timestamp(instant)).isEqualTo(instant.truncatedTo(ChronoUnit.MILLIS).toString());
        }
    }
}
