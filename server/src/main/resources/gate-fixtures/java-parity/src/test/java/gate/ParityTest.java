package gate;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ParityTest {
    @Test
    void fourIsEven() {
        assertTrue(Parity.isEven(4));
    }

    @Test
    void sevenIsOdd() {
        assertFalse(Parity.isEven(7));
    }
}
