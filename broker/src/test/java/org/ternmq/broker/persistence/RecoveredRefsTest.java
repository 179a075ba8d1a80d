package org.ternmq.broker.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecoveredRefsTest {

    @Test
    void givesTheRefIdsInSequenceOrderWhateverOrderTheJournalHadThem() {
        Random random = new Random(11);
        List<long[]> pairs = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            long sequence = i * 3L + random.nextInt(3);
            pairs.add(new long[] {sequence, 1_000_000 + sequence * 7});
        }
        Collections.shuffle(pairs, random);
        RecoveredRefs refs = new RecoveredRefs();
        for (long[] p : pairs) {
            refs.add(p[0], p[1]);
        }
        assertThat(refs.size()).isEqualTo(50_000);
        assertThat(refs.maxSequence()).isEqualTo(pairs.stream().mapToLong(p -> p[0]).max().orElseThrow());
        long[] ids = refs.idsInOrder();
        assertThat(ids).hasSize(50_000);
        for (int i = 1; i < ids.length; i++) {
            assertThat(ids[i]).isGreaterThan(ids[i - 1]);
        }
    }

    @Test
    void keepsAnOrderThatIsAlreadyRightAndDuplicatesNothing() {
        RecoveredRefs refs = new RecoveredRefs();
        for (int i = 0; i < 1000; i++) {
            refs.add(i, 5000 - i);
        }
        assertThat(refs.refIdAt(10)).isEqualTo(4990);
        long[] ids = refs.idsInOrder();
        assertThat(ids[0]).isEqualTo(5000);
        assertThat(ids[999]).isEqualTo(4001);
    }

    @Test
    void sortsAFewAndNone() {
        RecoveredRefs none = new RecoveredRefs();
        assertThat(none.idsInOrder()).isEmpty();
        RecoveredRefs few = new RecoveredRefs();
        few.add(9, 90);
        few.add(2, 20);
        few.add(5, 50);
        assertThat(few.idsInOrder()).containsExactly(20, 50, 90);
    }
}
